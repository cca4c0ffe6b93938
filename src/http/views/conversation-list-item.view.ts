import { z } from 'zod';
import type { Conversation } from '../../database/entities';
import type { ConversationSummary } from '../../conversations/conversation-summaries';
import { conversationSchema, conversationView } from './conversation.view';
import { channelTypeSchema } from './channel.view';
import { dateTime } from './wire';

const PREVIEW_LENGTH = 140;

/** One inbox row: the conversation plus what the list shows of its contact, channel and last message. */
export const conversationListItemSchema = conversationSchema
  .extend({
    contact: z.object({ id: z.uuid(), name: z.string().nullable(), avatarUrl: z.string().nullable() }),
    channel: z.object({ id: z.uuid(), type: channelTypeSchema(), name: z.string() }),
    lastMessage: z
      .object({
        preview: z.string().meta({ description: `The text's first ${PREVIEW_LENGTH} characters (code points), whole words not guaranteed.` }),
        direction: z.enum(['inbound', 'outbound']),
        private: z.boolean(),
        attachmentCount: z.number().int(),
        status: z.string(),
        createdAt: dateTime,
        occurredAt: dateTime.meta({ description: "Its place in the thread (Message.occurredAt): the last message is the thread's last." }),
      })
      .nullable(),
    awaitingReply: z
      .boolean()
      .meta({ description: 'The customer wrote last (private notes aside): the conversation waits for an agent since `lastInboundAt`.' }),
  })
  .meta({ id: 'ConversationListItem' });

export type ConversationListItemJson = z.output<typeof conversationListItemSchema>;

export function conversationListItemView(c: Conversation, s: ConversationSummary | undefined): ConversationListItemJson {
  const last = s?.lastMessage ?? null;
  return {
    ...conversationView(c),
    contact: { id: c.contactId, name: s?.contactName ?? null, avatarUrl: s?.contactAvatarUrl ?? null },
    channel: { id: c.channelId, type: s?.channelType ?? 'unknown', name: s?.channelName ?? '' },
    lastMessage: last
      ? {
          // By code points, so an emoji or a surrogate pair is never cut in half.
          preview: [...(last.text ?? '')].slice(0, PREVIEW_LENGTH).join(''),
          direction: last.direction,
          private: last.isPrivate,
          attachmentCount: last.attachmentCount,
          status: last.status,
          createdAt: last.createdAt,
          occurredAt: last.occurredAt,
        }
      : null,
    awaitingReply: s?.awaitingReply ?? false,
  };
}
