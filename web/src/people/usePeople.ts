import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorText, type Agent } from '../api/client';
import type { components } from '../api/schema';

export type Team = components['schemas']['Team'];
export type Role = Agent['role'];

/** An API answer without data is an error with the status and the server's words (shown to the admin). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    error: unknown,
  ) {
    super(`${status} ${errorText(error)}`);
  }
}

export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/agents');
      if (!data) throw new ApiError(response.status, error);
      return data.agents;
    },
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/teams');
      if (!data) throw new ApiError(response.status, error);
      return data.teams;
    },
  });
}

/** After any change: the lists are read again (a change may touch several agents, e.g. membership). */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: ['agents'] }), queryClient.invalidateQueries({ queryKey: ['teams'] })]);
}

export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role: Role;
  capacity: number;
  inboxIds: string[];
}

export function useCreateAgent() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: NewAgent) => {
      const { data, error, response } = await api.POST('/agents', { body });
      if (!data) throw new ApiError(response.status, error);
      return data.agent;
    },
    onSuccess: refresh,
  });
}

export type AgentChange = { name?: string; role?: Role; capacity?: number; password?: string; disabled?: boolean };

export function useUpdateAgent() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, change, inboxIds }: { id: string; change: AgentChange; inboxIds?: string[] }) => {
      if (Object.keys(change).length) {
        const { data, error, response } = await api.PATCH('/agents/{id}', { params: { path: { id } }, body: change });
        if (!data) throw new ApiError(response.status, error);
      }
      if (inboxIds) {
        const { data, error, response } = await api.PUT('/agents/{id}/inboxes', { params: { path: { id } }, body: { inboxIds } });
        if (!data) throw new ApiError(response.status, error);
      }
    },
    onSuccess: refresh,
  });
}

export function useCreateTeam() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (name: string) => {
      const { data, error, response } = await api.POST('/teams', { body: { name } });
      if (!data) throw new ApiError(response.status, error);
      return data.team;
    },
    onSuccess: refresh,
  });
}

export function useSetTeamMembers() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, agentIds }: { id: string; agentIds: string[] }) => {
      const { data, error, response } = await api.PUT('/teams/{id}/members', { params: { path: { id } }, body: { agentIds } });
      if (!data) throw new ApiError(response.status, error);
    },
    onSuccess: refresh,
  });
}

/** A password to hand over once: 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint32Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
