import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText, type Message } from '../api/client';
import { upsertMessage } from '../realtime/realtime';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${status} ${reason}`);
  }
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: ['conversation', id],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/conversations/{id}', { params: { path: { id } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.conversation;
    },
  });
}

export function useMessages(id: string) {
  return useQuery({
    queryKey: ['messages', id],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/conversations/{id}/messages', { params: { path: { id }, query: { limit: 200 } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.messages;
    },
  });
}

export function useContact(id: string | undefined) {
  return useQuery({
    queryKey: ['contact', id],
    enabled: !!id,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/contacts/{id}', { params: { path: { id: id! } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.contact;
    },
  });
}

export function useSendMessage(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { text: string; private: boolean; uploadIds?: string[] }) => {
      const { data, error, response } = await api.POST('/conversations/{id}/messages', {
        params: { path: { id } },
        body: { text: input.text || undefined, private: input.private, uploadIds: input.uploadIds ?? [] },
      });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.message;
    },
    onSuccess: (message: Message) => {
      queryClient.setQueryData<Message[]>(['messages', id], (old) => upsertMessage(old, message));
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
}

/** Sends a failed reply again; its tick goes back to pending at once and moves on over the socket. */
export function useRetryMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (messageId: string) => {
      const { data, error, response } = await api.POST('/messages/{id}/retry', { params: { path: { id: messageId } } });
      if (!data) throw new ApiError(response.status, errorText(error));
      return data.message;
    },
    onSuccess: (message: Message) => {
      // Only if the socket has not already moved it further (sent, delivered).
      queryClient.setQueryData<Message[]>(['messages', conversationId], (old) => old?.map((m) => (m.id === message.id && m.status === 'failed' ? message : m)));
    },
  });
}
