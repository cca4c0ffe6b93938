import pino, { type Logger } from 'pino';
import { serializeError } from './error-serializer';

export type { Logger };

/** Keys that hold secrets, at the top of a log line or one level down. */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'passwordHash',
  'token',
  'botToken',
  'accessToken',
  'authToken',
  'appPassword',
  'appSecret',
  'webhookSecret',
  'verifyToken',
  'secret',
  'credentials',
  'authorization',
  'cookie',
  'parameters',
];
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
];

/**
 * Structured logs. Secrets are redacted by path as a second line of defence: the first is never passing raw
 * payloads, tokens or credentials to the logger at all.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
