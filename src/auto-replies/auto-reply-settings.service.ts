import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Channel } from '../database/entities';
import { liveChannel } from '../channels/live-channel';
import { describeOpening, scheduleSchema } from '../working-hours/schedule';
import { AUTO_REPLY_KINDS, DEFAULT_TEMPLATES, PLACEHOLDERS, unknownPlaceholders, type AutoReplyKind } from './templates';

/** A language as the platforms report it, reduced to its primary subtag ("pl", "uk", "de"). */
export const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'a language code such as pl or uk');
const kindSchema = z.enum(AUTO_REPLY_KINDS);

/**
 * A change to an inbox's automatic messages: the default language, whether it greets, and per language the
 * overrides to set (text) or clear (null, back to the default). A template may use only its kind's
 * placeholders: any other `{{...}}` is refused, naming the ones allowed.
 */
export const updateAutoRepliesSchema = z
  .object({
    defaultLanguage: languageCode.optional(),
    greetingEnabled: z.boolean().optional(),
    overrides: z.record(languageCode, z.partialRecord(kindSchema, z.string().trim().min(1).max(1000).nullable())).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    for (const [language, kinds] of Object.entries(input.overrides ?? {})) {
      for (const [kind, text] of Object.entries(kinds ?? {})) {
        if (typeof text !== 'string') continue;
        const unknown = unknownPlaceholders(kind as AutoReplyKind, text);
        if (unknown.length)
          ctx.addIssue({
            code: 'custom',
            path: ['overrides', language, kind],
            message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}: ${kind} may use ${PLACEHOLDERS[kind as AutoReplyKind].map((p) => `{{${p}}}`).join(', ')}`,
          });
      }
    }
  });

export type UpdateAutoReplies = z.infer<typeof updateAutoRepliesSchema>;

export interface EffectiveMessage {
  text: string;
  /** True when this inbox changed it; false: the default for the language. */
  overridden: boolean;
  defaultText: string | null;
}

export interface AutoReplySettings {
  defaultLanguage: string;
  greetingEnabled: boolean;
  /** Every language with defaults or overrides, each with every kind's effective text. */
  languages: Array<{ language: string; messages: Record<AutoReplyKind, EffectiveMessage>; sampleOpening: string }>;
}

/** A Friday evening and the Monday 9:00 after it: how `{{opening}}` reads in each language, for previews. */
const SAMPLE = {
  hours: scheduleSchema.parse({ timeZone: 'UTC', weekly: {} }),
  now: new Date('2026-11-27T18:00:00Z'),
  opening: new Date('2026-11-30T09:00:00Z'),
};

/** Admins edit an inbox's automatic messages per language; every agent may read them. */
export class AutoReplySettingsService {
  constructor(private readonly ds: DataSource) {}

  async get(channelId: string): Promise<AutoReplySettings> {
    return settingsOf(await liveChannel(this.ds.manager, channelId));
  }

  async update(channelId: string, input: UpdateAutoReplies): Promise<AutoReplySettings> {
    return this.ds.transaction(async (m) => {
      const channel = await liveChannel(m, channelId, { lock: true });
      const overrides: Record<string, Record<string, string>> = structuredClone(channel.autoReplies ?? {});
      for (const [language, kinds] of Object.entries(input.overrides ?? {})) {
        const current = { ...(overrides[language] ?? {}) };
        for (const [kind, text] of Object.entries(kinds ?? {})) {
          if (text === null || text === undefined) delete current[kind];
          else current[kind] = text;
        }
        if (Object.keys(current).length) overrides[language] = current;
        else delete overrides[language];
      }
      channel.autoReplies = overrides;
      if (input.defaultLanguage !== undefined) channel.defaultLanguage = input.defaultLanguage;
      if (input.greetingEnabled !== undefined) channel.greetingEnabled = input.greetingEnabled;
      await m.query(`UPDATE channels SET auto_replies = $2, default_language = $3, greeting_enabled = $4, updated_at = now() WHERE id = $1`, [
        channelId,
        JSON.stringify(overrides),
        channel.defaultLanguage,
        channel.greetingEnabled,
      ]);
      return settingsOf(channel);
    });
  }
}

function settingsOf(channel: Channel): AutoReplySettings {
  const overrides = channel.autoReplies ?? {};
  const languages = [...new Set([...Object.keys(DEFAULT_TEMPLATES), ...Object.keys(overrides)])];
  return {
    defaultLanguage: channel.defaultLanguage,
    greetingEnabled: channel.greetingEnabled,
    languages: languages.map((language) => ({
      language,
      messages: Object.fromEntries(
        AUTO_REPLY_KINDS.map((kind) => {
          const defaultText = DEFAULT_TEMPLATES[language]?.[kind] ?? null;
          const own = overrides[language]?.[kind];
          // A language with overrides only falls back to English for the kinds it has not written, as sending does.
          return [kind, { text: own ?? defaultText ?? DEFAULT_TEMPLATES.en[kind], overridden: own !== undefined, defaultText }];
        }),
      ) as Record<AutoReplyKind, EffectiveMessage>,
      sampleOpening: describeOpening(SAMPLE.hours, SAMPLE.opening, SAMPLE.now, language),
    })),
  };
}
