import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { Channel, Conversation } from '../database/entities';
import { describeOpening, nextOpening } from '../working-hours/schedule';
import type { AutoReplyService } from './auto-reply.service';

/**
 * What Parley answers by itself when a customer writes:
 * - outside the inbox's working hours, the out-of-office reply naming the next opening (in the inbox's time zone,
 *   written in the customer's language), at most once per conversation per local day of the inbox. It takes the
 *   place of the greeting, and routing says nothing about the queue while the inbox is closed;
 * - within them, on the first customer message of a new conversation, the greeting (when the inbox greets).
 * Decided under the conversation's row lock, against claims that only one transaction can take, so two
 * messages the same night, handled by two workers at once, send one reply.
 */
export class CustomerMessageReplies {
  constructor(
    private readonly ds: DataSource,
    private readonly replies: AutoReplyService,
  ) {}

  async handle(conversationId: string, messageId: string): Promise<void> {
    const written = await this.ds.transaction(async (m) => {
      const conversation = await m.findOne(Conversation, { where: { id: conversationId }, lock: { mode: 'pessimistic_write' } });
      if (!conversation || conversation.isGroup) return [];
      const channel = await m.findOneBy(Channel, { id: conversation.channelId });
      if (!channel || channel.deletedAt) return [];
      const closed = this.replies.closedNow(channel);
      if (closed) {
        const now = this.replies.now();
        const claim = `out_of_office:${DateTime.fromJSDate(now, { zone: closed.timeZone }).toISODate()}`;
        if (!(await this.replies.claim(m, conversation.id, claim))) return [];
        const opening = nextOpening(closed, now);
        return [
          await this.replies.writeClaimed(m, conversation, claim, 'out_of_office', (language) => ({
            opening: opening ? describeOpening(closed, opening, now, language) : '',
          })),
        ];
      }
      if (!(await isFirstCustomerMessage(m, conversation.id, messageId))) return [];
      const greeting = await this.replies.greetIfDue(m, conversation, channel);
      return greeting ? [greeting] : [];
    });
    await this.replies.queue(written);
  }
}

async function isFirstCustomerMessage(
  m: { query(sql: string, params: unknown[]): Promise<Array<{ first: boolean }>> },
  conversationId: string,
  messageId: string,
) {
  const [row] = await m.query(
    `SELECT NOT EXISTS (
       SELECT 1 FROM messages e, messages this WHERE this.id = $2 AND e.conversation_id = $1 AND e.direction = 'inbound'
         AND (e.created_at, e.id) < (this.created_at, this.id)
     ) AND EXISTS (SELECT 1 FROM messages WHERE id = $2 AND conversation_id = $1) AS first`,
    [conversationId, messageId],
  );
  return row?.first === true;
}
