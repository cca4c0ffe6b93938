import type { DataSource } from 'typeorm';
import { liveChannel } from '../channels/live-channel';
import { lifecycleChangeSchema, lifecycleSettingsSchema, readLifecycleSettings, type LifecycleSettings } from './lifecycle-settings';

export const updateLifecycleSchema = lifecycleChangeSchema;

/** Admins set each inbox's reopen window and idle resolving; agents may read them. */
export class LifecycleSettingsService {
  constructor(private readonly ds: DataSource) {}

  async get(channelId: string): Promise<LifecycleSettings> {
    return readLifecycleSettings((await liveChannel(this.ds.manager, channelId)).lifecycle);
  }

  /** Given keys replace the stored ones; the next sweep applies them. */
  async update(channelId: string, input: Partial<LifecycleSettings>): Promise<LifecycleSettings> {
    return this.ds.transaction(async (m) => {
      const channel = await liveChannel(m, channelId, { lock: true });
      const next = lifecycleSettingsSchema.parse({ ...readLifecycleSettings(channel.lifecycle), ...input });
      await m.query(`UPDATE channels SET lifecycle = $2, updated_at = now() WHERE id = $1`, [channelId, JSON.stringify(next)]);
      return next;
    });
  }
}
