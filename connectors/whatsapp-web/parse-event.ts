import { UnparseableWebhookError, type InboundEvent, type InboundIgnoredEvent, type InboundStatusEvent } from '../contract';
import { messageAttachments } from './parse-attachments';
import { asObject, jid, messageId, num, str, type Json } from './parse-json';

/**
 * Pure parser: one WhatsApp Web session event (session-events.ts) to Parley events. Accepts
 * - our own envelope `{event: 'message' | 'message_ack', session, payload}` written by the SessionManager,
 * - WAHA webhook envelopes (`message`, `message.any`, `message.ack`, `message.reaction`, `message.revoked`),
 *   whose payload is the same whatsapp-web.js Message data (https://waha.devlike.pro/docs/how-to/),
 * - a bare JSON-serialised whatsapp-web.js Message (https://docs.wwebjs.dev/Message.html).
 *
 * Messages sent from this account (`fromMe`: by Parley or by someone on the phone) are echoes: ignored.
 * Receipts (`ack`) become status events. Reactions, deletions, status updates, channel posts, system
 * notifications and unknown kinds are ignored, never thrown.
 */
export interface ParseOptions {
  /** Drop messages from group chats (the channel setting `ignoreGroups`). */
  ignoreGroups?: boolean;
}

export function parseSessionEvent(body: unknown, opts: ParseOptions = {}): InboundEvent[] {
  const obj = asObject(body);
  if (!obj) throw new UnparseableWebhookError('a WhatsApp Web event is a JSON object');
  if (typeof obj.event === 'string') return [envelopeEvent(obj.event, obj.payload, opts)];
  if (obj.id !== undefined) return [messageEvent(obj, opts)];
  throw new UnparseableWebhookError('neither a session event envelope nor a whatsapp-web.js message');
}

function envelopeEvent(event: string, payload: unknown, opts: ParseOptions): InboundEvent {
  switch (event) {
    // message.any and message_create also carry our own messages: the fromMe check drops those.
    case 'message':
    case 'message.any':
    case 'message_create':
      return messageEvent(payloadOf(event, payload), opts);
    case 'message_ack':
    case 'message.ack':
      return ackEvent(payloadOf(event, payload));
    case 'message.reaction':
    case 'message_reaction':
      return ignored('reactions are not inbox messages');
    case 'message.revoked':
    case 'message_revoke_everyone':
      // The contract has no deletion event; the inbox keeps what the customer wrote.
      return ignored('the sender deleted a message for everyone');
    default:
      return ignored(`session event ${event} is not an inbox event`);
  }
}

function payloadOf(event: string, payload: unknown): Json {
  const obj = asObject(payload);
  if (!obj) throw new UnparseableWebhookError(`${event} event without a payload object`);
  return obj;
}

/** Types that carry something a customer wrote. Anything else is a notification or a kind we do not render. */
const MESSAGE_TYPES = new Set([
  'chat',
  'image',
  'video',
  'audio',
  'ptt',
  'document',
  'sticker',
  'location',
  'vcard',
  'multi_vcard',
  'buttons_response',
  'list_response',
  'template_button_reply',
]);

const NOT_A_MESSAGE: Record<string, string> = {
  revoked: 'a message deleted by its sender',
  e2e_notification: 'an encryption notification',
  notification: 'a system notification',
  notification_template: 'a system notification',
  gp2: 'a group notification (members, subject...)',
  group_notification: 'a group notification (members, subject...)',
  broadcast_notification: 'a broadcast notification',
  call_log: 'a call log entry',
  protocol: 'a protocol message',
  // "Waiting for this message": WhatsApp Web could not decrypt it (yet); its content is unknown.
  ciphertext: 'a message WhatsApp Web could not decrypt',
  reaction: 'a reaction',
  debug: 'a debug message',
};

function messageEvent(m: Json, opts: ParseOptions): InboundEvent {
  const id = messageId(m.id);
  if (!id) throw new UnparseableWebhookError('message without an id');
  const data = asObject(m._data) ?? {};

  // A partial payload without `fromMe` still says it through its id (`true_...`): whatsapp-web.js ids
  // are `<fromMe>_<chat>_<id>`.
  const fromMe = typeof m.fromMe === 'boolean' ? m.fromMe : (id.fromMe ?? false);
  if (fromMe) return ignored('echo of a message sent from this WhatsApp account (by Parley or on the phone)');

  // For an incoming message the chat is `from` (= id.remote); for our own it would be `to`.
  const chat = id.remote ?? jid(m.from) ?? jid(data.from);
  if (!chat) throw new UnparseableWebhookError('message without a chat (id.remote / from)');
  if (chat === 'status@broadcast' || m.isStatus === true) return ignored('status updates are not messages to us');
  if (chat.endsWith('@newsletter')) return ignored('channel (newsletter) posts are not customer messages');

  const { type, attachments, text } = messageAttachments(m, data, id.serialized);
  // hasOwn: `type` comes from the payload, and 'constructor' must not find Object's.
  if (Object.hasOwn(NOT_A_MESSAGE, type)) return ignored(`${NOT_A_MESSAGE[type]} (type ${type})`);
  if (!MESSAGE_TYPES.has(type)) return ignored(`message type ${type} is not supported`);

  const isGroup = chat.endsWith('@g.us');
  if (isGroup && opts.ignoreGroups) return ignored('group messages are switched off for this channel');
  // In groups `from` is the group; the person is `author` (WAHA: `participant`).
  const senderId = isGroup ? (jid(m.author) ?? jid(m.participant) ?? id.participant ?? jid(data.author)) : chat;
  if (!senderId) return ignored('group message without an author');

  const displayName = str(data.notifyName) ?? str(m.notifyName) ?? str(data.pushName);
  const seconds = num(m.timestamp) ?? num(data.t);
  const phone = /^(\d{6,15})@c\.us$/.exec(senderId)?.[1];
  return {
    type: 'message',
    externalId: id.serialized,
    thread: { externalId: chat, isGroup },
    sender: {
      externalId: senderId,
      ...(displayName ? { displayName } : {}),
      // @lid ids hide the number; a @c.us id is the number itself.
      ...(phone ? { profile: { phone: `+${phone}` } } : {}),
    },
    text,
    attachments,
    // A time beyond what a Date holds (fuzzing sent 2^53 seconds) is left out: the worker uses receipt time.
    ...(seconds !== undefined && seconds > 0 && !Number.isNaN(new Date(seconds * 1000).getTime()) ? { sentAt: new Date(seconds * 1000) } : {}),
    platformKind: type,
  };
}

/** whatsapp-web.js MessageAck (event message_ack, https://docs.wwebjs.dev/Client.html); 0 (pending) changes nothing. */
const ACK_STATUS: Record<number, InboundStatusEvent['status']> = { [-1]: 'failed', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'read' };

function ackEvent(p: Json): InboundEvent {
  const id = messageId(p.id);
  if (!id) throw new UnparseableWebhookError('receipt without a message id');
  const ack = num(p.ack);
  if (ack === undefined) throw new UnparseableWebhookError('receipt without an ack value');
  const fromMe = typeof p.fromMe === 'boolean' ? p.fromMe : id.fromMe;
  if (fromMe === false) return ignored('receipt for a message this account did not send');
  const status = ACK_STATUS[ack];
  if (!status) return ignored(`ack ${ack} (pending or unknown) changes no status`);
  // In a one-to-one chat the chat is the recipient; in a group there is no single one.
  const chat = id.remote ?? jid(p.to);
  return {
    type: 'status',
    platformMessageId: id.serialized,
    status,
    ...(status === 'failed' ? { error: 'WhatsApp reported an error delivering this message' } : {}),
    ...(chat && !chat.endsWith('@g.us') ? { recipientExternalId: chat } : {}),
  };
}

function ignored(reason: string): InboundIgnoredEvent {
  return { type: 'ignored', reason };
}
