import { z } from 'zod';
import type { Conversation } from '../../database/entities';
import { CONVERSATION_STATUSES } from '../../database/entities/conversation.entity';
import { dateTime } from './wire';

export const conversationSchema = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    platform: z.string().nullable().meta({ description: 'Bot Framework conversations: the service they come from (facebook, msteams, skype, webchat).' }),
    contactId: z.uuid(),
    externalThreadId: z.string(),
    isGroup: z.boolean(),
    title: z.string().nullable(),
    status: z.enum(CONVERSATION_STATUSES),
    assigneeId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    snoozedUntil: dateTime.nullable(),
    firstReplyAt: dateTime.nullable(),
    lastActivityAt: dateTime,
    lastInboundAt: dateTime.nullable(),
    resolvedAt: dateTime.nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Conversation' });

export type ConversationJson = z.output<typeof conversationSchema>;

/** Bot Framework conversations say which service they come from: facebook (Messenger), msteams, skype, webchat. */
function platformOf(c: Conversation): string | null {
  const service = c.replyContext?.channelId;
  return typeof service === 'string' ? service : null;
}

export function conversationView(c: Conversation): ConversationJson {
  return {
    id: c.id,
    channelId: c.channelId,
    platform: platformOf(c),
    contactId: c.contactId,
    externalThreadId: c.externalThreadId,
    isGroup: c.isGroup,
    title: c.title,
    status: c.status,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    snoozedUntil: c.snoozedUntil,
    firstReplyAt: c.firstReplyAt,
    lastActivityAt: c.lastActivityAt,
    lastInboundAt: c.lastInboundAt,
    resolvedAt: c.resolvedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
