import { ConnectorError } from '../contract';
import { errorForStatus, tryJson } from '../shared/http';

/**
 * A failed Connector API call onto retryable / permanent. The body is an ErrorResponse `{error: {code, message}}`;
 * Teams documents its codes (https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis):
 * 403 ConversationBlockedByUser / BotNotInConversationRoster / BotDisabledByAdmin, 404 ConversationNotFound,
 * 412 PreconditionFailed (a concurrent operation: retry), 413 MessageSizeTooBig, 429 Throttled (Retry-After), 5xx.
 */
export function mapConnectorFailure(status: number, text: string, retryAfter: string | null): ConnectorError {
  const error = (tryJson(text) as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const detail = typeof error?.message === 'string' ? error.message : undefined;
  const message = `Bot Framework answered HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`;

  if (status === 412) return ConnectorError.retryable(message, { code: code ?? '412' });
  if (status === 403 && (code === 'ConversationBlockedByUser' || /blocked the conversation/i.test(detail ?? ''))) {
    return ConnectorError.permanent(message, { code: code ?? '403', contactBlocked: true });
  }
  // Messenger refuses free-form messages after 24 hours; we check first, but clocks and missed inbound events differ.
  if (status === 400 && /outside (of )?(the )?allowed window/i.test(detail ?? '')) {
    return ConnectorError.permanent(message, { code: 'outside_window', policy: true });
  }
  return errorForStatus(status, message, { retryAfter, code: code ?? String(status) });
}
