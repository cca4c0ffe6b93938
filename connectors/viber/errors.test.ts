import { mapViberStatus, VIBER_STATUS } from './errors';

/** Every documented Viber status (https://creators.viber.com/docs/bots-api/errors) onto retryable / permanent. */
const RETRYABLE = new Set([12]);
const CONTACT_BLOCKED = new Set([6]);

test('every documented code 1..24 except the unused 18 is mapped', () => {
  const codes = Object.keys(VIBER_STATUS).map(Number);
  expect(codes).toEqual([...Array(24).keys()].map((i) => i + 1).filter((c) => c !== 18));
});

test.each(Object.keys(VIBER_STATUS).map(Number))('status %i', (status) => {
  const err = mapViberStatus(status, 'x');
  expect(err.retryable).toBe(RETRYABLE.has(status));
  expect(err.contactBlocked).toBe(CONTACT_BLOCKED.has(status));
  expect(err.code).toBe(VIBER_STATUS[status].name);
  expect(err.message).toContain(`status ${status}`);
});

test("an undocumented status is the general error: retryable, with Viber's message", () => {
  const err = mapViberStatus(18, 'mystery');
  expect(err).toMatchObject({ retryable: true, code: 'viber_18' });
  expect(err.message).toContain('mystery');
});
