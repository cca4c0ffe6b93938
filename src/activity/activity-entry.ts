import type { ActivityData, ActivityKind } from '../database/entities/conversation-activity.entity';
import type { DomainEvent } from '../events/domain-events';

export interface ActivityEntry {
  kind: ActivityKind;
  actorAgentId: string | null;
  data: ActivityData;
}

/** The thread's entry for an event, or null when the event is not one (pure: the listener writes what this says). */
export function activityFor(e: DomainEvent): ActivityEntry | null {
  switch (e.type) {
    case 'conversation.assigned': {
      const moves = { fromAgentId: e.data.previousAssigneeId, toAgentId: e.data.assigneeId, fromTeamId: e.data.previousTeamId, toTeamId: e.data.teamId };
      if (!e.data.transfer) return { kind: 'assigned', actorAgentId: e.data.byAgentId, data: moves };
      const note = e.data.transfer.note;
      // The receiving side: the agent it went to, else the team it went to.
      const audience = e.data.assigneeId ? { noteForAgentId: e.data.assigneeId } : { noteForTeamId: e.data.teamId };
      return {
        kind: 'transferred',
        actorAgentId: e.data.byAgentId,
        data: { ...moves, ...(note ? { note, ...audience } : {}), customerMessageId: e.data.transfer.customerMessageId },
      };
    }
    case 'conversation.held':
      return { kind: 'held', actorAgentId: e.data.byAgentId, data: { customerMessageId: e.data.customerMessageId } };
    case 'conversation.status_changed': {
      const { from, to, byAgentId, reason } = e.data;
      const data: ActivityData = { from, to, ...(reason ? { reason } : {}) };
      if (reason === 'snooze_ended') return { kind: 'woken', actorAgentId: null, data };
      if (reason === 'idle') return { kind: 'auto_resolved', actorAgentId: null, data };
      if (to === 'snoozed') return { kind: 'snoozed', actorAgentId: byAgentId, data: { ...data, snoozedUntil: e.data.snoozedUntil ?? null } };
      if ((from === 'resolved' || from === 'snoozed') && to !== 'resolved') return { kind: 'reopened', actorAgentId: byAgentId, data };
      return { kind: 'status_changed', actorAgentId: byAgentId, data };
    }
    default:
      return null;
  }
}
