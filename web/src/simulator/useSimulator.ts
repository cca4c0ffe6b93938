import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema';

export type SandboxEntry = components['schemas']['SandboxEntry'];

/** The customer's chat as the customer's phone would show it: polled, as a phone app would be pushed. */
export function useTranscript(channelId: string | undefined, customerId: string) {
  return useQuery({
    queryKey: ['sandbox', channelId, customerId],
    enabled: !!channelId,
    refetchInterval: 1000,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/sandbox/channels/{channelId}/customers/{customerId}', {
        params: { path: { channelId: channelId!, customerId } },
      });
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data.messages;
    },
  });
}

export function useCustomerWrites(channelId: string | undefined, customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { name: string; text: string }) => {
      const { data, error, response } = await api.POST('/sandbox/channels/{channelId}/messages', {
        params: { path: { channelId: channelId! } },
        body: { customerId, name: input.name, text: input.text },
      });
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sandbox', channelId, customerId] }),
  });
}

export function useCreateSandboxChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.POST('/channels', {
        body: { type: 'sandbox', name: 'Sandbox', settings: { apiRoot: `${window.location.origin}/sandbox` }, credentials: {} },
      });
      if (!data) throw new Error(`${response.status} ${errorText(error)}`);
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
}
