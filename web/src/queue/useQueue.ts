import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';

/**
 * Who waits, oldest first. Keyed under `conversations`, so every socket event refetches it; routing also moves
 * conversations in and out of the queue without an event of their own, hence the short poll as well.
 */
export function useQueue() {
  return useQuery({
    queryKey: ['conversations', 'queue'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/queue');
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data.waiting;
    },
    refetchInterval: 5_000,
  });
}

export function useAssign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ conversationId, agentId }: { conversationId: string; agentId: string }) => {
      const { data, error, response } = await api.POST('/conversations/{id}/assign', { params: { path: { id: conversationId } }, body: { agentId } });
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['conversations'] }),
  });
}
