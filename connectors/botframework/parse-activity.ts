import { UnparseableWebhookError, type InboundEvent, type InboundSender, type InboundThread } from '../contract';
import { activitySchema, isAddressed, type Activity, type AddressedActivity } from './activity';
import { messageAttachments, messageText } from './message-content';

/**
 * Pure: one Bot Framework Activity (the webhook body) → Parley events. No SDK here, so moving to the Microsoft 365
 * Agents SDK (same Activity protocol) leaves this file alone.
 *
 * - `message` → message; `messageUpdate` (a Teams edit) → edit of the same message.
 * - `installationUpdate` remove/add in a personal chat (Teams) and `contactRelationUpdate` (Skype, Messenger-era
 *   channels) → subscription: the customer removed or re-added the bot, so replies would fail.
 * - Teams' read receipt (an `event` named `application/vnd.microsoft.readReceipt`) → status `read` of the bot
 *   message it names. It is the only receipt any Bot Framework channel gives a bot (see README, "Receipts").
 * - conversationUpdate (members added/removed, renames), typing, messageReaction, invoke, other events, anything
 *   new → ignored.
 */
export function parseActivity(body: unknown): InboundEvent[] {
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) {
    throw new UnparseableWebhookError(`not a Bot Framework activity: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const a = parsed.data;
  try {
    return eventsOf(a);
  } catch (err) {
    // A submitted card `value` is rendered as text with JSON.stringify, which overflows the stack on a value nested
    // thousands deep (found by fuzzing): no form a customer filled in looks like that.
    if (err instanceof RangeError) throw new UnparseableWebhookError(`activity too deeply nested to read: ${err.message}`);
    throw err;
  }
}

function eventsOf(a: Activity): InboundEvent[] {
  switch (a.type) {
    case 'message':
      return [messageEvent(addressed(a))];
    case 'messageUpdate':
      return [editEvent(addressed(a))];
    case 'installationUpdate':
    case 'contactRelationUpdate':
      return [subscriptionEvent(a)];
    case 'event':
      return [eventActivity(a)];
    default:
      return [{ type: 'ignored', reason: `${a.type} activity` }];
  }
}

/** A message we could never reply to (no conversation, sender, service URL...) is stored for inspection. */
function addressed(a: Activity): AddressedActivity {
  if (!isAddressed(a)) {
    throw new UnparseableWebhookError(`${a.type} activity without id, serviceUrl, channelId, from, recipient or conversation`);
  }
  return a;
}

/**
 * Activity ids are unique only within a conversation on most channels (Teams uses timestamps), so the dedupe key
 * is `conversation.id|id`, in the same scope as the thread id. (Direct Line ids already read `<conversation>|<n>`;
 * the key stays unique, only longer.)
 */
export function dedupeKey(a: AddressedActivity, id = a.id): string {
  return `${a.conversation.id}|${id}`;
}

function messageEvent(a: AddressedActivity): InboundEvent {
  return {
    type: 'message',
    externalId: dedupeKey(a),
    thread: thread(a),
    sender: sender(a),
    text: messageText(a),
    attachments: messageAttachments(a),
    sentAt: timestamp(a.timestamp),
    replyToExternalId: a.replyToId ? dedupeKey(a, a.replyToId) : undefined,
    platformKind: a.value !== undefined && !a.text ? 'message (card submit)' : 'message',
  };
}

function editEvent(a: AddressedActivity): InboundEvent {
  const eventType = a.channelData?.eventType;
  // Teams sends messageUpdate for edits and for undeletes; only an edit changes what the customer said.
  if (eventType !== undefined && eventType !== 'editMessage') return { type: 'ignored', reason: `messageUpdate ${String(eventType)}` };
  return {
    type: 'edit',
    externalId: dedupeKey(a),
    thread: thread(a),
    sender: sender(a),
    text: messageText(a),
    attachments: messageAttachments(a),
    editedAt: timestamp(a.timestamp),
    platformKind: 'messageUpdate',
  };
}

function subscriptionEvent(a: Activity): InboundEvent {
  const action = a.action ?? '';
  const blocked = action === 'remove' || action === 'remove-upgrade';
  const added = action === 'add' || action === 'add-upgrade';
  // In a team or group chat, whoever removes the app is not "the customer blocking us".
  if (!isAddressed(a) || isGroup(a) || (!blocked && !added)) return { type: 'ignored', reason: `${a.type} ${action}`.trim() };
  return { type: 'subscription', sender: sender(a), blocked, at: timestamp(a.timestamp) };
}

/**
 * The event name of Teams' read receipt (TeamsActivityHandler.onTeamsReadReceiptEvent;
 * https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#receive-a-read-receipt).
 */
export const TEAMS_READ_RECEIPT = 'application/vnd.microsoft.readReceipt';

/**
 * Teams sends a read receipt when the user reads the bot's messages in a personal chat (only if the Teams app has
 * the RSC permission ChatMessageReadReceipt.Read.Chat and read receipts are on for the user and tenant).
 * `value.lastReadMessageId` is the id of the last bot message read: the id the Connector API answered our send
 * with, i.e. the message's platformMessageId. Any other event (Messenger handover, meeting events...) is ignored.
 */
function eventActivity(a: Activity): InboundEvent {
  if (a.name !== TEAMS_READ_RECEIPT || a.channelId !== 'msteams') return { type: 'ignored', reason: `${a.type} activity` };
  const last = (a.value as { lastReadMessageId?: unknown } | null | undefined)?.lastReadMessageId;
  const id = typeof last === 'string' ? last.trim() : typeof last === 'number' && Number.isFinite(last) ? String(last) : '';
  if (!id) return { type: 'ignored', reason: 'read receipt without lastReadMessageId' };
  // "Read up to here", and Teams message ids are unique only within a conversation.
  return {
    type: 'status',
    platformMessageId: id,
    status: 'read',
    at: timestamp(a.timestamp),
    recipientExternalId: a.from?.id,
    threadExternalId: a.conversation?.id,
    upTo: true,
  };
}

function isGroup(a: AddressedActivity): boolean {
  const type = a.conversation.conversationType;
  return a.conversation.isGroup === true || type === 'groupChat' || type === 'channel';
}

function thread(a: AddressedActivity): InboundThread {
  const group = isGroup(a);
  return {
    externalId: a.conversation.id,
    isGroup: group,
    title: group ? (a.conversation.name ?? teamName(a)) : undefined,
    replyContext: conversationReference(a),
  };
}

function teamName(a: AddressedActivity): string | undefined {
  const team = a.channelData?.team as { name?: unknown } | undefined;
  return typeof team?.name === 'string' ? team.name : undefined;
}

/** The sender; `profile.channelId` tells the inbox whether this is Messenger, Teams, Skype or Web Chat. */
function sender(a: AddressedActivity): InboundSender {
  const profile: Record<string, string> = { channelId: a.channelId };
  const aad = a.from.aadObjectId;
  if (typeof aad === 'string') profile.aadObjectId = aad;
  const tenant = a.conversation.tenantId ?? tenantOf(a);
  if (tenant) profile.tenantId = tenant;
  if (a.locale) profile.locale = a.locale;
  return { externalId: a.from.id, displayName: a.from.name ?? undefined, profile };
}

function tenantOf(a: AddressedActivity): string | undefined {
  const tenant = a.channelData?.tenant as { id?: unknown } | undefined;
  return typeof tenant?.id === 'string' ? tenant.id : undefined;
}

/**
 * What TurnContext.getConversationReference(activity) returns, built by hand (parse-activity.test.ts compares the
 * two): replies go later through this stored reference, to its serviceUrl, as the bot, into the conversation.
 */
export function conversationReference(a: AddressedActivity): Record<string, unknown> {
  return {
    activityId: a.id,
    user: { ...a.from },
    bot: { ...a.recipient },
    conversation: { ...a.conversation },
    channelId: a.channelId,
    locale: a.locale ?? undefined,
    serviceUrl: a.serviceUrl,
  };
}

/** Bot Framework timestamps are ISO-8601 strings, sometimes with 7 fractional digits (.NET ticks). */
function timestamp(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
