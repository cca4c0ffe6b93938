import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText, type Activity, type Conversation } from '../api/client';
import { ApiError } from './useConversation';

/** Keeps a conversation's cached activity entries in time order, one copy of each. */
export function upsertActivity(list: Activity[] | undefined, activity: Activity): Activity[] | undefined {
  if (!list) return list;
  if (list.some((a) => a.id === activity.id)) return list.map((a) => (a.id === activity.id ? activity : a));
  return [...list, activity].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function useActivity(id: string) {
  return useQuery({
    queryKey: ['activity', id],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/conversations/{id}/activity', { params: { path: { id }, query: { limit: 200 } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.activities;
    },
  });
}

/** Everyone may list agents and teams: to assign or transfer, and to name them in the thread. */
export type StatusChange = { status: 'open' | 'pending' | 'resolved' } | { status: 'snoozed'; snoozedUntil: string };
export interface TransferInput {
  agentId?: string;
  teamId?: string;
  note?: string;
  customerMessage?: string;
}

/** The header's actions; each answers the conversation as it is now. Activity entries arrive on the socket. */
export function useLifecycleActions(id: string) {
  const queryClient = useQueryClient();
  const done = (c: Conversation) => {
    queryClient.setQueryData(['conversation', id], c);
    void queryClient.invalidateQueries({ queryKey: ['conversations'] });
  };
  const check = <T>({ data, error, response }: { data?: T; error?: unknown; response: Response }): T => {
    if (!data) throw new ApiError(response.status, errorText(error));
    return data;
  };
  const status = useMutation({
    mutationFn: async (body: StatusChange) => check(await api.PATCH('/conversations/{id}/status', { params: { path: { id } }, body })).conversation,
    onSuccess: done,
  });
  const assign = useMutation({
    mutationFn: async (body: { agentId?: string | null; teamId?: string | null }) =>
      check(await api.POST('/conversations/{id}/assign', { params: { path: { id } }, body })).conversation,
    onSuccess: done,
  });
  const hold = useMutation({
    mutationFn: async (body: { notifyCustomer: boolean; text?: string }) =>
      check(await api.POST('/conversations/{id}/hold', { params: { path: { id } }, body })).conversation,
    onSuccess: done,
  });
  const transfer = useMutation({
    mutationFn: async (body: TransferInput) => check(await api.POST('/conversations/{id}/transfer', { params: { path: { id } }, body })).conversation,
    onSuccess: done,
  });
  return { status, assign, hold, transfer };
}
