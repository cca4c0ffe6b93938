import type { EntityManager } from 'typeorm';
import { Channel } from '../database/entities';
import { notFound } from '../errors/domain-errors';

/**
 * A channel that has not been deleted (a deleted one keeps its row for its conversations), else 404. `lock`:
 * FOR UPDATE, for reading its settings to write them back in the same transaction.
 */
export async function liveChannel(m: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<Channel> {
  const channel = await m.findOne(Channel, { where: { id }, ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!channel || channel.deletedAt) throw notFound('channel not found');
  return channel;
}
