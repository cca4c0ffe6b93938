import { z } from 'zod';
import { ACTIVITY_KINDS, type ConversationActivity } from '../../database/entities/conversation-activity.entity';
import { CONVERSATION_STATUSES } from '../../database/entities/conversation.entity';
import { dateTime } from './wire';

const status = z.enum(CONVERSATION_STATUSES);

export const activitySchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    kind: z.enum(ACTIVITY_KINDS).meta({
      description:
        '`assigned` (by an agent, or by routing when `actorAgentId` is null), `transferred`, `held`, `snoozed`, `woken` (its snooze ended), ' +
        '`reopened` (by an agent, or by the customer writing when `actorAgentId` is null), `auto_resolved` (idle), `status_changed` (any other change).',
    }),
    actorAgentId: z.uuid().nullable().meta({ description: 'Who did it; null when Parley or the customer did.' }),
    from: status.nullable().meta({ description: 'Status changes: the status before.' }),
    to: status.nullable().meta({ description: 'Status changes: the status after.' }),
    fromAgentId: z.uuid().nullable(),
    toAgentId: z.uuid().nullable(),
    fromTeamId: z.uuid().nullable(),
    toTeamId: z.uuid().nullable(),
    snoozedUntil: dateTime.nullable(),
    note: z
      .string()
      .nullable()
      .meta({ description: 'A transfer’s note: present only for its receiving side (the agent, or the team’s members), its author and admins.' }),
    customerMessageId: z.uuid().nullable().meta({ description: 'The message the customer was sent with a hold or transfer.' }),
    createdAt: dateTime,
  })
  .meta({ id: 'Activity', description: 'An entry in a conversation’s thread that is not a message; interleave with messages by `createdAt`.' });

export type ActivityJson = z.output<typeof activitySchema>;

/** The entry as stored; whoever calls decides whether the note stays (src/activity/activity.service.ts). */
export function activityView(a: Pick<ConversationActivity, 'id' | 'conversationId' | 'kind' | 'actorAgentId' | 'data' | 'createdAt'>): ActivityJson {
  const d = a.data;
  return {
    id: a.id,
    conversationId: a.conversationId,
    kind: a.kind,
    actorAgentId: a.actorAgentId,
    from: (d.from as ActivityJson['from']) ?? null,
    to: (d.to as ActivityJson['to']) ?? null,
    fromAgentId: d.fromAgentId ?? null,
    toAgentId: d.toAgentId ?? null,
    fromTeamId: d.fromTeamId ?? null,
    toTeamId: d.toTeamId ?? null,
    snoozedUntil: d.snoozedUntil ? new Date(d.snoozedUntil) : null,
    note: d.note ?? null,
    customerMessageId: d.customerMessageId ?? null,
    createdAt: a.createdAt,
  };
}
