import { TelegramError } from 'telegraf';
import { ConnectorError } from '../contract';

/**
 * Telegram failures onto retryable / permanent (https://core.telegram.org/bots/api#making-requests,
 * https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 * telegraf does not retry by itself: the outbound queue does, honouring `retry_after`.
 */
export function mapTelegramError(err: unknown): ConnectorError {
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
  const e = err as Error & { type?: string; code?: string };
  // node-fetch errors (network, aborted by our timeout): the request may not have reached Telegram.
  return ConnectorError.retryable(`Telegram unreachable: ${e.name === 'AbortError' ? 'timed out' : (e.code ?? e.message)}`, {
    code: e.name === 'AbortError' ? 'timeout' : 'network',
  });
}
