import { z } from 'zod';
import type { Message } from '../../database/entities';
import { orderKey } from '../../messages/thread-order';
import { dateTime } from './wire';

/** Mirrors AttachmentKind (connectors/contract.ts): the view does not compile if a connector adds a kind. */
const attachmentKinds = ['image', 'video', 'audio', 'voice', 'document', 'sticker', 'animation', 'location', 'contact', 'other'] as const;

export const attachmentSchema = z
  .object({
    kind: z.enum(attachmentKinds),
    mimeType: z.string().optional(),
    fileName: z.string().optional(),
    size: z.number().optional().meta({ description: 'Bytes, when the platform says.' }),
    latitude: z.number().optional(),
    longitude: z.number().optional(),
    title: z.string().optional().meta({ description: "A venue's title, a shared contact's name, a sticker's emoji." }),
    phone: z.string().optional().meta({ description: "A shared contact's phone number." }),
  })
  .meta({ id: 'Attachment', description: 'Download the file with GET /messages/{id}/attachments/{index}.' });

export const messageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    channelId: z.uuid(),
    direction: z.enum(['inbound', 'outbound']),
    senderContactId: z.uuid().nullable(),
    senderAgentId: z.uuid().nullable(),
    text: z.string().nullable(),
    attachments: z.array(attachmentSchema),
    private: z.boolean().meta({ description: 'A private note: for agents only, never sent.' }),
    externalId: z.string().nullable(),
    platformMessageId: z.string().nullable(),
    replyToExternalId: z.string().nullable(),
    platformKind: z.string().nullable(),
    status: z
      .enum(['received', 'note', 'pending', 'sent', 'delivered', 'read', 'failed'])
      .meta({ description: 'Inbound messages are `received`, notes `note`; replies move pending → sent → delivered → read, or `failed` (see failureReason).' }),
    failureReason: z.string().nullable(),
    automatic: z.string().nullable().meta({
      description:
        'Which automatic message Parley sent by itself (greeting, out_of_office, queue_position, fully_busy, hold, closing...); null for a person’s.',
    }),
    sentAt: dateTime.nullable(),
    deliveredAt: dateTime.nullable(),
    readAt: dateTime.nullable(),
    editedAt: dateTime.nullable(),
    createdAt: dateTime.meta({ description: 'When Parley stored it: not its place in the thread (a late webhook is stored late).' }),
    occurredAt: dateTime.meta({
      description:
        "When it happened in the conversation, which orders the thread: for a customer's message the platform's time, " +
        'kept within 7 days before and 10 seconds after its arrival (a platform clock that is wildly off is clamped); ' +
        'for a reply or a note, when the agent wrote it.',
    }),
    orderKey: z.string().meta({
      description:
        'Sorts like the thread when compared as strings (occurredAt, then the platform’s counter or the arrival for messages of the same ' +
        'time, then the id): insert a message arriving over the socket at its place with it. Opaque otherwise.',
    }),
  })
  .meta({ id: 'Message' });

export type MessageJson = z.output<typeof messageSchema>;

export function messageView(m: Message): MessageJson {
  return {
    id: m.id,
    conversationId: m.conversationId,
    channelId: m.channelId,
    direction: m.direction,
    senderContactId: m.senderContactId,
    senderAgentId: m.senderAgentId,
    text: m.text,
    // mediaRef is the platform's handle: clients download through /messages/:id/attachments/:index instead.
    attachments: m.attachments.map(({ mediaRef: _ref, uploadId: _upload, ...rest }) => rest),
    private: m.isPrivate,
    externalId: m.externalId,
    platformMessageId: m.platformMessageId,
    replyToExternalId: m.replyToExternalId,
    platformKind: m.platformKind,
    status: m.status,
    failureReason: m.failureReason,
    automatic: m.automatic,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    readAt: m.readAt,
    editedAt: m.editedAt,
    createdAt: m.createdAt,
    occurredAt: m.sortAt,
    orderKey: orderKey(m),
  };
}

export const uploadSchema = z
  .object({ id: z.uuid(), fileName: z.string(), mimeType: z.string(), size: z.number().int() })
  .meta({ id: 'Upload', description: 'Attach it to a reply with `uploadIds`.' });
