import { QueryFailedError } from 'typeorm';
import { storageErrorKind } from './storage-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const queryFailed = (code: string) => new QueryFailedError('INSERT ...', [], pgError(code));

test('a unique violation is a conflict; values PostgreSQL refuses are invalid', () => {
  expect(storageErrorKind(queryFailed('23505'))).toBe('conflict');
  for (const code of ['22001', '22008', '22021', '22P02']) expect(storageErrorKind(queryFailed(code))).toBe('invalid');
  // Other query failures (a bug) stay unexpected: a 500, logged.
  expect(storageErrorKind(queryFailed('42P01'))).toBeNull();
  expect(storageErrorKind(new Error('boom'))).toBeNull();
});

test('PostgreSQL or Redis not answering is unavailable, however the driver says it', () => {
  expect(storageErrorKind(pgError('ECONNREFUSED'))).toBe('unavailable');
  expect(storageErrorKind(queryFailed('57P01'))).toBe('unavailable');
  // Rolled back for a retry to clear: a deadlock or a serialization failure is not the client's fault, nor a 500.
  expect(storageErrorKind(queryFailed('40P01'))).toBe('unavailable');
  expect(storageErrorKind(queryFailed('40001'))).toBe('unavailable');
  expect(storageErrorKind(queryFailed('08006'))).toBe('unavailable');
  expect(storageErrorKind(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
  expect(storageErrorKind(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
  expect(storageErrorKind(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe('unavailable');
});
