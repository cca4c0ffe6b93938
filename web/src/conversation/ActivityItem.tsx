import type { Activity, Agent, Team } from '../api/client';
import { useI18n, type Translate } from '../i18n/i18n';
import { timeOfDay } from '../ui/format';

/**
 * One activity entry in the thread, small and muted: "Anna transferred to Billing: <note>". Names come from the
 * agents and teams lists; the note is text (React escapes it) and is present only when the server says this
 * agent may read it.
 */
export function ActivityItem({ activity: a, agents, teams }: { activity: Activity; agents: Agent[]; teams: Team[] }) {
  const { t, language } = useI18n();
  const agentName = (id: string | null) => agents.find((x) => x.id === id)?.name ?? t('activity.someone');
  const teamName = (id: string | null) => teams.find((x) => x.id === id)?.name ?? t('activity.someone');
  const text = describe(a, t, agentName, teamName, language);
  return (
    <div className={`activity activity-${a.kind}`} data-activity-id={a.id} data-kind={a.kind}>
      <span className="activity-text">{text}</span>
      {a.note && <span className="activity-note">: {a.note}</span>}
      <time dateTime={a.createdAt}>{timeOfDay(a.createdAt, language)}</time>
    </div>
  );
}

function describe(a: Activity, t: Translate, agentName: (id: string | null) => string, teamName: (id: string | null) => string, language: string): string {
  const actor = a.actorAgentId ? agentName(a.actorAgentId) : t('activity.routing');
  const status = (s: string | null) => (s ? t(`status.${s}` as Parameters<Translate>[0]) : '');
  switch (a.kind) {
    case 'assigned':
      if (a.toAgentId) return t('activity.assigned', { actor, to: agentName(a.toAgentId) });
      if (!a.actorAgentId && a.fromAgentId) return t('activity.returnedToQueue', { from: agentName(a.fromAgentId) });
      if (a.toTeamId && a.toTeamId !== a.fromTeamId) return t('activity.assigned', { actor, to: teamName(a.toTeamId) });
      return t('activity.unassigned', { actor });
    case 'transferred':
      return t('activity.transferred', { actor, to: a.toAgentId ? agentName(a.toAgentId) : teamName(a.toTeamId) });
    case 'held':
      return t('activity.held', { actor });
    case 'snoozed':
      return t('activity.snoozed', {
        actor,
        time: a.snoozedUntil ? new Date(a.snoozedUntil).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : '',
      });
    case 'woken':
      return t('activity.woken');
    case 'reopened':
      return a.actorAgentId ? t('activity.reopened', { actor }) : t('activity.reopenedByCustomer');
    case 'auto_resolved':
      return t('activity.autoResolved');
    default:
      return a.actorAgentId ? t('activity.status', { actor, status: status(a.to) }) : t('activity.statusByCustomer', { status: status(a.to) });
  }
}
