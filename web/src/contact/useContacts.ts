import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';
import { ApiError } from '../conversation/useConversation';

/** GET /contacts?q=: only asked once something is typed. */
export function useContactSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: ['contacts', 'search', query],
    enabled: query.length > 0,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/contacts', { params: { query: { q: query, limit: 10 } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.contacts;
    },
    staleTime: 10_000,
  });
}

/** Merges `sourceId` into `intoId` (the survivor): both contacts' views are read again. */
export function useMergeContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ sourceId, intoId }: { sourceId: string; intoId: string }) => {
      const { data, error, response } = await api.POST('/contacts/{id}/merge', { params: { path: { id: sourceId } }, body: { intoContactId: intoId } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.contact;
    },
    onSuccess: (_contact, { sourceId, intoId }) => {
      void queryClient.invalidateQueries({ queryKey: ['contact', intoId] });
      void queryClient.invalidateQueries({ queryKey: ['contact', sourceId] });
      void queryClient.invalidateQueries({ queryKey: ['contacts'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
}
