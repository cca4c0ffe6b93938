/**
 * What the Telegram Bot API posts to a webhook when a customer writes: one builder, so the tests and the fault
 * suite (bench/faults) speak the same Telegram. No app, no test framework here: bench/ imports it too.
 */

/** A customer's private text message; all but the chat and the text has a default. */
export interface TelegramText {
  chatId: number;
  text: string;
  firstName?: string;
  lastName?: string;
  /** The customer's app language (`from.language_code`), when a test needs one. */
  languageCode?: string;
  /** Telegram's counter within the chat; the update's id unless a test delivers out of order. */
  messageId?: number;
  /** When the customer wrote it, in Unix seconds (now unless a test delivers late). */
  date?: number;
}

/** The update carrying one private text message, as the Bot API sends it. */
export function telegramTextUpdate(updateId: number, m: TelegramText) {
  const firstName = m.firstName ?? `C${m.chatId}`;
  const names = { first_name: firstName, ...(m.lastName ? { last_name: m.lastName } : {}) };
  return {
    update_id: updateId,
    message: {
      message_id: m.messageId ?? updateId,
      date: m.date ?? Math.floor(Date.now() / 1000),
      chat: { id: m.chatId, type: 'private', ...names },
      from: { id: m.chatId, is_bot: false, ...names, ...(m.languageCode ? { language_code: m.languageCode } : {}) },
      text: m.text,
    },
  };
}

/** The headers the Bot API sends with an update: the secret Parley gave it in setWebhook proves the sender. */
export function telegramWebhookHeaders(secret: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret };
}

/** Posts one update to a Telegram webhook as the Bot API does; fails unless Parley answers 200. */
export async function postTelegramUpdate(webhookUrl: string, secret: string, update: unknown): Promise<void> {
  const res = await fetch(webhookUrl, { method: 'POST', headers: telegramWebhookHeaders(secret), body: JSON.stringify(update) });
  if (res.status !== 200) throw new Error(`Telegram webhook answered ${res.status}`);
}
