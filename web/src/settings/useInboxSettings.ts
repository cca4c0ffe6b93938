import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';
import type { components, paths } from '../api/schema';

export type RoutingSettings = components['schemas']['RoutingSettings'];
export type WorkingHours = components['schemas']['WorkingHours'];
export type AutoReplySettings = components['schemas']['AutoReplySettings'];
export type AutoReplyKind = components['schemas']['AutoReplyKind'];
export type LifecycleSettings = components['schemas']['LifecycleSettings'];

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

/** The answer's body, or the API's refusal as an ApiError in words. */
async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!data) fail(response, error);
  return data;
}

const path = (channelId: string) => ({ params: { path: { id: channelId } } });

export function useRouting(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'routing'],
    queryFn: async () => (await ok(api.GET('/channels/{id}/routing', path(channelId)))).routing,
  });
}

export function useSaveRouting(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Partial<RoutingSettings>) => (await ok(api.PATCH('/channels/{id}/routing', { ...path(channelId), body }))).routing,
    onSuccess: (routing) => queryClient.setQueryData(['inbox', channelId, 'routing'], routing),
  });
}

export function useWorkingHours(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'hours'],
    queryFn: () => ok(api.GET('/channels/{id}/working-hours', path(channelId))),
  });
}

/** Saves the hours (null: remove them, always open). */
export function useSaveWorkingHours(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (hours: WorkingHours | null) => {
      if (hours === null) {
        const { error, response } = await api.DELETE('/channels/{id}/working-hours', path(channelId));
        if (!response.ok) fail(response, error);
        return { workingHours: null, openNow: true, nextOpening: null };
      }
      return ok(api.PUT('/channels/{id}/working-hours', { ...path(channelId), body: hours }));
    },
    onSuccess: (answer) => queryClient.setQueryData(['inbox', channelId, 'hours'], answer),
  });
}

export function useAutoReplies(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'auto-replies'],
    queryFn: async () => (await ok(api.GET('/channels/{id}/auto-replies', path(channelId)))).autoReplies,
  });
}

type AutoRepliesChange = NonNullable<paths['/channels/{id}/auto-replies']['patch']['requestBody']>['content']['application/json'];

export function useSaveAutoReplies(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: AutoRepliesChange) => (await ok(api.PATCH('/channels/{id}/auto-replies', { ...path(channelId), body }))).autoReplies,
    onSuccess: (settings) => queryClient.setQueryData(['inbox', channelId, 'auto-replies'], settings),
  });
}

/** The reopen window and idle resolving (the Conversations tab). */
export function useInboxLifecycle(channelId: string) {
  return useQuery({
    queryKey: ['inbox', channelId, 'lifecycle'],
    queryFn: async () => (await ok(api.GET('/channels/{id}/lifecycle', path(channelId)))).lifecycle,
  });
}

export function useSaveInboxLifecycle(channelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Partial<LifecycleSettings>) => (await ok(api.PATCH('/channels/{id}/lifecycle', { ...path(channelId), body }))).lifecycle,
    onSuccess: (lifecycle) => queryClient.setQueryData(['inbox', channelId, 'lifecycle'], lifecycle),
  });
}
