import { z } from 'zod';
import { updateAutoRepliesSchema } from '../../auto-replies/auto-reply-settings.service';
import { AUTO_REPLY_KINDS, PLACEHOLDERS } from '../../auto-replies/templates';
import { isOpen, nextOpening, scheduleSchema } from '../../working-hours/schedule';
import { requireInbox } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, noBody } from '../openapi/responses';
import { dateTime } from '../views';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });

const workingHoursSchema = scheduleSchema.meta({
  id: 'WorkingHours',
  description:
    'An IANA `timeZone`; `weekly`: ISO weekday ("1" Monday … "7" Sunday) → opening intervals in local time (HH:MM, `close` after `open`, 24:00 allowed, no overlaps; a missing day is closed); `holidays`: local dates closed all day.',
});
const workingHoursAnswer = z.object({
  workingHours: workingHoursSchema.nullable().meta({ description: 'null: always open, no out-of-office reply.' }),
  openNow: z.boolean(),
  nextOpening: dateTime.nullable().meta({ description: 'Now when open; null when always open or never opening.' }),
});

const kindSchema = z.enum(AUTO_REPLY_KINDS).meta({ id: 'AutoReplyKind' });
const effectiveMessageSchema = z.object({
  text: z.string().meta({ description: 'What is sent: the override, else the default for the language (else the English default).' }),
  overridden: z.boolean(),
  defaultText: z.string().nullable().meta({ description: "The language's default; null for a language Parley has no defaults in." }),
});
const autoRepliesSchema = z
  .object({
    defaultLanguage: z.string().meta({ description: "Used when the platform does not report the customer's language (or it has no messages)." }),
    greetingEnabled: z.boolean().meta({ description: 'Greet the first customer message of each new conversation (within working hours).' }),
    languages: z.array(
      z.object({
        language: z.string(),
        messages: z.record(kindSchema, effectiveMessageSchema),
        sampleOpening: z
          .string()
          .meta({ description: 'How `{{opening}}` reads in this language for a Monday at 9:00 seen from the Friday before, for previews.' }),
      }),
    ),
    placeholders: z.record(kindSchema, z.array(z.string()).readonly()).meta({ description: 'The placeholders each kind may use, written `{{name}}`.' }),
  })
  .meta({ id: 'AutoReplySettings' });

function hoursAnswer(hours: z.output<typeof scheduleSchema> | null) {
  const now = new Date();
  return { workingHours: hours, openNow: hours ? isOpen(hours, now) : true, nextOpening: hours ? nextOpening(hours, now) : null };
}

/** An inbox's working hours and its automatic messages: admins change them, every agent may read them. */
export const inboxSettingsRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/working-hours',
      operationId: 'getWorkingHours',
      tag: 'Routing',
      summary: "An inbox's working hours, whether it is open now and when it next opens",
      access: 'agent',
      params: idParam,
      responses: { 200: workingHoursAnswer, 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.id);
      return { status: 200, body: hoursAnswer(await ctx.workingHours.get(params.id)) };
    },
  ),
  defineRoute(
    {
      method: 'put',
      path: '/channels/:id/working-hours',
      operationId: 'setWorkingHours',
      tag: 'Routing',
      summary: "Set an inbox's working hours (admins)",
      description:
        'Outside them a customer who writes gets the out-of-office reply naming the next opening, at most once per conversation per local day, ' +
        'and waiting customers are not told their place. An unknown time zone, an interval closing before it opens or overlapping another, or a date listed twice is a 400.',
      access: 'admin',
      params: idParam,
      body: workingHoursSchema,
      responses: { 200: workingHoursAnswer, 404: errorSchema },
    },
    async (ctx, { params, body }) => ({ status: 200, body: hoursAnswer(await ctx.workingHours.set(params.id, body)) }),
  ),
  defineRoute(
    {
      method: 'delete',
      path: '/channels/:id/working-hours',
      operationId: 'deleteWorkingHours',
      tag: 'Routing',
      summary: "Remove an inbox's working hours (admins): always open, no out-of-office reply",
      access: 'admin',
      params: idParam,
      responses: { 204: noBody('Removed'), 404: errorSchema },
    },
    async (ctx, { params }) => {
      await ctx.workingHours.set(params.id, null);
      return { status: 204 };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/auto-replies',
      operationId: 'getAutoReplies',
      tag: 'Routing',
      summary: "An inbox's automatic messages per language, as they are sent (defaults and this inbox's overrides)",
      access: 'agent',
      params: idParam,
      responses: { 200: z.object({ autoReplies: autoRepliesSchema }), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.id);
      return { status: 200, body: { autoReplies: { ...(await ctx.autoReplySettings.get(params.id)), placeholders: PLACEHOLDERS } } };
    },
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/channels/:id/auto-replies',
      operationId: 'updateAutoReplies',
      tag: 'Routing',
      summary: "Change an inbox's automatic messages (admins): default language, greeting on or off, overrides per language",
      description:
        '`overrides`: language → kind → text to set, or null to go back to the default. Messages are plain text; `{{contact.name}}` (at most 60 characters of it) and `{{inbox.name}}` ' +
        'are filled in once and never interpreted. A placeholder the kind does not offer is a 400 naming the allowed ones.',
      access: 'admin',
      params: idParam,
      body: updateAutoRepliesSchema,
      responses: { 200: z.object({ autoReplies: autoRepliesSchema }), 400: error('Invalid input or an unknown placeholder'), 404: errorSchema },
    },
    async (ctx, { params, body }) => ({
      status: 200,
      body: { autoReplies: { ...(await ctx.autoReplySettings.update(params.id, body)), placeholders: PLACEHOLDERS } },
    }),
  ),
];
