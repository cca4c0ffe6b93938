import type { Message } from '../database/entities';
import { advanceStatus } from './delivery-status';

const msg = (status: Message['status'], extra: Partial<Message> = {}) =>
  ({ direction: 'outbound', status, sentAt: null, deliveredAt: null, readAt: null, failureReason: null, ...extra }) as Message;
const t = new Date('2026-01-01T00:00:00Z');

test('statuses move forward', () => {
  expect(advanceStatus(msg('sent'), 'delivered', t)).toMatchObject({ status: 'delivered', deliveredAt: t });
  expect(advanceStatus(msg('delivered'), 'read', t)).toMatchObject({ status: 'read', readAt: t });
  expect(advanceStatus(msg('sent'), 'read', t)).toMatchObject({ status: 'read', deliveredAt: t, readAt: t });
});

test('a late receipt never moves a status back', () => {
  expect(advanceStatus(msg('read', { deliveredAt: t }), 'delivered', t)).toBeNull();
  expect(advanceStatus(msg('read', { deliveredAt: t }), 'sent', t)).toBeNull();
  expect(advanceStatus(msg('delivered', { deliveredAt: t }), 'delivered', t)).toBeNull();
});

test('a delivered receipt after read still records when it was delivered', () => {
  expect(advanceStatus(msg('read'), 'delivered', t)).toMatchObject({ status: 'read', deliveredAt: t });
});

test('failed applies before delivery only, and keeps the reason', () => {
  expect(advanceStatus(msg('sent'), 'failed', t, 'number not on WhatsApp')).toMatchObject({ status: 'failed', failureReason: 'number not on WhatsApp' });
  expect(advanceStatus(msg('delivered'), 'failed', t)).toBeNull();
  expect(advanceStatus(msg('failed'), 'read', t)).toBeNull();
});

test('inbound messages have no delivery status to move', () => {
  expect(advanceStatus({ ...msg('received'), direction: 'inbound' } as Message, 'read', t)).toBeNull();
});
