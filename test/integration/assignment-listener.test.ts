import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AssignmentListener } from '../../src/assignment/assignment.listener';
import type { DomainEvent } from '../../src/events/domain-events';
import type { AssignmentJob } from '../../src/queues/queues';
import { TEST_REDIS_URL, testRedisPrefix } from '../support/env';
import { deleteKeys } from '../support/redis';

/** What routing is asked to do for customers' messages, on a real BullMQ queue in the test's Redis. */
let redis: Redis;
let prefix: string;
let queue: Queue<AssignmentJob>;

beforeEach(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  prefix = testRedisPrefix('assign');
  queue = new Queue<AssignmentJob>('assignment', { connection: redis, prefix });
});

afterEach(async () => {
  await queue.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

let id = 0;
function received(conversationId: string, data: { assigneeId: string | null; waiting?: boolean }): DomainEvent {
  return { id: String(++id), occurredAt: new Date(), type: 'message.received', conversationId, data: { messageId: `m${id}`, ...data } };
}

const assignJobs = async () => (await queue.getJobs(['waiting', 'delayed'])).filter((j) => j.name === 'assign').map((j) => j.data.conversationId);

test('a burst from one customer is routed once, and a conversation already waiting in the queue not again', async () => {
  const listener = new AssignmentListener(queue);
  await listener.handle([
    received('c-new', { assigneeId: null, waiting: false }),
    received('c-new', { assigneeId: null, waiting: false }),
    received('c-new', { assigneeId: null, waiting: false }),
    received('c-queued', { assigneeId: null, waiting: true }),
    received('c-taken', { assigneeId: 'agent-1', waiting: false }),
    // Written before the flag existed: routed as before.
    received('c-old', { assigneeId: null }),
  ]);
  expect((await assignJobs()).sort()).toEqual(['c-new', 'c-old']);
});

test('capacity freed several times in one batch serves the queues once', async () => {
  const listener = new AssignmentListener(queue);
  const event = <T extends DomainEvent['type']>(type: T, data: Extract<DomainEvent, { type: T }>['data']) =>
    ({ id: String(++id), occurredAt: new Date(), type, conversationId: 'c1', data }) as DomainEvent;
  const batch = [
    event('conversation.status_changed', { from: 'open', to: 'resolved', byAgentId: 'a1' }),
    event('agent.availability_changed', { agentId: 'a2', available: true, reason: 'availability' }),
    event('conversation.status_changed', { from: 'open', to: 'snoozed', byAgentId: 'a1' }),
  ];
  await listener.handle(batch);
  await listener.handle(batch); // handed again: the same job
  const serves = (await queue.getJobs(['waiting', 'delayed'])).filter((j) => j.name === 'serve');
  expect(serves.map((j) => j.id)).toEqual([`serve-${batch[2].id}`]);
});
