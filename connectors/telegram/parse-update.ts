import type { CallbackQuery, Chat, ChatMemberUpdated, Message, Update, User } from 'telegraf/types';
import {
  UnparseableWebhookError,
  type InboundAttachment,
  type InboundEvent,
  type InboundSender,
  type InboundThread,
} from '../contract';

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
  if (msg.chat.type === 'channel') return { type: 'ignored', reason: 'channel posts are not customer messages' };
  const service = SERVICE_FIELDS.find((f) => f in msg);
  if (service) return { type: 'ignored', reason: `service message (${service})` };
  return {
    type: 'message',
    externalId: messageKey(msg.chat.id, msg.message_id),
    thread: threadOf(msg),
    sender: senderOf(msg),
    text: textOf(msg),
    attachments: attachmentsOf(msg),
    sentAt: fromUnixSeconds(msg.date),
    replyToExternalId: replyTo(msg),
    platformKind,
  };
}

function editEvent(msg: Message, platformKind: string): InboundEvent {
  if (!isMessageShape(msg)) return { type: 'ignored', reason: `${platformKind} without chat or message_id` };
  if (msg.chat.type === 'channel') return { type: 'ignored', reason: 'channel posts are not customer messages' };
  const editDate = (msg as Message & { edit_date?: number }).edit_date;
  return {
    type: 'edit',
    externalId: messageKey(msg.chat.id, msg.message_id),
    thread: threadOf(msg),
    sender: senderOf(msg),
    text: textOf(msg),
    attachments: attachmentsOf(msg),
    editedAt: editDate ? fromUnixSeconds(editDate) : undefined,
    platformKind,
  };
}

function callbackEvent(cq: CallbackQuery): InboundEvent {
  const data = 'data' in cq ? cq.data : 'game_short_name' in cq ? cq.game_short_name : undefined;
  // An inline message or an inaccessible one may carry no chat: a private chat's id is the user's id.
  const chat = cq.message && 'chat' in cq.message ? cq.message.chat : undefined;
  const isGroup = !!chat && chat.type !== 'private';
  return {
    type: 'message',
    externalId: `cbq:${cq.id}`,
    thread: {
      externalId: String(chat?.id ?? cq.from.id),
      isGroup,
      title: isGroup ? chatTitle(chat!) : undefined,
    },
    sender: userSender(cq.from),
    text: data ?? null,
    attachments: [],
    // A callback query has no date of its own; its message's date (0 when inaccessible) is not the press time.
    sentAt: undefined,
    platformKind: 'callback_query',
  };
}

function chatMemberEvent(m: ChatMemberUpdated): InboundEvent {
  if (m.chat.type !== 'private') return { type: 'ignored', reason: 'bot membership change in a group' };
  const status = m.new_chat_member.status;
  if (status === 'kicked') return { type: 'subscription', sender: userSender(m.from), blocked: true, at: fromUnixSeconds(m.date) };
  if (status === 'member' && m.old_chat_member.status === 'kicked') {
    return { type: 'subscription', sender: userSender(m.from), blocked: false, at: fromUnixSeconds(m.date) };
  }
  return { type: 'ignored', reason: `bot status ${m.old_chat_member.status} -> ${status}` };
}

// ---------------------------------------------------------------------------------------------------------------

export function messageKey(chatId: number | string, messageId: number): string {
  // message_id is unique only within a chat.
  return `${chatId}:${messageId}`;
}

function isMessageShape(msg: Message): boolean {
  return typeof msg === 'object' && msg !== null && typeof msg.message_id === 'number' && !!msg.chat && msg.chat.id !== undefined;
}

function threadOf(msg: Message): InboundThread {
  const isGroup = msg.chat.type === 'group' || msg.chat.type === 'supergroup';
  const businessConnectionId = (msg as Message & { business_connection_id?: string }).business_connection_id;
  return {
    externalId: String(msg.chat.id),
    isGroup,
    title: isGroup ? chatTitle(msg.chat) : undefined,
    // Replies to a Telegram Business chat must name the business connection.
    replyContext: businessConnectionId ? { businessConnectionId } : undefined,
  };
}

function senderOf(msg: Message): InboundSender {
  // Anonymous group admins (and channels posting into groups) appear as a placeholder bot shared by every
  // group; the real sender is `sender_chat`, which is what an identity must be keyed on.
  if (msg.sender_chat) return chatSender(msg.sender_chat);
  if (msg.from) return userSender(msg.from);
  return chatSender(msg.chat);
}

function userSender(user: User): InboundSender {
  const profile: Record<string, string> = {};
  if (user.language_code) profile.language = user.language_code;
  return {
    externalId: String(user.id),
    displayName: [user.first_name, user.last_name].filter(Boolean).join(' ') || undefined,
    username: user.username,
    profile: Object.keys(profile).length ? profile : undefined,
  };
}

function chatSender(chat: Chat): InboundSender {
  return {
    externalId: String(chat.id),
    displayName: chatTitle(chat),
    username: 'username' in chat ? chat.username : undefined,
  };
}

function chatTitle(chat: Chat): string | undefined {
  if ('title' in chat && chat.title) return chat.title;
  const c = chat as { first_name?: string; last_name?: string };
  return [c.first_name, c.last_name].filter(Boolean).join(' ') || undefined;
}

function textOf(msg: Message): string | null {
  if ('text' in msg && typeof msg.text === 'string') return msg.text;
  if ('caption' in msg && typeof msg.caption === 'string') return msg.caption;
  return null;
}

function replyTo(msg: Message): string | undefined {
  const r = (msg as Message & { reply_to_message?: { message_id?: number } }).reply_to_message;
  return r?.message_id !== undefined ? messageKey(msg.chat.id, r.message_id) : undefined;
}

/** At most one attachment per message: Telegram repeats a GIF as `document` and a venue's `location`. */
function attachmentsOf(msg: Message): InboundAttachment[] {
  const m = msg as Record<string, any>;
  if (m.animation) return [fileAttachment('animation', m.animation)];
  if (Array.isArray(m.photo) && m.photo.length) return [fileAttachment('image', largestPhoto(m.photo))];
  if (m.sticker) return [{ ...fileAttachment('sticker', m.sticker), title: m.sticker.emoji }];
  if (m.voice) return [fileAttachment('voice', m.voice)];
  if (m.audio) return [fileAttachment('audio', m.audio)];
  if (m.video) return [fileAttachment('video', m.video)];
  if (m.video_note) return [fileAttachment('video', m.video_note)];
  if (m.document) return [fileAttachment('document', m.document)];
  if (m.venue) {
    return [{ kind: 'location', latitude: m.venue.location?.latitude, longitude: m.venue.location?.longitude, title: m.venue.title }];
  }
  if (m.location) return [{ kind: 'location', latitude: m.location.latitude, longitude: m.location.longitude }];
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    return [{ kind: 'contact', title: name || undefined, phone: m.contact.phone_number }];
  }
  if (m.dice) return [{ kind: 'other', title: `${m.dice.emoji} ${m.dice.value}` }];
  if (m.story) return [{ kind: 'other', title: 'story' }];
  if (m.poll) return [{ kind: 'other', title: `poll: ${m.poll.question}` }];
  return [];
}

function fileAttachment(kind: InboundAttachment['kind'], f: Record<string, any>): InboundAttachment {
  return {
    kind,
    mediaRef: f.file_id,
    mimeType: f.mime_type,
    fileName: f.file_name,
    size: f.file_size,
  };
}

function largestPhoto(sizes: Array<Record<string, any>>): Record<string, any> {
  // Telegram lists sizes smallest first; pick by area in case an old client did not.
  return sizes.reduce((best, s) => ((s.width ?? 0) * (s.height ?? 0) >= (best.width ?? 0) * (best.height ?? 0) ? s : best));
}

function fromUnixSeconds(seconds: number | undefined): Date | undefined {
  return seconds ? new Date(seconds * 1000) : undefined;
}
