import { z } from 'zod';

/**
 * Timestamps: records hold Dates, the JSON holds ISO strings (what `Date.toJSON` writes). A codec says both,
 * so a view's return type (the output side: Date) is checked by the compiler and the document describes the
 * wire (the input side: `string`, `format: date-time`), and a test can parse real JSON with the same schema.
 */
export const dateTime = z.codec(z.iso.datetime(), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/** The shape every error answers with (src/http/middleware/error-handler.ts). */
export const errorSchema = z
  .object({
    error: z.string().meta({ description: 'What went wrong, for a person to read.' }),
    // The convention of DomainError's and zod's details alike (error-handler.ts): one entry per bad field.
    details: z
      .array(z.object({ path: z.string().meta({ description: 'The field, dotted: `credentials.botToken`' }), message: z.string() }))
      .optional()
      .meta({ description: 'For invalid input: what is wrong with each field.' }),
  })
  .meta({ id: 'Error' });
