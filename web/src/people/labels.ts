import type { Agent } from '../api/client';
import type { MessageKey } from '../i18n/en';

/** The API's `busy` is what agents call being away (from the desk, not from the app). */
export function availabilityKey(a: Agent['availability']): MessageKey {
  return a === 'online' ? 'availability.online' : a === 'busy' ? 'availability.away' : 'availability.offline';
}

export const AVAILABILITIES: ReadonlyArray<Agent['availability']> = ['online', 'busy', 'offline'];
