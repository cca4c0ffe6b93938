import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Channel } from '../api/client';
import type { components } from '../api/schema';

export type ChannelType = components['schemas']['ChannelType'];
export type ChannelSession = components['schemas']['ChannelSession'];
export type WebhookRemoval = components['schemas']['WebhookRemoval'];
export type Created = { channel: Channel; generatedCredentials: Record<string, unknown> };

/** An API refusal in the server's words, with the fields it names (`settings.apiRoot: ...`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

function refusal(status: number, error: unknown): ApiError {
  const body = (error ?? {}) as { error?: unknown; details?: unknown };
  const message = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
  const fields = Array.isArray(body.details) ? (body.details as Array<{ path: string; message: string }>) : [];
  return new ApiError(status, message, fields);
}

export function useChannelTypes() {
  return useQuery({
    queryKey: ['channel-types'],
    staleTime: Infinity,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channel-types');
      if (!data) throw refusal(response.status, error);
      return data.channelTypes;
    },
  });
}

export interface ChannelInput {
  type: string;
  name: string;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation<Created, ApiError, ChannelInput>({
    mutationFn: async (body) => {
      // The document lists the shipped types; a server started with more connectors serves them in /channel-types.
      const { data, error, response } = await api.POST('/channels', { body: { ...body, type: body.type as Channel['type'] } });
      if (!data) throw refusal(response.status, error);
      return data;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
}

export interface ChannelChange {
  id: string;
  name?: string;
  credentials?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

export function useUpdateChannel() {
  const queryClient = useQueryClient();
  return useMutation<Channel, ApiError, ChannelChange>({
    mutationFn: async ({ id, ...body }) => {
      const { data, error, response } = await api.PATCH('/channels/{id}', { params: { path: { id } }, body });
      if (!data) throw refusal(response.status, error);
      return data.channel;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
}

export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation<WebhookRemoval, ApiError, string>({
    mutationFn: async (id) => {
      const { data, error, response } = await api.DELETE('/channels/{id}', { params: { path: { id } } });
      if (!data) throw refusal(response.status, error);
      return data.webhook;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['channels'] }),
  });
}

export function useRegisterWebhook() {
  return useMutation<string, ApiError, string>({
    mutationFn: async (id) => {
      const { data, error, response } = await api.POST('/channels/{id}/register-webhook', { params: { path: { id } } });
      if (!data) throw refusal(response.status, error);
      return data.webhookUrl;
    },
  });
}

/** No socket event carries session states: polled while shown, often enough to follow WhatsApp's QR rotation. */
export function useChannelSession(id: string) {
  return useQuery({
    queryKey: ['channel-session', id],
    refetchInterval: 1500,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channels/{id}/session', { params: { path: { id } } });
      if (!data) throw refusal(response.status, error);
      return data.session;
    },
  });
}

export function useRestartSession() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, string>({
    mutationFn: async (id) => {
      const { data, error, response } = await api.POST('/channels/{id}/session/restart', { params: { path: { id } } });
      if (!data) throw refusal(response.status, error);
    },
    onSuccess: (_v, id) => queryClient.invalidateQueries({ queryKey: ['channel-session', id] }),
  });
}
