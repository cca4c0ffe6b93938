import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnparseableWebhookError } from '../contract';
import { parseSandboxWebhook } from './parse-webhook';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

test('a customer message keeps its text exactly and is addressed to the customer', () => {
  expect(parseSandboxWebhook(fixture('message-text.json'))).toEqual([
    {
      type: 'message',
      externalId: '6f1c2d9e-1b7a-4c1e-9a53-0d6c1b1f0a01',
      thread: { externalId: 'sim-4f2a', isGroup: false },
      sender: { externalId: 'sim-4f2a', displayName: 'Zofia Wiśniewska' },
      text: 'Dzień dobry! Czy mogę zmienić adres dostawy? 🙂',
      attachments: [],
      sentAt: new Date('2026-11-24T09:15:00.000Z'),
      platformKind: 'message',
    },
  ]);
});

test('receipts become status events for our platform message id', () => {
  expect(parseSandboxWebhook(fixture('receipt-read.json'))).toEqual([
    { type: 'status', platformMessageId: 'sbx-41', status: 'read', recipientExternalId: 'sim-4f2a', at: new Date('2026-11-24T09:16:30.000Z') },
  ]);
  const [message, receipt] = parseSandboxWebhook(fixture('batch-message-and-receipt.json'));
  expect(message).toMatchObject({ type: 'message', sender: { externalId: 'sim-77' }, text: 'Привіт' });
  expect(receipt).toMatchObject({ type: 'status', status: 'delivered', platformMessageId: 'sbx-2' });
});

test('a message of a known type with a wrong shape is unparseable, an unknown type is ignored', () => {
  expect(() => parseSandboxWebhook({ events: [{ type: 'message', id: 'x' }] })).toThrow(UnparseableWebhookError);
  expect(() => parseSandboxWebhook({ nope: true })).toThrow(UnparseableWebhookError);
  expect(parseSandboxWebhook({ events: [{ type: 'typing' }] })).toEqual([{ type: 'ignored', reason: 'sandbox event typing' }]);
});
