import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import type { DomainEvent, EventListener } from '../../src/events/domain-events';
import { recordEvents } from '../../src/events/outbox';
import { EventRelay } from '../../src/events/relay';
import { createLogger } from '../../src/logging/logger';
import { createTestDatabase } from '../support/database';

/** The relay against a real PostgreSQL: order, at-least-once, and one relay at a time. */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let ds: DataSource;
const logger = createLogger('silent');

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource(db.url, { poolSize: 4 }).initialize();
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

beforeEach(() => ds.query('DELETE FROM domain_events'));

class Recorder implements EventListener {
  readonly name = 'recorder';
  readonly seen: string[] = [];
  failuresLeft = 0;
  async handle(events: DomainEvent[]): Promise<void> {
    if (this.failuresLeft-- > 0) throw new Error('listener down');
    this.seen.push(...events.map((e) => (e.type === 'message.status_changed' ? e.data.status : e.type)));
  }
}

/**
 * Relays until `expected` events were handed. Another test's write transaction elsewhere in the cluster can
 * hold events back for a moment (the snapshot's xmin is cluster-wide), so one run may hand none.
 */
async function dispatchAll(relay: EventRelay, expected: number): Promise<void> {
  let total = 0;
  const deadline = Date.now() + 5000;
  while (total < expected && Date.now() < deadline) {
    const run = await relay.dispatchPending();
    if (run.kind === 'done') total += run.dispatched;
  }
  expect(total).toBe(expected);
}

const statusEvent = (status: string) => ({ type: 'message.status_changed' as const, conversationId: null, data: { messageId: 'm', status } });

/** The error of the first run that reaches the listeners. */
async function eventuallyFails(relay: EventRelay): Promise<Error> {
  for (let i = 0; i < 100; i++) {
    try {
      await relay.dispatchPending();
    } catch (err) {
      return err as Error;
    }
  }
  throw new Error('the relay never reached the listener');
}

/** Opens a transaction that stays open until `release` is called. */
function openTransaction(work: (m: EntityManager) => Promise<void>): { done: Promise<void>; release: () => void; ready: Promise<void> } {
  let release!: () => void;
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const gate = new Promise<void>((r) => (release = r));
  const done = ds.transaction(async (m) => {
    await work(m);
    ready();
    await gate;
  });
  return { done, release, ready: readyP };
}

test('an event committed later with a smaller id is not overtaken by one committed earlier', async () => {
  const listener = new Recorder();
  const relay = new EventRelay(ds, [listener], logger);
  const first = openTransaction((m) => recordEvents(m, [statusEvent('sent')]));
  await first.ready;
  await ds.transaction((m) => recordEvents(m, [statusEvent('delivered')]));

  // "delivered" is committed, but "sent" (a smaller id) is still in flight: nothing may be handed yet.
  expect(await relay.dispatchPending()).toEqual({ kind: 'done', dispatched: 0, waiting: true });
  first.release();
  await first.done;
  await dispatchAll(relay, 2);
  expect(listener.seen).toEqual(['sent', 'delivered']);
});

test('a listener that fails gets the same batch again, and nothing is marked dispatched meanwhile', async () => {
  const listener = new Recorder();
  listener.failuresLeft = 1;
  const relay = new EventRelay(ds, [listener], logger);
  await ds.transaction((m) => recordEvents(m, [statusEvent('sent'), statusEvent('read')]));
  expect((await eventuallyFails(relay)).message).toBe('listener down');
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`);
  expect(n).toBe(2);
  await dispatchAll(relay, 2);
  expect(listener.seen).toEqual(['sent', 'read']);
});

test('a rolled-back change leaves no event behind', async () => {
  const listener = new Recorder();
  await expect(
    ds.transaction(async (m) => {
      await recordEvents(m, [statusEvent('sent')]);
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await new EventRelay(ds, [listener], logger).dispatchPending()).toEqual({ kind: 'done', dispatched: 0, waiting: false });
});

test('while one relay runs, another steps aside instead of handing the same events', async () => {
  await ds.transaction((m) => recordEvents(m, [statusEvent('sent')]));
  let relayInside!: () => void;
  const inside = new Promise<void>((r) => (relayInside = r));
  let finish!: () => void;
  const slow: EventListener = {
    name: 'slow',
    handle: async () => {
      relayInside();
      await new Promise<void>((r) => (finish = r));
    },
  };
  const running = dispatchAll(new EventRelay(ds, [slow], logger), 1);
  await inside;
  const other = new Recorder();
  expect(await new EventRelay(ds, [other], logger).dispatchPending()).toEqual({ kind: 'busy' });
  finish();
  await running;
  expect(other.seen).toEqual([]);
});

test('batches are handed in id order across batch boundaries', async () => {
  const listener = new Recorder();
  const statuses = Array.from({ length: 7 }, (_, i) => `s${i}`);
  for (const s of statuses) await ds.transaction((m) => recordEvents(m, [statusEvent(s)]));
  await dispatchAll(new EventRelay(ds, [listener], logger, 3), 7);
  expect(listener.seen).toEqual(statuses);
});
