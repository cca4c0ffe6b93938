import type { DataSource } from 'typeorm';
import type { InboundMessageEvent } from '../../connectors/contract';
import { createDataSource } from '../../src/database/data-source';
import { InboundService } from '../../src/ingest/inbound.service';
import { createTestDatabase } from '../support/database';

/**
 * What storing a customer's message costs in SQL statements, BEGIN and COMMIT included. The domain events
 * ride in the same transaction: the count must not grow for them (it was 12 before the outbox, with two
 * re-reads the events made unnecessary).
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let ds: DataSource;
let statements: string[] = [];
let channelId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = await createDataSource(db.url, { poolSize: 2, onQuery: (sql) => statements.push(sql) }).initialize();
  [{ id: channelId }] = await ds.query(`INSERT INTO channels (type, name, credentials_encrypted, webhook_id) VALUES ('telegram', 'c', 'x', 'w') RETURNING id`);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const message = (n: number): InboundMessageEvent => ({
  type: 'message',
  externalId: `42:${n}`,
  thread: { externalId: '42', isGroup: false },
  sender: { externalId: '42', displayName: 'Łucja Śliwińska' },
  text: `wiadomość ${n}`,
  attachments: [],
  sentAt: new Date(),
  platformKind: 'message',
});

async function cost(n: number): Promise<string[]> {
  statements = [];
  await new InboundService(ds).store(channelId, message(n), new Date());
  return statements;
}

test('a message in an open conversation costs 9 statements, its events included', async () => {
  await cost(1);
  const sql = await cost(2);
  expect(sql).toHaveLength(9);
  expect(sql.filter((s) => s.startsWith('INSERT INTO domain_events'))).toHaveLength(1);
});

test('the first message of a new customer costs more (contact, identity, conversation) and records two events in one insert', async () => {
  statements = [];
  await new InboundService(ds).store(
    channelId,
    { ...message(1), externalId: '43:1', thread: { externalId: '43', isGroup: false }, sender: { externalId: '43' } },
    new Date(),
  );
  expect(statements.filter((s) => s.startsWith('INSERT INTO domain_events'))).toHaveLength(1);
  // It was 15: the identity and both rows were read back after being written.
  expect(statements).toHaveLength(12);
  const [{ types }] = await ds.query(
    `SELECT array_agg(type ORDER BY id) AS types FROM domain_events WHERE conversation_id = (SELECT id FROM conversations WHERE external_thread_id = '43')`,
  );
  expect(types).toEqual(['conversation.created', 'message.received']);
});

test('a repeat delivery stops after the duplicate check and records nothing', async () => {
  const sql = await cost(2);
  expect(sql.some((s) => s.includes('domain_events'))).toBe(false);
  expect(sql).toHaveLength(4);
});
