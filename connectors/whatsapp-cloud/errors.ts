import { ConnectorError } from '../contract';
import { retryAfterMs, tryJson } from '../shared/http';

/**
 * Graph API failures onto retryable / permanent, by the error `code` in the body: Meta advises building on
 * `code` (and `error_data.details`), not on HTTP status or titles, and throughput errors come back as HTTP 400.
 * Codes: https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */

/** Throughput: 4 app call limit, 80007 WABA rate limit, 130429 number throughput, 131056 pair (business, user) limit. */
const THROUGHPUT = new Set([4, 80007, 130429, 131056]);
/** Transient on Meta's side: 1 API unknown, 2 API service, 131000 something went wrong, 131016 service unavailable. */
const TRANSIENT = new Set([1, 2, 131000, 131016]);
/** 131047 re-engagement: more than 24 hours since the customer's last message. */
export const REENGAGEMENT_CODE = 131047;

/** What the agent reads when a free-form reply is not allowed. */
export const OUTSIDE_WINDOW_MESSAGE =
  "WhatsApp allows free-form replies only within 24 hours of the customer's last message, and that window is " +
  'closed. Only an approved WhatsApp template message can reopen the conversation; it continues once the customer answers.';

/** Plain-language hints for the permanent failures an agent will actually meet. */
const HINTS: Record<number, string> = {
  0: 'the access token is no longer valid: an admin must paste a new one',
  190: 'the access token has expired or was revoked: an admin must paste a new one',
  10: 'the access token lacks the whatsapp_business_messaging permission',
  100: 'WhatsApp refused a parameter of this message',
  131009: 'WhatsApp refused a parameter of this message',
  131021: 'the recipient is this business number itself',
  131026: 'WhatsApp could not deliver it: the number may not use WhatsApp, or the customer has an old app or has not ' + 'accepted the latest terms',
  131031: 'the WhatsApp Business Account is locked',
  131042: 'the WhatsApp Business Account has a payment problem',
  131048: 'the number is restricted for spam (quality rating): check WhatsApp Manager',
  131049: 'Meta chose not to deliver it, to limit messages this customer receives',
  131051: 'WhatsApp does not support this message type',
  131053: 'WhatsApp could not process the attached file',
  131062: 'this message type cannot be sent to a customer known only by username (BSUID)',
  368: 'the WhatsApp Business Account is temporarily blocked for policy violations',
};

interface GraphError {
  code?: number;
  message?: string;
  details?: string;
}

/** The Graph API error body `{error: {message, type, code, error_data: {details}, fbtrace_id}}`, if it is one. */
export function graphErrorOf(body: string): GraphError | undefined {
  const json = tryJson(body) as { error?: Record<string, unknown> } | undefined;
  const e = json?.error;
  if (!e || typeof e !== 'object') return undefined;
  const data = e.error_data as { details?: unknown } | undefined;
  return {
    code: typeof e.code === 'number' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
    details: typeof data?.details === 'string' ? data.details : undefined,
  };
}

export function mapGraphError(status: number, body: string, retryAfterHeader?: string | null): ConnectorError {
  const err = graphErrorOf(body);
  const code = err?.code;
  const codeText = code !== undefined ? String(code) : String(status);
  const text = describe(status, err);

  if (status === 429 || (code !== undefined && THROUGHPUT.has(code))) {
    // Graph API rarely sends Retry-After; when it does, it is the wait the queue must honour.
    return ConnectorError.retryable(text, { retryAfterMs: retryAfterMs(retryAfterHeader), code: codeText });
  }
  if (code === REENGAGEMENT_CODE) return outsideWindowError();
  if (status >= 500 || status === 408 || (code !== undefined && TRANSIENT.has(code))) {
    return ConnectorError.retryable(text, { retryAfterMs: retryAfterMs(retryAfterHeader), code: codeText });
  }
  return ConnectorError.permanent(code !== undefined && HINTS[code] ? `${HINTS[code]} (${text})` : text, { code: codeText });
}

/** Our own 24-hour check and Meta's 131047 give the agent the same kind of message and the same code. */
export function outsideWindowError(message = OUTSIDE_WINDOW_MESSAGE): ConnectorError {
  return ConnectorError.permanent(message, { policy: true, code: 'outside_window' });
}

function describe(status: number, err: GraphError | undefined): string {
  if (!err) return `WhatsApp API answered HTTP ${status}`;
  const base = `WhatsApp error ${err.code ?? '?'}: ${err.message ?? 'no message'}`;
  return err.details && !err.message?.includes(err.details) ? `${base} (${err.details})` : base;
}
