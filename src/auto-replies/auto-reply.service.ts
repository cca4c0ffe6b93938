import type { EntityManager } from 'typeorm';
import { Channel, ContactIdentity, Contact, type Conversation } from '../database/entities';
import { recordEvents } from '../events/outbox';
import { enqueueReply, type Queues } from '../queues/queues';
import { chooseLanguage, DEFAULT_TEMPLATES, renderTemplate, type AutoReplyKind } from './templates';

/**
 * Automatic messages go out through the channel like an agent's reply — stored `pending`, queued on `outbound`,
 * rate-limited, retried, with ticks — and are marked with their kind in the thread. Written in the caller's
 * transaction; `queue` after the commit (if that is lost, the pending sweeper queues it).
 */
export class AutoReplyService {
  constructor(
    private readonly queues: Pick<Queues, 'outbound'>,
    private readonly attempts: number,
  ) {}

  /** Stores the message for `kind` in the customer's language; its id, to pass to `queue` after commit. */
  async write(m: EntityManager, conversation: Conversation, kind: AutoReplyKind, values: Record<string, string | number>): Promise<string> {
    const channel = await m.findOneByOrFail(Channel, { id: conversation.channelId });
    const [identity, contact] = await Promise.all([
      m.findOneBy(ContactIdentity, { contactId: conversation.contactId, channelId: conversation.channelId }),
      m.findOneBy(Contact, { id: conversation.contactId }),
    ]);
    const languages = new Set([...Object.keys(DEFAULT_TEMPLATES), ...Object.keys(channel.autoReplies ?? {})]);
    const language = chooseLanguage(identity?.profile?.language, channel.defaultLanguage, languages);
    const template = channel.autoReplies?.[language]?.[kind] ?? DEFAULT_TEMPLATES[language]?.[kind] ?? DEFAULT_TEMPLATES.en[kind];
    const text = renderTemplate(template, { 'contact.name': contact?.name ?? identity?.displayName ?? null, 'inbox.name': channel.name, ...values });
    const [row] = await m.query(
      `INSERT INTO messages (conversation_id, channel_id, direction, text, status, automatic) VALUES ($1, $2, 'outbound', $3, 'pending', $4) RETURNING id`,
      [conversation.id, conversation.channelId, text, kind],
    );
    await recordEvents(m, [{ type: 'message.created', conversationId: conversation.id, data: { messageId: row.id, agentId: null, private: false } }]);
    return row.id;
  }

  /** Queues written messages for sending; Redis down: the pending sweeper queues them later. */
  async queue(messageIds: string[]): Promise<void> {
    for (const id of messageIds) await enqueueReply(this.queues, id, this.attempts).catch(() => undefined);
  }
}
