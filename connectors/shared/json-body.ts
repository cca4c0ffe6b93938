import { UnparseableWebhookError } from '../contract';

/** A webhook's raw body as JSON; a body that is not JSON can never parse (UnparseableWebhookError). */
export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new UnparseableWebhookError('body is not JSON');
  }
}
