import { startParley, type Parley } from '../../src/app/parley';
import { createLogger } from '../../src/logging/logger';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * Two worker processes' worth of routing on one database and one Redis: fifty waiting conversations and five
 * agents coming online at once. No conversation may go to two agents, and no agent past their capacity.
 */
let app: TestParley;
let second: Parley;
let admin: ApiClient;
let inbox: TelegramInbox;

beforeAll(async () => {
  app = await startTestParley({ WORKER_CONCURRENCY: '10' });
  second = await startParley({ ...app.config, role: 'worker' }, { logger: createLogger('silent') });
  admin = await ApiClient.login(app.url);
  inbox = await new TelegramInbox(app, admin).start();
});

afterAll(async () => {
  await second?.stop();
  await app?.stop();
  await inbox?.stop();
});

test('fifty conversations, two workers, five agents coming online at once: each conversation assigned exactly once', async () => {
  const agents: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await admin.post('/api/v1/agents', { email: `c${i}@parley.test`, name: `C${i}`, password: 'agent-password-1', capacity: 9 });
    agents.push(res.body.agent.id);
  }
  for (let batch = 0; batch < 5; batch++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => inbox.customerWrites(800_000 + batch * 10 + i, 'Доброго дня! Маю питання')));
  }
  await eventually(async () => (await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting.length === 50, 20_000);

  await Promise.all(agents.map((id) => admin.patch(`/api/v1/agents/${id}`, { availability: 'online' })));
  // 45 places for 50 conversations: the five newest keep waiting.
  await eventually(async () => (await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting.length === 5, 20_000);

  const db = app.parley.ctx.ds;
  const assignedTwice = await db.query(
    `SELECT conversation_id, count(*)::int AS n FROM domain_events WHERE type = 'conversation.assigned' GROUP BY conversation_id HAVING count(*) > 1`,
  );
  expect(assignedTwice).toEqual([]);
  const perAgent: Array<{ n: number }> = await db.query(
    `SELECT assignee_id, count(*)::int AS n FROM conversations WHERE assignee_id IS NOT NULL GROUP BY assignee_id`,
  );
  expect(perAgent.map((r) => r.n)).toEqual([9, 9, 9, 9, 9]);
}, 60_000);
