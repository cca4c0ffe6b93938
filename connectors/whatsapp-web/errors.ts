import { ConnectorError } from '../contract';
import { WhatsAppSessionError } from './session';

/**
 * Session failures onto retryable / permanent. WhatsApp Web has no HTTP status codes: the session classifies
 * what went wrong (wwebjs-session.ts) and this is the one place that decides what the outbound queue does.
 */
export function mapSessionError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (!(err instanceof WhatsAppSessionError)) {
    // Something we did not classify: the browser may come back, so let the queue try again (bounded attempts).
    return ConnectorError.retryable(`WhatsApp Web session error: ${(err as Error)?.message ?? String(err)}`, { code: 'session_error' });
  }
  switch (err.kind) {
    case 'not_on_whatsapp':
      return ConnectorError.permanent(`this number is not on WhatsApp: ${err.message}`, { code: 'not_on_whatsapp' });
    case 'invalid_recipient':
      return ConnectorError.permanent(err.message, { code: 'invalid_recipient' });
    case 'media_unavailable':
      return ConnectorError.permanent(err.message, { code: 'media_unavailable' });
    case 'rate_limited':
      return ConnectorError.retryable(err.message, { code: 'rate_limited', retryAfterMs: err.retryAfterMs });
    case 'not_ready':
      return ConnectorError.retryable(`WhatsApp Web session is not connected (pairing or reconnecting): ${err.message}`, {
        code: 'session_not_ready',
      });
    case 'transient':
      return ConnectorError.retryable(err.message, { code: 'session_error' });
  }
}
