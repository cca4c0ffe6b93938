import type { DataSource } from 'typeorm';
import { liveChannel } from '../channels/live-channel';
import { recordEvents } from '../events/outbox';
import { readRoutingSettings, routingSettingsSchema, type RoutingSettings } from './routing-settings';

export const updateRoutingSchema = routingSettingsSchema.partial();

export interface WaitingConversation {
  conversationId: string;
  channelId: string;
  position: number;
  waitingSince: Date;
  /** Who waits, for the queue screen. */
  contactName: string | null;
}

/** Admins set each inbox's routing; anyone may see who waits. */
export class InboxRoutingService {
  constructor(private readonly ds: DataSource) {}

  async get(channelId: string): Promise<RoutingSettings> {
    return readRoutingSettings((await liveChannel(this.ds.manager, channelId)).routing);
  }

  /** Given keys replace the stored ones. A change may let waiting conversations through: the queue is served. */
  async update(channelId: string, input: Partial<RoutingSettings>): Promise<RoutingSettings> {
    return this.ds.transaction(async (m) => {
      const channel = await liveChannel(m, channelId, { lock: true });
      const next = routingSettingsSchema.parse({ ...readRoutingSettings(channel.routing), ...input });
      await m.query(`UPDATE channels SET routing = $2, updated_at = now() WHERE id = $1`, [channelId, JSON.stringify(next)]);
      await recordEvents(m, [{ type: 'inbox.routing_changed', conversationId: null, data: { channelId } }]);
      return next;
    });
  }

  /**
   * The waiting queue, oldest first, numbered per inbox as the customers were told. `inboxIds`: only these
   * inboxes (an agent's own); null: all (admins).
   */
  async waiting(channelId: string | undefined, inboxIds: string[] | null): Promise<WaitingConversation[]> {
    const rows: Array<{ id: string; channel_id: string; waiting_since: Date; position: number; contact_name: string | null }> = await this.ds.query(
      `SELECT c.id, c.channel_id, c.waiting_since, ct.name AS contact_name,
              row_number() OVER (PARTITION BY c.channel_id ORDER BY c.waiting_since, c.id)::int AS position
       FROM conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id
       WHERE c.waiting_since IS NOT NULL AND c.assignee_id IS NULL AND c.status <> 'resolved' AND ($1::uuid IS NULL OR c.channel_id = $1)
         AND ($2::uuid[] IS NULL OR c.channel_id = ANY($2::uuid[]))
       ORDER BY c.waiting_since, c.id LIMIT 1000`,
      [channelId ?? null, inboxIds],
    );
    return rows.map((r) => ({
      conversationId: r.id,
      channelId: r.channel_id,
      position: r.position,
      waitingSince: r.waiting_since,
      contactName: r.contact_name,
    }));
  }
}
