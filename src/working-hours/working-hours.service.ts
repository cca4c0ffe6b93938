import type { DataSource } from 'typeorm';
import { liveChannel } from '../channels/live-channel';
import { scheduleSchema, type Schedule } from './schedule';

/** Stored hours, read leniently: a value an older version wrote that no longer parses counts as always open. */
export function readWorkingHours(stored: unknown): Schedule | null {
  if (stored === null || stored === undefined) return null;
  const parsed = scheduleSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** Admins set each inbox's working hours (null: always open); every agent may read them. */
export class WorkingHoursService {
  constructor(private readonly ds: DataSource) {}

  async get(channelId: string): Promise<Schedule | null> {
    return readWorkingHours((await liveChannel(this.ds.manager, channelId)).workingHours);
  }

  /** Replaces the inbox's hours (already validated at the edge); null removes them. */
  async set(channelId: string, hours: Schedule | null): Promise<Schedule | null> {
    await liveChannel(this.ds.manager, channelId);
    await this.ds.query(`UPDATE channels SET working_hours = $2, updated_at = now() WHERE id = $1`, [channelId, hours === null ? null : JSON.stringify(hours)]);
    return hours;
  }
}
