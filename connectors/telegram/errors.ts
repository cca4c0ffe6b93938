import { TelegramError } from 'telegraf';
import { ConnectorError } from '../contract';

/**
 * Telegram failures onto retryable / permanent (https://core.telegram.org/bots/api#making-requests,
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 * telegraf does not retry by itself: the outbound queue does, honouring `retry_after`.
 */
export function mapTelegramError(err: unknown): ConnectorError {
  const e = err as Error & { type?: string; code?: string };
  // node-fetch's invalid-json error (a proxy's HTML page, a non-JSON answer below 500) names the request URL, token and all.
  if (e?.name === 'FetchError' && e.type === 'invalid-json')
    return ConnectorError.retryable('Telegram answered with a body that is not JSON', { code: 'invalid_json' });

  if (err instanceof ConnectorError) return err;
  if (err instanceof TelegramError) {
    const code = err.code;
    const description = err.description ?? 'Telegram error';
    if (code === 429) {
      const seconds = err.parameters?.retry_after;
      return ConnectorError.retryable(description, { code: '429', retryAfterMs: seconds !== undefined ? seconds * 1000 : undefined });
    }
    if (code >= 500) return ConnectorError.retryable(description, { code: String(code) });
    // 403: "bot was blocked by the user", "user is deactivated", "bot was kicked from the group chat".
    if (code === 403) return ConnectorError.permanent(description, { code: '403', contactBlocked: true });
    return ConnectorError.permanent(description, { code: String(code) });
  }
  // node-fetch errors (network, aborted by our timeout): the request may not have reached Telegram.
  return ConnectorError.retryable(`Telegram unreachable: ${e.name === 'AbortError' ? 'timed out' : (e.code ?? e.message)}`, {
    code: e.name === 'AbortError' ? 'timeout' : 'network',
  });
}

/**
 * The bot token is part of every Bot API URL (`/bot<token>/<method>`, `/file/bot<token>/<path>`), and the HTTP
 * client names that URL in some errors. Every error the connector throws goes through here, so no message
 * (a reply's failureReason, a download error, a log line) can carry the token.
 */
export function withoutBotToken(err: unknown, botToken: string): ConnectorError {
  const mapped = mapTelegramError(err);
  const message = redactBotToken(mapped.message, botToken);
  if (message === mapped.message) return mapped;
  return new ConnectorError(message, {
    retryable: mapped.retryable,
    retryAfterMs: mapped.retryAfterMs,
    code: mapped.code,
    contactBlocked: mapped.contactBlocked,
    policy: mapped.policy,
    servedElsewhere: mapped.servedElsewhere,
  });
}

/** The token itself, and anything shaped like one after `bot` in a URL path. */
export function redactBotToken(text: string, botToken: string): string {
  const plain = botToken ? text.split(botToken).join('[redacted]') : text;
  return plain.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]');
}
