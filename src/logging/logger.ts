import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Secrets are redacted by path as a second line of defence: the first is never passing raw
 * payloads, tokens or credentials to the logger at all.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'credentials', '*.credentials', 'authorization', '*.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
