import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { io } from 'socket.io-client';
import { api, type Activity, type Agent, type Conversation, type Message } from '../api/client';
import { upsertActivity } from '../conversation/useLifecycle';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';
const ConnectionContext = createContext<ConnectionState>('connecting');

export const useConnectionState = () => useContext(ConnectionContext);

/**
 * Keeps a conversation's cached thread in the customer's order, one copy of each message: a message arriving late
 * (a webhook the platform redelivered) goes to its place by `orderKey`, not to the end.
 */
export function upsertMessage(list: Message[] | undefined, message: Message): Message[] | undefined {
  if (!list) return list;
  const i = list.findIndex((m) => m.id === message.id);
  if (i >= 0) return list.map((m) => (m.id === message.id ? message : m));
  const at = list.findIndex((m) => m.orderKey > message.orderKey);
  return at < 0 ? [...list, message] : [...list.slice(0, at), message, ...list.slice(at)];
}

export type RealtimeListener = (name: string, payload: unknown) => void;
const listeners = new Set<RealtimeListener>();

/** Hears every socket event (after the cache is updated): background alerts, for one. */
export function useRealtimeEvents(listener: RealtimeListener) {
  const current = useRef(listener);
  current.current = listener;
  useEffect(() => {
    const l: RealtimeListener = (name, payload) => current.current(name, payload);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
}

function applyEvent(queryClient: QueryClient, payload: unknown) {
  const p = payload as { message?: Message; conversation?: Conversation; contact?: { id: string }; activity?: Activity };
  if (p.activity) queryClient.setQueryData<Activity[]>(['activity', p.activity.conversationId], (old) => upsertActivity(old, p.activity!));
  if (p.message) {
    queryClient.setQueryData<Message[]>(['messages', p.message.conversationId], (old) => upsertMessage(old, p.message!));
  }
  if (p.conversation) queryClient.setQueryData(['conversation', p.conversation.id], p.conversation);
  // A contact's payload lacks the conversations the panel lists: read it again.
  if (p.contact) void queryClient.invalidateQueries({ queryKey: ['contact', p.contact.id] });
  void queryClient.invalidateQueries({ queryKey: ['conversations'] });
}

/**
 * `agent.updated` goes only to the agent's own sockets: their record as GET /me answers it (an admin set their
 * availability, or they did in another tab). The cached /me is replaced, so the profile menu shows it at once.
 */
function applyAgent(queryClient: QueryClient, payload: unknown) {
  const agent = (payload as { agent?: Agent }).agent;
  const me = queryClient.getQueryData<Agent>(['me']);
  if (!agent || (me && me.id !== agent.id)) return;
  queryClient.setQueryData(['me'], agent);
  void queryClient.invalidateQueries({ queryKey: ['agents'] });
}

/**
 * One socket per tab, with the bearer token in the handshake's `auth` (never the URL). Events update the
 * cached threads in place and refetch the list; after a drop, everything is refetched once the socket is
 * back, since events sent meanwhile are lost (the server does not replay them).
 */
export function RealtimeProvider({ token, children }: { token: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => {
    const socket = io(window.location.origin, { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5_000 });
    let wasConnected = false;
    socket.on('connect', () => {
      setState('connected');
      if (wasConnected) void queryClient.invalidateQueries();
      wasConnected = true;
    });
    socket.on('disconnect', (reason) => {
      setState('reconnecting');
      // socket.io leaves a server-side disconnect (a restart, a deploy) to the app: come back anyway.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => {
      setState(wasConnected ? 'reconnecting' : 'connecting');
      // A refused token: /me answers 401 and the API client ends the session.
      void api.GET('/me').catch(() => undefined);
    });
    socket.onAny((name: string, payload: unknown) => {
      // New inboxes (or fewer): the server lists an agent only their own, so the inbox filter and settings follow.
      if (name === 'session.updated') void queryClient.invalidateQueries({ queryKey: ['channels'] });
      if (name === 'agent.updated') applyAgent(queryClient, payload);
      else applyEvent(queryClient, payload);
      for (const l of listeners) l(name, payload);
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [token, queryClient]);
  return <ConnectionContext.Provider value={state}>{children}</ConnectionContext.Provider>;
}
