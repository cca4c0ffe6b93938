import type { DataSource } from 'typeorm';
import { Channel } from '../database/entities';
import { notFound } from '../errors/domain-errors';
import { lifecycleChangeSchema, lifecycleSettingsSchema, readLifecycleSettings, type LifecycleSettings } from './lifecycle-settings';

export const updateLifecycleSchema = lifecycleChangeSchema;

/** Admins set each inbox's reopen window and idle resolving; agents may read them. */
export class LifecycleSettingsService {
  constructor(private readonly ds: DataSource) {}

  async get(channelId: string): Promise<LifecycleSettings> {
    const channel = await this.ds.getRepository(Channel).findOneBy({ id: channelId });
    if (!channel || channel.deletedAt) throw notFound('channel not found');
    return readLifecycleSettings(channel.lifecycle);
  }

  /** Given keys replace the stored ones; the next sweep applies them. */
  async update(channelId: string, input: Partial<LifecycleSettings>): Promise<LifecycleSettings> {
    return this.ds.transaction(async (m) => {
      const channel = await m.findOne(Channel, { where: { id: channelId }, lock: { mode: 'pessimistic_write' } });
      if (!channel || channel.deletedAt) throw notFound('channel not found');
      const next = lifecycleSettingsSchema.parse({ ...readLifecycleSettings(channel.lifecycle), ...input });
      await m.query(`UPDATE channels SET lifecycle = $2, updated_at = now() WHERE id = $1`, [channelId, JSON.stringify(next)]);
      return next;
    });
  }
}
