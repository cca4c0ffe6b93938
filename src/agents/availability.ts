import type { Agent } from '../database/entities';

/**
 * Who routing may give conversations to (capacity and inboxes aside), written once as data: the TypeScript
 * check (whether a change makes an agent available) and the SQL (which agents routing picks from) are both
 * made from it, so the two cannot disagree.
 */
const AVAILABLE = [
  { property: 'availability', column: 'availability', value: 'online' },
  { property: 'awaySince', column: 'away_since', value: null },
  { property: 'disabledAt', column: 'disabled_at', value: null },
] as const satisfies ReadonlyArray<{ property: keyof Agent; column: string; value: string | null }>;

type AvailabilityFields = Pick<Agent, (typeof AVAILABLE)[number]['property']>;

export function isAvailable(a: AvailabilityFields): boolean {
  return AVAILABLE.every((rule) => a[rule.property] === rule.value);
}

/** The same rule as a SQL condition on the agents table aliased `alias` (constants only: nothing to bind). */
export function availableAgentSql(alias: string): string {
  return AVAILABLE.map((rule) => (rule.value === null ? `${alias}.${rule.column} IS NULL` : `${alias}.${rule.column} = '${rule.value}'`)).join(' AND ');
}
