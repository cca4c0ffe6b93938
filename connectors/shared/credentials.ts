import { ConnectorError } from '../contract';

/**
 * The error `describeAccount` throws when the platform refused the credentials: `what` says in words who refused
 * what ("Telegram refused the bot token"), the platform's own reason follows. A retryable failure (the platform
 * could not be asked) passes through unchanged: it says nothing about the credentials.
 */
export function credentialsRefused(err: unknown, what: string): unknown {
  if (!(err instanceof ConnectorError) || err.retryable) return err;
  return ConnectorError.permanent(`${what}: ${err.message}`, { code: 'credentials_refused' });
}
