import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { clearSession, currentToken } from '../auth/session';

export type Conversation = components['schemas']['Conversation'];
export type ConversationListItem = components['schemas']['ConversationListItem'];
export type Message = components['schemas']['Message'];
export type Attachment = components['schemas']['Attachment'];
export type Agent = components['schemas']['Agent'];
export type Channel = components['schemas']['Channel'];
export type Contact = components['schemas']['Contact'];
export type ContactWithConversations = components['schemas']['ContactWithConversations'];
export type Upload = components['schemas']['Upload'];
export type Activity = components['schemas']['Activity'];
export type Team = components['schemas']['Team'];

/** Every request carries the bearer token (a header, never the URL); a 401 means the session is over. */
const auth: Middleware = {
  onRequest({ request }) {
    const token = currentToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith('/auth/login') && currentToken()) clearSession('expired');
    return response;
  },
};

/** The typed client over the generated schema (web/src/api/schema.d.ts, `npm run api:types`). */
export const api = createClient<paths>({ baseUrl: `${window.location.origin}/api/v1` });
api.use(auth);

/** The API's error text, for a message shown in words. */
export function errorText(error: unknown): string {
  return error && typeof error === 'object' && 'error' in error && typeof error.error === 'string' ? error.error : 'unknown error';
}

/** Raw bytes with the bearer token (attachments): returned as a blob URL the caller revokes. */
export async function fetchBlobUrl(path: string): Promise<string> {
  const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  if (res.status === 401) clearSession('expired');
  if (!res.ok) throw new Error(`download failed: ${res.status}`);
  return URL.createObjectURL(await res.blob());
}
