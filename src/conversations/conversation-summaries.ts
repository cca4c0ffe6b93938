import type { DataSource } from 'typeorm';

/** What an inbox row shows beyond the conversation itself, read for a whole page in one query. */
export interface ConversationSummary {
  contactName: string | null;
  contactAvatarUrl: string | null;
  channelType: string;
  channelName: string;
  /** The customer wrote last (private notes aside). */
  awaitingReply: boolean;
  lastMessage: {
    text: string | null;
    direction: 'inbound' | 'outbound';
    isPrivate: boolean;
    attachmentCount: number;
    status: string;
    createdAt: Date;
    occurredAt: Date;
  } | null;
}

/**
 * Contact, channel and last message of each conversation: one statement (a LATERAL join on the messages_thread
 * index), so that the inbox list needs one request and the server one extra query. "Last" is last in the thread's
 * order (src/messages/thread-order.ts), as the thread lists it: a late, older message does not become the preview.
 * The contact's name falls back to the name the platform gave their first identity.
 */
export async function loadConversationSummaries(ds: DataSource, conversationIds: string[]): Promise<Map<string, ConversationSummary>> {
  if (conversationIds.length === 0) return new Map();
  const rows: Array<Record<string, any>> = await ds.query(
    `SELECT c.id,
            COALESCE(ct.name, (SELECT i.display_name FROM contact_identities i WHERE i.contact_id = ct.id AND i.display_name IS NOT NULL
                               ORDER BY i.created_at LIMIT 1)) AS contact_name,
            ct.avatar_url, ch.type AS channel_type, ch.name AS channel_name,
            COALESCE((SELECT m.direction = 'inbound' FROM messages m WHERE m.conversation_id = c.id AND NOT m.is_private
                       ORDER BY m.sort_at DESC, m.sort_seq DESC, m.id DESC LIMIT 1), false) AS awaiting_reply,
            lm.text, lm.direction, lm.is_private, lm.attachment_count, lm.status, lm.created_at, lm.sort_at
       FROM conversations c
       JOIN contacts ct ON ct.id = c.contact_id
       JOIN channels ch ON ch.id = c.channel_id
       LEFT JOIN LATERAL (
         SELECT m.text, m.direction, m.is_private, jsonb_array_length(m.attachments) AS attachment_count, m.status, m.created_at, m.sort_at
           FROM messages m WHERE m.conversation_id = c.id ORDER BY m.sort_at DESC, m.sort_seq DESC, m.id DESC LIMIT 1
       ) lm ON true
      WHERE c.id = ANY($1::uuid[])`,
    [conversationIds],
  );
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
        contactName: r.contact_name ?? null,
        contactAvatarUrl: r.avatar_url ?? null,
        channelType: r.channel_type,
        channelName: r.channel_name,
        awaitingReply: r.awaiting_reply === true,
        lastMessage: r.direction
          ? {
              text: r.text ?? null,
              direction: r.direction,
              isPrivate: r.is_private,
              attachmentCount: Number(r.attachment_count ?? 0),
              status: r.status,
              createdAt: new Date(r.created_at),
              occurredAt: new Date(r.sort_at),
            }
          : null,
      },
    ]),
  );
}
