import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger('trace', stream), text: () => lines.join('') };
}

test('a failed SQL statement is logged without its parameters, with its text and error code', () => {
  const { logger, text } = capture();
  const hash = 'scrypt$131072$8$1$c2FsdA==$c2VjcmV0LWhhc2g=';
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "agents_email_key"'), {
    code: '23505',
    detail: 'Key (email)=(ania@example.pl) already exists.',
    parameters: ['ania@example.pl', hash],
  });
  const err = new QueryFailedError('INSERT INTO agents (email, password_hash) VALUES ($1, $2)', ['ania@example.pl', hash], driverError);
  logger.error({ err }, 'insert failed');
  const line = JSON.parse(text());
  expect(text()).not.toContain(hash);
  expect(text()).not.toContain('ania@example.pl');
  expect(line.err.query).toBe('INSERT INTO agents (email, password_hash) VALUES ($1, $2)');
  expect(line.err.code).toBe('23505');
  expect(line.err.message).toContain('duplicate key');
  expect(line.err.type).toBe('QueryFailedError');
});

test('secrets under their usual keys are redacted, and errors carrying request payloads lose them', () => {
  const { logger, text } = capture();
  logger.info({ password: 'Zażółć gęślą jaźń', body: { currentPassword: 'Съешь же ещё' }, headers: { authorization: 'Bearer abc.def' } }, 'x');
  logger.info({ credentials: { botToken: '1:AAA' }, channel: { webhookSecret: 'whsec-1' }, token: 'tok-1' }, 'y');
  const telegrafLike = Object.assign(new Error('Bad Request'), { on: { method: 'sendMessage', payload: { text: 'Szia, ez titkos' } } });
  logger.warn({ err: telegrafLike }, 'z');
  for (const secret of ['Zażółć', 'Съешь', 'abc.def', '1:AAA', 'whsec-1', 'tok-1', 'Szia']) expect(text()).not.toContain(secret);
  expect(text()).toContain('Bad Request');
});
