import { isDatabaseUnavailable } from './unavailable';

test('errors that mean "PostgreSQL cannot be reached now" are told from the others', () => {
  expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  expect(
    isDatabaseUnavailable(
      Object.assign(new Error('x'), { driverError: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' }) }),
    ),
  ).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
  expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  expect(isDatabaseUnavailable(undefined)).toBe(false);
});
