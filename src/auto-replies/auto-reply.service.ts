import type { EntityManager } from 'typeorm';
import { Channel, ContactIdentity, Contact, type Conversation } from '../database/entities';
import { recordEvents } from '../events/outbox';
import { enqueueStoredReplies, type Queues } from '../queues/queues';
import { isOpen, type Schedule } from '../working-hours/schedule';
import { readWorkingHours } from '../working-hours/working-hours.service';
import { chooseLanguage, DEFAULT_TEMPLATES, PLACEHOLDERS, renderTemplate, type AutoReplyKind } from './templates';

/** A customer's name goes into a message as plain text, cut to this many characters (a name can be any length). */
const NAME_CAP = 60;

type Values = Record<string, string | number | null>;

/**
 * Automatic messages go out through the channel like an agent's reply — stored `pending`, queued on `outbound`,
 * rate-limited, retried, with ticks — and are marked with their kind in the thread. Written in the caller's
 * transaction; `queue` after the commit (if that is lost, the pending sweeper queues it).
 */
export class AutoReplyService {
  constructor(
    private readonly queues: Pick<Queues, 'outbound'>,
    private readonly attempts: number,
    /** The clock working hours are read against (tests set it; the message's own time plays no part). */
    readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Stores the message for `kind` in the customer's language; its id, to pass to `queue` after commit. `values`
   * may depend on the language chosen (the out-of-office reply's opening time is written in it).
   */
  async write(m: EntityManager, conversation: Conversation, kind: AutoReplyKind, values: Values | ((language: string) => Values)): Promise<string> {
    const channel = await m.findOneByOrFail(Channel, { id: conversation.channelId });
    const [identity, contact] = await Promise.all([
      m.findOneBy(ContactIdentity, { contactId: conversation.contactId, channelId: conversation.channelId }),
      m.findOneBy(Contact, { id: conversation.contactId }),
    ]);
    const languages = new Set([...Object.keys(DEFAULT_TEMPLATES), ...Object.keys(channel.autoReplies ?? {})]);
    const language = chooseLanguage(identity?.profile?.language, channel.defaultLanguage, languages);
    const template = channel.autoReplies?.[language]?.[kind] ?? DEFAULT_TEMPLATES[language]?.[kind] ?? DEFAULT_TEMPLATES.en[kind];
    const given = typeof values === 'function' ? values(language) : values;
    const all: Values = { 'contact.name': capName(contact?.name ?? identity?.displayName), 'inbox.name': channel.name, ...given };
    // Only the kind's own placeholders are filled: a template cannot pull in another kind's values.
    const text = renderTemplate(template, Object.fromEntries(PLACEHOLDERS[kind].map((name) => [name, all[name]])));
    const [row] = await m.query(
      `INSERT INTO messages (conversation_id, channel_id, direction, text, status, automatic) VALUES ($1, $2, 'outbound', $3, 'pending', $4) RETURNING id`,
      [conversation.id, conversation.channelId, text, kind],
    );
    await recordEvents(m, [{ type: 'message.created', conversationId: conversation.id, data: { messageId: row.id, agentId: null, private: false } }]);
    return row.id;
  }

  /** The inbox's working hours when it is closed now (the out-of-office reply speaks then); null when open. */
  closedNow(channel: Channel): Schedule | null {
    const hours = readWorkingHours(channel.workingHours);
    return hours && !isOpen(hours, this.now()) ? hours : null;
  }

  /**
   * Takes the right to send something once per conversation (`greeting`, `out_of_office:2026-03-28`): true for
   * exactly one caller, however many workers and messages race (the primary key decides).
   */
  async claim(m: EntityManager, conversationId: string, claim: string): Promise<boolean> {
    const rows = await m.query(`INSERT INTO auto_reply_claims (conversation_id, claim) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING claim`, [
      conversationId,
      claim,
    ]);
    return rows.length === 1;
  }

  /** Writes a claimed message and records which message the claim sent. */
  async writeClaimed(m: EntityManager, conversation: Conversation, claim: string, kind: AutoReplyKind, values: Values | ((language: string) => Values)) {
    const id = await this.write(m, conversation, kind, values);
    await m.query(`UPDATE auto_reply_claims SET message_id = $3 WHERE conversation_id = $1 AND claim = $2`, [conversation.id, claim, id]);
    return id;
  }

  /**
   * The greeting, when the inbox greets and the conversation has had no reply of any kind yet: once per
   * conversation. Called for the conversation's first customer message, and by routing just before it tells a
   * waiting customer their place, so that the greeting always comes first (whichever runs first writes it).
   * The caller holds the conversation's row lock.
   */
  async greetIfDue(m: EntityManager, conversation: Conversation, channel: Channel): Promise<string | null> {
    if (!channel.greetingEnabled) return null;
    const [answered] = await m.query(`SELECT 1 FROM messages WHERE conversation_id = $1 AND direction = 'outbound' AND NOT is_private LIMIT 1`, [
      conversation.id,
    ]);
    if (answered || !(await this.claim(m, conversation.id, 'greeting'))) return null;
    return this.writeClaimed(m, conversation, 'greeting', 'greeting', {});
  }

  /** Queues written messages for sending; Redis down: the pending sweeper queues them later. */
  queue(messageIds: string[]): Promise<void> {
    return enqueueStoredReplies(this.queues, messageIds, this.attempts);
  }
}

function capName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  const chars = [...trimmed];
  return chars.length > NAME_CAP ? `${chars.slice(0, NAME_CAP - 1).join('')}…` : trimmed;
}
