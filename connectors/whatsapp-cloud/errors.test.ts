import { ConnectorError } from '../contract';
import { mapGraphError } from './errors';
import { graphError } from './testing/fake-graph-api';

/**
 * Graph API errors onto retryable / permanent, by code (Meta's error-codes reference). Throughput errors
 * arrive as HTTP 400 with a code, not as 429, so the status alone would get them wrong.
 */
const body = (code: number, message = 'error', details?: string) => JSON.stringify(graphError(code, message, details));

test.each([
  // [HTTP status, Graph code, retryable, why]
  [400, 130429, true, 'number throughput reached'],
  [400, 131056, true, 'pair rate limit (same customer too often)'],
  [400, 4, true, 'app API call limit'],
  [400, 80007, true, 'WABA rate limit'],
  [500, 131000, true, 'something went wrong'],
  [400, 1, true, 'API unknown'],
  [503, 2, true, 'API service temporarily unavailable'],
  [400, 131016, true, 'service unavailable'],
  [400, 131026, false, 'undeliverable'],
  [400, 131051, false, 'unsupported message type'],
  [400, 100, false, 'invalid parameter'],
  [401, 190, false, 'expired token'],
  [400, 131048, false, 'spam rate limit: quality, not throughput'],
  [400, 131062, false, 'message type not sendable to a BSUID'],
])('HTTP %i with code %i → retryable %s (%s)', (status, code, retryable) => {
  const err = mapGraphError(status, body(code));
  expect(err).toBeInstanceOf(ConnectorError);
  expect(err.retryable).toBe(retryable);
  expect(err.code).toBe(String(code));
  expect(err.policy).toBe(false);
});

test('131047 (re-engagement) is the 24-hour window: a permanent policy error the agent must see', () => {
  const err = mapGraphError(400, body(131047, 'Re-engagement message'));
  expect(err).toMatchObject({ retryable: false, policy: true, code: 'outside_window' });
  expect(err.message).toMatch(/24 hours.*template/s);
});

test('Retry-After is honoured on a 429 and on a throughput code', () => {
  expect(mapGraphError(429, body(130429), '7').retryAfterMs).toBe(7000);
  expect(mapGraphError(400, body(80007), '2').retryAfterMs).toBe(2000);
  expect(mapGraphError(400, body(130429)).retryAfterMs).toBeUndefined();
});

test('bodies that are not Graph errors fall back on the HTTP status', () => {
  expect(mapGraphError(502, '<html>Bad Gateway</html>')).toMatchObject({ retryable: true, code: '502' });
  expect(mapGraphError(404, 'Not Found')).toMatchObject({ retryable: false, code: '404' });
  expect(mapGraphError(429, '')).toMatchObject({ retryable: true, code: '429' });
});

test("the message carries the code, Meta's details and a hint for the agent", () => {
  const err = mapGraphError(400, body(131026, 'Message undeliverable', 'Message Undeliverable.'));
  expect(err.message).toContain('131026');
  expect(err.message).toMatch(/not use WhatsApp/);
});
