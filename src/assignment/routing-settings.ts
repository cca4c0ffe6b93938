import { z } from 'zod';
import { ROUTING_STRATEGIES } from './strategies';

/** An inbox's routing, as admins set it. Stored in channels.routing; a missing key takes its default. */
export const routingSettingsSchema = z
  .object({
    strategy: z.enum(ROUTING_STRATEGIES).default('round_robin'),
    /** Route only to this team's members. */
    teamId: z.uuid().nullable().default(null),
    /** Beyond this many waiting, a new customer is told the team is fully busy (the conversation still waits). */
    maxQueueLength: z.number().int().min(0).max(100_000).nullable().default(null),
    /** Tell a customer who starts waiting their place and the expected wait (off until an admin turns it on). */
    announceQueuePosition: z.boolean().default(false),
  })
  .strict();

export type RoutingSettings = z.infer<typeof routingSettingsSchema>;

// Built once: zod compiles a schema on its first parse, so a schema made per call costs that every time (it was
// the largest piece of routing's CPU in `npm run bench`).
const lenient = routingSettingsSchema.strip();

/** Stored settings, read leniently: a key an older version wrote is ignored rather than breaking routing. */
export function readRoutingSettings(stored: unknown): RoutingSettings {
  const parsed = lenient.safeParse(stored ?? {});
  return parsed.success ? parsed.data : routingSettingsSchema.parse({});
}
