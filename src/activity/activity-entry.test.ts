import type { DomainEvent, NewDomainEvent } from '../events/domain-events';
import { activityFor } from './activity-entry';

const event = (e: NewDomainEvent): DomainEvent => ({ ...e, id: '1', occurredAt: new Date(0) }) as DomainEvent;
const status = (data: Extract<NewDomainEvent, { type: 'conversation.status_changed' }>['data']) =>
  activityFor(event({ type: 'conversation.status_changed', conversationId: 'c', data }));

test('status changes become the entry that says what happened and who did it', () => {
  expect(status({ from: 'snoozed', to: 'open', byAgentId: null, reason: 'snooze_ended' })?.kind).toBe('woken');
  expect(status({ from: 'pending', to: 'resolved', byAgentId: null, reason: 'idle' })?.kind).toBe('auto_resolved');
  expect(status({ from: 'resolved', to: 'open', byAgentId: null, reason: 'customer_wrote' })).toMatchObject({ kind: 'reopened', actorAgentId: null });
  expect(status({ from: 'resolved', to: 'open', byAgentId: 'ann' })).toMatchObject({ kind: 'reopened', actorAgentId: 'ann' });
  expect(status({ from: 'open', to: 'snoozed', byAgentId: 'ann', snoozedUntil: '2030-01-01T00:00:00.000Z' })).toMatchObject({
    kind: 'snoozed',
    data: { snoozedUntil: '2030-01-01T00:00:00.000Z' },
  });
  expect(status({ from: 'pending', to: 'open', byAgentId: null, reason: 'customer_wrote' })).toMatchObject({
    kind: 'status_changed',
    data: { reason: 'customer_wrote' },
  });
  expect(status({ from: 'open', to: 'resolved', byAgentId: 'ann' })).toMatchObject({ kind: 'status_changed', data: { from: 'open', to: 'resolved' } });
});

test("a transfer's note is addressed to the agent it went to, or else to the team", () => {
  const transfer = (assigneeId: string | null, note: string | null) =>
    activityFor(
      event({
        type: 'conversation.assigned',
        conversationId: 'c',
        data: { assigneeId, previousAssigneeId: 'ann', teamId: 'billing', previousTeamId: null, byAgentId: 'ann', transfer: { note, customerMessageId: null } },
      }),
    );
  expect(transfer('bob', 'Sprawdź fakturę')?.data).toMatchObject({ note: 'Sprawdź fakturę', noteForAgentId: 'bob', fromAgentId: 'ann', toAgentId: 'bob' });
  expect(transfer(null, 'Проверьте счёт')?.data).toMatchObject({ note: 'Проверьте счёт', noteForTeamId: 'billing', toTeamId: 'billing' });
  expect(transfer('bob', null)?.data.note).toBeUndefined();
  expect(transfer('bob', null)?.kind).toBe('transferred');
});

test('events that are not about a conversation’s course make no entry', () => {
  expect(activityFor(event({ type: 'message.received', conversationId: 'c', data: { messageId: 'm', assigneeId: null } }))).toBeNull();
});
