import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';
import type { components, paths } from '../api/schema';

export type RoutingSettings = components['schemas']['RoutingSettings'];
export type WorkingHours = components['schemas']['WorkingHours'];
export type AutoReplySettings = components['schemas']['AutoReplySettings'];
export type AutoReplyKind = components['schemas']['AutoReplyKind'];

/** An API error as words, with the fields it names ("weekly.2: intervals overlap…"). */
export class ApiError extends Error {
  constructor(
    status: number,
    error: unknown,
    readonly details: Array<{ path: string; message: string }> = [],
  ) {
    super(`${status} ${errorText(error)}`);
  }
}

function fail(response: Response, error: unknown): never {
  const details = error && typeof error === 'object' && 'details' in error && Array.isArray(error.details) ? error.details : [];
  throw new ApiError(response.status, error, details as Array<{ path: string; message: string }>);
}

export function useRouting(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'routing'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channels/{id}/routing', { params: { path: { id: channelId } } });
      if (!data) fail(response, error);
      return data.routing;
    },
  });
}

export function useSaveRouting(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Partial<RoutingSettings>) => {
      const { data, error, response } = await api.PATCH('/channels/{id}/routing', { params: { path: { id: channelId } }, body });
      if (!data) fail(response, error);
      return data.routing;
    },
    onSuccess: (routing) => queryClient.setQueryData(['inbox', channelId, 'routing'], routing),
  });
}

export function useWorkingHours(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'hours'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channels/{id}/working-hours', { params: { path: { id: channelId } } });
      if (!data) fail(response, error);
      return data;
    },
  });
}

/** Saves the hours (null: remove them, always open). */
export function useSaveWorkingHours(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (hours: WorkingHours | null) => {
      if (hours === null) {
        const { error, response } = await api.DELETE('/channels/{id}/working-hours', { params: { path: { id: channelId } } });
        if (!response.ok) fail(response, error);
        return { workingHours: null, openNow: true, nextOpening: null };
      }
      const { data, error, response } = await api.PUT('/channels/{id}/working-hours', { params: { path: { id: channelId } }, body: hours });
      if (!data) fail(response, error);
      return data;
    },
    onSuccess: (answer) => queryClient.setQueryData(['inbox', channelId, 'hours'], answer),
  });
}

export function useAutoReplies(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'auto-replies'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/channels/{id}/auto-replies', { params: { path: { id: channelId } } });
      if (!data) fail(response, error);
      return data.autoReplies;
    },
  });
}

type AutoRepliesChange = NonNullable<paths['/channels/{id}/auto-replies']['patch']['requestBody']>['content']['application/json'];

export function useSaveAutoReplies(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AutoRepliesChange) => {
      const { data, error, response } = await api.PATCH('/channels/{id}/auto-replies', { params: { path: { id: channelId } }, body });
      if (!data) fail(response, error);
      return data.autoReplies;
    },
    onSuccess: (settings) => queryClient.setQueryData(['inbox', channelId, 'auto-replies'], settings),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/teams');
      if (!data) fail(response, error);
      return data.teams;
    },
    staleTime: 60_000,
  });
}

export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/agents');
      if (!data) fail(response, error);
      return data.agents;
    },
    staleTime: 30_000,
  });
}
