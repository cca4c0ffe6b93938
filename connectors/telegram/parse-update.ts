import type { CallbackQuery, Chat, ChatMemberUpdated, Message, Update, User } from 'telegraf/types';
import { UnparseableWebhookError, type InboundAttachment, type InboundEvent, type InboundSender, type InboundThread } from '../contract';

/**
 * Pure parser: one Telegram Update (https://core.telegram.org/bots/api#update) to Parley events.
 *
 * - `message` / `business_message` → message; `edited_message` / `edited_business_message` → edit of the same key.
 * - `callback_query` (an inline button press) → message whose text is the button's data, keyed `cbq:<id>`.
 * - `my_chat_member` in a private chat: `kicked` → the user blocked the bot; back to `member` → unblocked.
 * - Service messages (members joined, pinned...), channel posts, reactions, inline queries and kinds this
 *   parser does not know → ignored, never thrown.
 */
export function parseTelegramUpdate(body: unknown): InboundEvent[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnparseableWebhookError('a Telegram update is a JSON object');
  }
  const update = body as Partial<Update> & Record<string, unknown>;
  if (typeof update.update_id !== 'number') throw new UnparseableWebhookError('update_id is missing');

  if ('message' in update && update.message) return [messageEvent(update.message as Message, 'message')];
  if ('business_message' in update && update.business_message) {
    return [messageEvent(update.business_message as Message, 'business_message')];
  }
  if ('edited_message' in update && update.edited_message) {
    return [editEvent(update.edited_message as Message, 'edited_message')];
  }
  if ('edited_business_message' in update && update.edited_business_message) {
    return [editEvent(update.edited_business_message as Message, 'edited_business_message')];
  }
  if ('callback_query' in update && update.callback_query) return [callbackEvent(update.callback_query as CallbackQuery)];
  if ('my_chat_member' in update && update.my_chat_member) return [chatMemberEvent(update.my_chat_member as ChatMemberUpdated)];

  const kind = Object.keys(update).find((k) => k !== 'update_id');
  return [{ type: 'ignored', reason: kind ? `telegram update kind ${kind} is not an inbox message` : 'empty update' }];
}

/** Updates whose service fields describe a chat event, not something a customer wrote. */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'pinned_message',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'message_auto_delete_timer_changed',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_scheduled',
  'video_chat_participants_invited',
  'successful_payment',
  'users_shared',
  'chat_shared',
  'write_access_allowed',
  'boost_added',
] as const;

function messageEvent(msg: Message, platformKind: string): InboundEvent {
  if (!isMessageShape(msg)) return { type: 'ignored', reason: `${platformKind} without chat or message_id` };
  if (!senderOf(msg)) return { type: 'ignored', reason: `${platformKind} without a sender` };
  if (msg.chat.type === 'channel') return { type: 'ignored', reason: 'channel posts are not customer messages' };
  const service = SERVICE_FIELDS.find((f) => f in msg);
  if (service) return { type: 'ignored', reason: `service message (${service})` };
  return {
    type: 'message',
    externalId: messageKey(msg.chat.id, msg.message_id),
    thread: threadOf(msg),
    sender: senderOf(msg)!,
    text: textOf(msg),
    attachments: attachmentsOf(msg),
    sentAt: fromUnixSeconds(msg.date),
    // `date` is in whole seconds; message_id grows within a chat, so it orders messages of the same second.
    sequence: sequenceOf(msg.message_id),
    replyToExternalId: replyTo(msg),
    platformKind,
  };
}

function editEvent(msg: Message, platformKind: string): InboundEvent {
  if (!isMessageShape(msg)) return { type: 'ignored', reason: `${platformKind} without chat or message_id` };
  if (!senderOf(msg)) return { type: 'ignored', reason: `${platformKind} without a sender` };
  if (msg.chat.type === 'channel') return { type: 'ignored', reason: 'channel posts are not customer messages' };
  const editDate = (msg as Message & { edit_date?: number }).edit_date;
  return {
    type: 'edit',
    externalId: messageKey(msg.chat.id, msg.message_id),
    thread: threadOf(msg),
    sender: senderOf(msg)!,
    text: textOf(msg),
    attachments: attachmentsOf(msg),
    editedAt: editDate ? fromUnixSeconds(editDate) : undefined,
    sequence: sequenceOf(msg.message_id),
    platformKind,
  };
}

function callbackEvent(cq: CallbackQuery): InboundEvent {
  const q = cq as unknown as Obj;
  const data = str(q.data) ?? str(q.game_short_name);
  // An inline message or an inaccessible one may carry no chat: a private chat's id is the user's id.
  const message = obj(q.message);
  const chat = obj(message?.chat) && idText(obj(message?.chat)?.id) ? (message!.chat as Chat) : undefined;
  const isGroup = !!chat && chat.type !== 'private';
  const from = userSender(cq.from);
  const id = idText(q.id);
  const threadId = chat ? idText(chat.id) : from?.externalId;
  if (!from || !id || !threadId) return { type: 'ignored', reason: 'callback_query without id or sender' };
  return {
    type: 'message',
    externalId: `cbq:${id}`,
    thread: {
      externalId: threadId,
      isGroup,
      title: isGroup ? chatTitle(chat!) : undefined,
    },
    sender: from,
    text: data ?? null,
    attachments: [],
    // A callback query has no date of its own; its message's date (0 when inaccessible) is not the press time.
    sentAt: undefined,
    platformKind: 'callback_query',
  };
}

function chatMemberEvent(m: ChatMemberUpdated): InboundEvent {
  if (obj(m.chat)?.type !== 'private') return { type: 'ignored', reason: 'bot membership change in a group' };
  const status = str(obj(m.new_chat_member)?.status);
  const old = str(obj(m.old_chat_member)?.status);
  const sender = userSender(m.from);
  if (!sender) return { type: 'ignored', reason: 'bot membership change without a user' };
  if (status === 'kicked') return { type: 'subscription', sender, blocked: true, at: fromUnixSeconds(m.date) };
  if (status === 'member' && old === 'kicked') return { type: 'subscription', sender, blocked: false, at: fromUnixSeconds(m.date) };
  return { type: 'ignored', reason: `bot status ${old ?? '?'} -> ${status ?? '?'}` };
}

// ---------------------------------------------------------------------------------------------------------------

export function messageKey(chatId: number | string, messageId: number): string {
  // message_id is unique only within a chat.
  return `${chatId}:${messageId}`;
}

function isMessageShape(msg: Message): boolean {
  const m = obj(msg);
  return !!m && num(m.message_id) !== undefined && idText(obj(m.chat)?.id) !== undefined;
}

function threadOf(msg: Message): InboundThread {
  const isGroup = msg.chat.type === 'group' || msg.chat.type === 'supergroup';
  const businessConnectionId = (msg as Message & { business_connection_id?: string }).business_connection_id;
  return {
    externalId: idText(msg.chat.id)!,
    isGroup,
    title: isGroup ? chatTitle(msg.chat) : undefined,
    // Replies to a Telegram Business chat must name the business connection.
    replyContext: str(businessConnectionId) ? { businessConnectionId } : undefined,
  };
}

function senderOf(msg: Message): InboundSender | undefined {
  // Anonymous group admins (and channels posting into groups) appear as a placeholder bot shared by every
  // group; the real sender is `sender_chat`, which is what an identity must be keyed on.
  if (msg.sender_chat) return chatSender(msg.sender_chat);
  if (msg.from) return userSender(msg.from);
  return chatSender(msg.chat);
}

function userSender(user: User | undefined): InboundSender | undefined {
  const u = obj(user);
  const id = idText(u?.id);
  if (!u || !id) return undefined;
  const language = str(u.language_code);
  return defined({
    externalId: id,
    displayName: joinNames(u.first_name, u.last_name),
    username: str(u.username),
    profile: language ? { language } : undefined,
  });
}

function chatSender(chat: Chat): InboundSender | undefined {
  const id = idText(obj(chat)?.id);
  if (!id) return undefined;
  return defined({ externalId: id, displayName: chatTitle(chat), username: str(obj(chat)?.username) });
}

function chatTitle(chat: Chat): string | undefined {
  const c = obj(chat) ?? {};
  return str(c.title) || joinNames(c.first_name, c.last_name);
}

/** Without the keys whose value is undefined (as the parser has always returned them). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function textOf(msg: Message): string | null {
  if ('text' in msg && typeof msg.text === 'string') return msg.text;
  if ('caption' in msg && typeof msg.caption === 'string') return msg.caption;
  return null;
}

function replyTo(msg: Message): string | undefined {
  const id = num(obj((msg as Message & { reply_to_message?: unknown }).reply_to_message)?.message_id);
  return id !== undefined ? messageKey(idText(msg.chat.id)!, id) : undefined;
}

/** At most one attachment per message: Telegram repeats a GIF as `document` and a venue's `location`. */
function attachmentsOf(msg: Message): InboundAttachment[] {
  const m = msg as unknown as Obj;
  const o = (k: string) => obj(m[k]);
  if (o('animation')) return [fileAttachment('animation', o('animation')!)];
  const photos = Array.isArray(m.photo) ? m.photo.map(obj).filter((p): p is Obj => !!p) : [];
  if (photos.length) return [fileAttachment('image', largestPhoto(photos))];
  if (o('sticker')) return [defined({ ...fileAttachment('sticker', o('sticker')!), title: str(o('sticker')!.emoji) })];
  if (o('voice')) return [fileAttachment('voice', o('voice')!)];
  if (o('audio')) return [fileAttachment('audio', o('audio')!)];
  if (o('video')) return [fileAttachment('video', o('video')!)];
  if (o('video_note')) return [fileAttachment('video', o('video_note')!)];
  if (o('document')) return [fileAttachment('document', o('document')!)];
  const venue = o('venue');
  if (venue) {
    const at = obj(venue.location);
    return [defined({ kind: 'location' as const, latitude: num(at?.latitude), longitude: num(at?.longitude), title: str(venue.title) })];
  }
  const location = o('location');
  if (location) return [defined({ kind: 'location' as const, latitude: num(location.latitude), longitude: num(location.longitude) })];
  const contact = o('contact');
  if (contact) return [defined({ kind: 'contact' as const, title: joinNames(contact.first_name, contact.last_name), phone: str(contact.phone_number) })];
  const dice = o('dice');
  if (dice) return [{ kind: 'other', title: `${str(dice.emoji) ?? '🎲'} ${num(dice.value) ?? '?'}` }];
  if (m.story) return [{ kind: 'other', title: 'story' }];
  const poll = o('poll');
  if (poll) return [{ kind: 'other', title: `poll: ${str(poll.question) ?? ''}` }];
  return [];
}

function fileAttachment(kind: InboundAttachment['kind'], f: Obj): InboundAttachment {
  const size = num(f.file_size);
  return defined({
    kind,
    mediaRef: str(f.file_id),
    mimeType: str(f.mime_type),
    fileName: str(f.file_name),
    size: size !== undefined && size >= 0 ? size : undefined,
  });
}

function largestPhoto(sizes: Obj[]): Obj {
  // Telegram lists sizes smallest first; pick by area in case an old client did not.
  const area = (s: Obj) => (num(s.width) ?? 0) * (num(s.height) ?? 0);
  return sizes.reduce((best, s) => (area(s) >= area(best) ? s : best));
}

/** A Date for a Unix time, or undefined for one that is absent, zero, not a number or outside what a Date holds. */
function fromUnixSeconds(seconds: unknown): Date | undefined {
  const s = num(seconds);
  if (!s) return undefined;
  const d = new Date(s * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** message_id as the envelope's sequence: a whole, non-negative, exact number, or none (fuzzed input). */
function sequenceOf(messageId: unknown): number | undefined {
  const n = num(messageId);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Readers: the update is JSON from the network, typed by telegraf only as far as Telegram keeps its promises.
// Fuzzing found a chat that is a string, names that are arrays, ids that are objects: a field of the wrong type
// is treated as absent (or, for what identifies a message, makes the update ignored), never a crash.

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A Telegram id (a number; a string from some bridges): its text, or undefined. */
function idText(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function joinNames(first: unknown, last: unknown): string | undefined {
  return [str(first), str(last)].filter(Boolean).join(' ') || undefined;
}
