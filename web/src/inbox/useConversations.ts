import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, errorText } from '../api/client';

export type InboxView = 'mine' | 'unassigned' | 'all';
export interface InboxFilter {
  view: InboxView;
  channelId?: string;
  status?: 'open' | 'pending' | 'snoozed' | 'resolved';
}

const PAGE = 50;

/** The inbox, a page (one request) at a time, following the server's cursor. */
export function useConversations(filter: InboxFilter) {
  return useInfiniteQuery({
    queryKey: ['conversations', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const assignee = filter.view === 'mine' ? 'me' : filter.view === 'unassigned' ? 'none' : undefined;
      const { data, error, response } = await api.GET('/conversations', {
        params: { query: { limit: PAGE, assignee, channelId: filter.channelId, status: filter.status, cursor: pageParam } },
      });
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data;
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channels');
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data.channels;
    },
    staleTime: 5 * 60_000,
  });
}
