import { UnparseableWebhookError, type DeliveryStatus, type InboundEvent, type InboundIgnoredEvent, type InboundSender, type InboundThread } from '../contract';
import { contentOf } from './message-content';
import {
  editSchema,
  envelopeSchema,
  messageSchema,
  reactionSchema,
  revokeSchema,
  statusSchema,
  systemSchema,
  valueSchema,
  type GraphErrorItem,
  type WaContact,
  type WaMessage,
} from './webhook-schema';

/**
 * Pure parser: one WhatsApp Cloud API webhook to Parley events.
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages)
 *
 * - One webhook can batch several entries, changes, messages and statuses: every one becomes an event.
 * - messages[] → `message` keyed on the wamid (globally unique). `edit` → `edit` of the original wamid.
 * - statuses[] → `status` (sent, delivered, read; `played` for voice/video counts as read; failed with its reason).
 * - Reactions, revokes (deletions), request_welcome, value-level errors and other webhook fields → ignored:
 *   the contract has no event for them (see README).
 */
export interface ParseOptions {
  /**
   * Keep only events for this business phone number. One Meta app has one default callback URL, so events for
   * every number subscribed to the app can arrive at one channel account's URL: never file them under this one.
   */
  phoneNumberId?: string;
}

export function parseWhatsAppWebhook(body: unknown, opts: ParseOptions = {}): InboundEvent[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnparseableWebhookError('a WhatsApp webhook is a JSON object');
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new UnparseableWebhookError('not a WhatsApp webhook: `object` and `entry[]` are required');
  if (envelope.data.object !== 'whatsapp_business_account') {
    return [ignored(`webhook object "${envelope.data.object}" is not whatsapp_business_account`)];
  }
  const events = envelope.data.entry.flatMap((entry) => entry.changes.flatMap((change) => changeEvents(change, opts)));
  return events.length ? events : [ignored('webhook without changes')];
}

function changeEvents(change: { field?: string; value: unknown }, opts: ParseOptions): InboundEvent[] {
  if (change.field !== 'messages') return [ignored(`webhook field "${change.field ?? '(none)'}" is not handled`)];
  const parsed = valueSchema.safeParse(change.value);
  if (!parsed.success) return [ignored('messages change without a valid value')];
  const value = parsed.data;
  const phoneNumberId = value.metadata?.phone_number_id;
  if (opts.phoneNumberId !== undefined && phoneNumberId !== opts.phoneNumberId) {
    return [ignored(`event for phone number id ${phoneNumberId ?? '(none)'}, not this channel's`)];
  }
  const contacts = value.contacts ?? [];
  const events: InboundEvent[] = [
    ...(value.messages ?? []).map((m) => messageEvent(m, contacts)),
    ...(value.statuses ?? []).map(statusEvent),
    // Asynchronous errors not tied to a message (e.g. 130429 throughput, 0 auth): for the logs, not the inbox.
    ...(value.errors ?? []).map((e) => ignored(`WhatsApp reported error ${describeGraphError(e)}`)),
  ];
  return events.length ? events : [ignored('messages change with no messages, statuses or errors')];
}

function messageEvent(raw: unknown, contacts: WaContact[]): InboundEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return ignored('malformed message (no id or type)');
  const m = parsed.data as WaMessage;
  if (!m.from && !m.from_user_id) return ignored(`message ${m.id} has no sender`);

  switch (m.type) {
    case 'reaction': {
      const r = reactionSchema.safeParse(m.reaction);
      if (!r.success) return ignored(`malformed reaction ${m.id}`);
      // An empty emoji removes an earlier reaction.
      return ignored(r.data.emoji ? `reaction ${r.data.emoji} to ${r.data.message_id}` : `reaction removed from ${r.data.message_id}`);
    }
    case 'revoke': {
      const r = revokeSchema.safeParse(m.revoke);
      return ignored(r.success ? `customer deleted message ${r.data.original_message_id}` : `malformed revoke ${m.id}`);
    }
    case 'request_welcome':
      return ignored('customer opened the chat for the first time (request_welcome)');
    case 'edit':
      return editEvent(m, contacts);
  }

  const content = contentOf(m.type, m);
  if (!content.ok) return ignored(`${content.reason} in message ${m.id}`);
  return {
    type: 'message',
    externalId: m.id,
    thread: threadOf(m),
    sender: senderOf(m, contacts),
    ...content.content,
    sentAt: fromUnixSeconds(m.timestamp),
    replyToExternalId: m.context?.id,
    platformKind: m.type === 'system' ? `system:${systemSchema.safeParse(m.system).data?.type ?? 'unknown'}` : m.type,
  };
}

/** The 2025 edit webhook: the new content of an earlier message, identified by its original wamid. */
function editEvent(m: WaMessage, contacts: WaContact[]): InboundEvent {
  const edit = editSchema.safeParse(m.edit);
  if (!edit.success) return ignored(`malformed edit ${m.id}`);
  const content = contentOf(edit.data.message.type, edit.data.message);
  if (!content.ok) return ignored(`${content.reason} in edit ${m.id}`);
  return {
    type: 'edit',
    externalId: edit.data.original_message_id,
    thread: threadOf(m),
    sender: senderOf(m, contacts),
    ...content.content,
    editedAt: fromUnixSeconds(m.timestamp),
    platformKind: 'edit',
  };
}

const STATUS: Record<string, Exclude<DeliveryStatus, 'pending'>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice note or video was played: it was certainly read.
  played: 'read',
  failed: 'failed',
};

function statusEvent(raw: unknown): InboundEvent {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return ignored('malformed status (no id or status)');
  const s = parsed.data;
  const status = STATUS[s.status];
  if (!status) return ignored(`status "${s.status}" for ${s.id} is not tracked`);
  return {
    type: 'status',
    platformMessageId: s.id,
    status,
    at: fromUnixSeconds(s.timestamp),
    error: status === 'failed' ? s.errors?.map(describeGraphError).join('; ') || 'failed without a reason' : undefined,
    recipientExternalId: s.recipient_id ?? s.recipient_user_id,
  };
}

// ---------------------------------------------------------------------------------------------------------------

function threadOf(m: WaMessage): InboundThread {
  // Groups API: replies go to the group (recipient_type "group"), which the send path reads from replyContext.
  if (m.group_id) return { externalId: m.group_id, isGroup: true, replyContext: { recipientType: 'group' } };
  return { externalId: (m.from ?? m.from_user_id)!, isGroup: false };
}

/**
 * The sender's identity is the phone number (wa_id) when Meta shares it, else the business-scoped user id
 * (BSUID) of a user who hides their number behind a username. The name comes from the contacts[] entry with
 * the same wa_id / user_id: a batch can carry several contacts, and the first one may be someone else.
 */
function senderOf(m: WaMessage, contacts: WaContact[]): InboundSender {
  const contact = contacts.find((c) => (m.from !== undefined && c.wa_id === m.from) || (m.from_user_id !== undefined && c.user_id === m.from_user_id));
  const externalId = (m.from ?? m.from_user_id)!;
  const profile: Record<string, string> = {};
  // Kept so the core can link a number's identity with the same person's BSUID later.
  const bsuid = m.from_user_id ?? contact?.user_id;
  if (bsuid && bsuid !== externalId) profile.bsuid = bsuid;
  if (contact?.parent_user_id) profile.parentBsuid = contact.parent_user_id;
  if (m.type === 'system') {
    const s = systemSchema.safeParse(m.system).data;
    const newId = s?.new_wa_id ?? s?.wa_id;
    if (newId && newId !== externalId) profile.newWaId = newId;
  }
  return {
    externalId,
    displayName: contact?.profile?.name || undefined,
    username: contact?.profile?.username,
    profile: Object.keys(profile).length ? profile : undefined,
  };
}

/** `title (code): details`, for the agent and the logs. */
export function describeGraphError(e: GraphErrorItem): string {
  const title = e.title ?? e.message ?? 'error';
  const details = e.error_data?.details;
  return `${e.code ?? '?'} ${title}${details && details !== title ? `: ${details}` : ''}`;
}

/** Undefined too for a time beyond what a Date holds (fuzzing sent 2^53 seconds): the worker then uses receipt time. */
function fromUnixSeconds(ts: string | number | undefined): Date | undefined {
  const seconds = Number(ts);
  const date = ts !== undefined && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function ignored(reason: string): InboundIgnoredEvent {
  return { type: 'ignored', reason };
}
