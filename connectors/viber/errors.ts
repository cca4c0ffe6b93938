import { ConnectorError } from '../contract';

/**
 * Viber answers API calls with HTTP 200 and a `status` in the body: 0 is success, anything else an error
 * (https://creators.viber.com/docs/bots-api/errors). Each code onto retryable / permanent. HTTP-level failures
 * (429, 5xx, timeouts) are mapped by connectors/shared/http.ts before we get here.
 */
interface StatusInfo {
  name: string;
  /** Shown to the agent as the failure reason. */
  reason: string;
  retryable?: boolean;
  contactBlocked?: boolean;
}

export const VIBER_STATUS: Readonly<Record<number, StatusInfo>> = {
  1: { name: 'invalidUrl', reason: 'Viber rejected the webhook URL (it must be public HTTPS with a trusted certificate)' },
  2: { name: 'invalidAuthToken', reason: "the channel's Viber auth token is not valid" },
  3: { name: 'badData', reason: 'Viber rejected the request as malformed' },
  4: { name: 'missingData', reason: 'Viber says a mandatory field is missing' },
  5: { name: 'receiverNotRegistered', reason: 'the customer is no longer a Viber user' },
  // The customer unsubscribed (or never subscribed): nothing reaches them until they write again.
  6: { name: 'receiverNotSubscribed', reason: 'the customer is not subscribed to this bot', contactBlocked: true },
  7: { name: 'publicAccountBlocked', reason: 'this Viber bot has been blocked by Viber' },
  8: { name: 'publicAccountNotFound', reason: 'no Viber bot matches this auth token' },
  9: { name: 'publicAccountSuspended', reason: 'this Viber bot has been suspended by Viber' },
  10: { name: 'webhookNotSet', reason: "this Viber bot has no webhook: register it from the channel's settings" },
  11: { name: 'receiverNoSuitableDevice', reason: "the customer's Viber app or device does not support bots" },
  // Includes Viber's 100 messages per user per hour without a reply: the queue backs off and tries again.
  12: { name: 'tooManyRequests', reason: 'Viber rate limit reached', retryable: true },
  13: { name: 'apiVersionNotSupported', reason: "the customer's Viber app is too old for this message" },
  14: { name: 'incompatibleWithVersion', reason: 'the message uses features its min_api_version does not allow' },
  15: { name: 'publicAccountNotAuthorized', reason: 'this Viber bot is not authorized to send' },
  16: { name: 'inchatReplyMessageNotAllowed', reason: 'Viber does not allow this in-chat message' },
  17: { name: 'publicAccountIsNotInline', reason: 'this Viber bot is not an inline bot' },
  19: { name: 'cannotSendBroadcast', reason: 'Viber could not send the broadcast' },
  20: { name: 'broadcastNotAllowed', reason: 'this Viber bot may not broadcast' },
  21: { name: 'unsupportedCountry', reason: "Viber does not deliver this message in the customer's country" },
  22: { name: 'paymentUnsupported', reason: 'this Viber bot does not support payment messages' },
  23: { name: 'freeMessagesExceeded', reason: "this Viber bot used up the month's free out-of-session messages" },
  24: { name: 'noBalance', reason: 'this Viber bot has no balance left for out-of-session messages' },
};

export function mapViberStatus(status: number, statusMessage?: string): ConnectorError {
  const info = VIBER_STATUS[status];
  if (!info) {
    // Viber's "general error" (any other code): its docs say to check the request and try again.
    const detail = statusMessage ? `: ${statusMessage}` : '';
    return ConnectorError.retryable(`Viber error (status ${status})${detail}`, { code: `viber_${status}` });
  }
  const message = `${info.reason} (Viber status ${status} ${info.name})`;
  return info.retryable
    ? ConnectorError.retryable(message, { code: info.name })
    : ConnectorError.permanent(message, { code: info.name, contactBlocked: info.contactBlocked });
}
