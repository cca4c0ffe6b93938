import { useSyncExternalStore } from 'react';
import type { components } from '../api/schema';

export interface Session {
  token: string;
  expiresAt: string;
  agent: components['schemas']['Agent'];
}

export type EndReason = 'logout' | 'expired';

/**
 * The logged-in session of this tab. sessionStorage: it survives a reload but not the tab, and other sites'
 * scripts cannot read it (the app renders customer text only as text).
 */
const STORAGE_KEY = 'parley.session';
let session: Session | null = read();
let endReason: EndReason | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function notify() {
  for (const l of listeners) l();
}

function scheduleExpiry() {
  clearTimeout(expiryTimer);
  if (!session) return;
  // setTimeout holds at most ~24.8 days; a token lives far less.
  const ms = Math.min(new Date(session.expiresAt).getTime() - Date.now(), 2 ** 31 - 1);
  expiryTimer = setTimeout(() => clearSession('expired'), Math.max(ms, 0));
}
scheduleExpiry();

export function setSession(s: Session) {
  session = s;
  endReason = null;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  scheduleExpiry();
  notify();
}

export function clearSession(reason: EndReason) {
  if (!session) return;
  session = null;
  endReason = reason;
  sessionStorage.removeItem(STORAGE_KEY);
  clearTimeout(expiryTimer);
  notify();
}

export const currentToken = () => session?.token ?? null;
export const lastEndReason = () => endReason;

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, () => session);
}
