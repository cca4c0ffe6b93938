import type { Socket } from 'socket.io-client';
import { startParley, type Parley } from '../../src/app/parley';
import { createLogger } from '../../src/logging/logger';
import { wakeJobId } from '../../src/lifecycle/lifecycle.listener';
import { ApiClient, connectSocket, countRows, eventually, sleep, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * The life of a conversation with two worker processes on one database and one Redis: snoozes waking once,
 * customers reopening resolved conversations, idle ones resolving themselves, hold and transfer, and the
 * activity entries the thread keeps of it all.
 */
let app: TestParley;
let second: Parley;
let admin: ApiClient;
let inbox: TelegramInbox;
const sockets: Socket[] = [];
let chat = 700_000;
let agentNo = 0;

beforeAll(async () => {
  // Sweeps every 200 ms in both processes: they race each other and the delayed jobs.
  app = await startTestParley({ LIFECYCLE_SWEEP_MS: '200' });
  second = await startParley({ ...app.config, role: 'worker' }, { logger: createLogger('silent') });
  admin = await ApiClient.login(app.url);
  inbox = await new TelegramInbox(app, admin).start();
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await second?.stop();
  await app?.stop();
  await inbox?.stop();
});

const db = () => app.parley.ctx.ds;

async function agent(online = true): Promise<{ id: string; api: ApiClient }> {
  const email = `life${++agentNo}@parley.test`;
  const res = await admin.post('/api/v1/agents', { email, name: `Agent ${agentNo}`, password: 'agent-password-1', capacity: 5 });
  expect(res.status).toBe(201);
  if (online) await setAvailability(res.body.agent.id, 'online');
  return { id: res.body.agent.id, api: await ApiClient.login(app.url, email, 'agent-password-1') };
}

async function setAvailability(id: string, availability: 'online' | 'offline') {
  expect((await admin.patch(`/api/v1/agents/${id}`, { availability })).status).toBe(200);
}

async function conversation(id: string) {
  return (await admin.get(`/api/v1/conversations/${id}`)).body.conversation;
}

async function activity(id: string, as: ApiClient = admin): Promise<any[]> {
  const res = await as.get(`/api/v1/conversations/${id}/activity`);
  expect(res.status).toBe(200);
  return res.body.activities;
}

/** A new customer writes; resolves once routing has placed the conversation (assigned or waiting). */
async function newCustomer(text = 'Dzień dobry, mam pytanie 🙂', languageCode?: string): Promise<{ chatId: number; id: string }> {
  const chatId = ++chat;
  const c = await inbox.customerWrites(chatId, text, `Klient ${chatId}`, languageCode);
  // Routed: assigned, or waiting in the queue. This conversation itself: others may be waiting already.
  const waiting = async () =>
    ((await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting as Array<{ conversationId: string }>).some((w) => w.conversationId === c.id);
  await eventually(async () => (await conversation(c.id)).assigneeId || (await waiting()));
  return { chatId, id: c.id };
}

const statusEvents = (id: string, reason: string) =>
  countRows(
    { query: async (sql, params) => ({ rows: await db().query(sql, params) }) },
    `SELECT count(*) AS n FROM domain_events WHERE conversation_id = $1 AND type = 'conversation.status_changed' AND payload->>'reason' = $2`,
    [id, reason],
  );

beforeAll(async () => {
  // The admin takes no conversations: agents made by each test do.
  await setAvailability((await admin.get('/api/v1/me')).body.agent.id, 'offline');
});

test('a snoozed conversation wakes at its time exactly once with two workers running, and the browser is told', async () => {
  const anna = await agent();
  const c = await newCustomer('Proszę o kontakt jutro, dziękuję!');
  expect((await conversation(c.id)).assigneeId).toBe(anna.id);
  const { socket, events } = await connectSocket(app.url, anna.api.token!);
  sockets.push(socket);

  // Snoozed for a minute, then again for a moment: the later snooze's job wakes it; the first one's finds nothing due.
  const later = new Date(Date.now() + 60_000);
  expect((await anna.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'snoozed', snoozedUntil: later.toISOString() })).status).toBe(200);
  const until = new Date(Date.now() + 1500);
  const snoozed = await anna.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'snoozed', snoozedUntil: until.toISOString() });
  expect(snoozed.body.conversation).toMatchObject({ status: 'snoozed', snoozedUntil: until.toISOString() });
  await eventually(async () => (await app.parley.ctx.queues.lifecycle.getJob(wakeJobId(c.id, until))) !== undefined);
  expect(await app.parley.ctx.queues.lifecycle.getJob(wakeJobId(c.id, later))).toBeDefined();

  const woken = await eventually(async () => ((await conversation(c.id)).status === 'open' ? await conversation(c.id) : null), 20_000);
  expect(new Date(woken.updatedAt).getTime()).toBeGreaterThanOrEqual(until.getTime());
  expect(woken).toMatchObject({ snoozedUntil: null, assigneeId: anna.id });
  await eventually(() =>
    events.find((e) => e.name === 'conversation.updated' && e.payload.conversation.id === c.id && e.payload.conversation.status === 'open'),
  );
  // Both workers sweep every 200 ms: give them time to try again.
  await sleep(1500);
  expect(await statusEvents(c.id, 'snooze_ended')).toBe(1);
  const entries = await activity(c.id);
  expect(entries.filter((a) => a.kind === 'woken')).toHaveLength(1);
  expect(entries.filter((a) => a.kind === 'snoozed').map((a) => a.snoozedUntil)).toEqual([later.toISOString(), until.toISOString()]);
  await eventually(() =>
    events.find((e) => e.name === 'activity.created' && e.payload.activity.kind === 'woken' && e.payload.activity.conversationId === c.id),
  );
  await setAvailability(anna.id, 'offline');
}, 60_000);

test('a snooze whose job Redis lost is woken by the sweep, once', async () => {
  const bea = await agent();
  const c = await newCustomer('Zadzwonię później');
  const until = new Date(Date.now() + 60_000);
  await bea.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'snoozed', snoozedUntil: until.toISOString() });
  const job = await eventually(() => app.parley.ctx.queues.lifecycle.getJob(wakeJobId(c.id, until)));
  await job.remove();
  // Its time comes (moved earlier in the database, as if a minute had passed) with no job left to run.
  await db().query(`UPDATE conversations SET snoozed_until = now() - interval '1 second' WHERE id = $1`, [c.id]);
  await eventually(async () => (await conversation(c.id)).status === 'open', 20_000);
  await sleep(1000);
  expect(await statusEvents(c.id, 'snooze_ended')).toBe(1);
  await setAvailability(bea.id, 'offline');
}, 60_000);

test('a resolved conversation reopens on a new customer message and goes back to its previous agent', async () => {
  const cyril = await agent();
  const c = await newCustomer('Добрий день! Де моє замовлення?');
  expect((await conversation(c.id)).assigneeId).toBe(cyril.id);
  expect((await cyril.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' })).status).toBe(200);
  // Someone else is online and less busy: routing would pick them, but the conversation returns to Cyril.
  const other = await agent();

  await inbox.customerWrites(c.chatId, 'Ще одне питання, будь ласка 🙏');
  const reopened = await eventually(async () => ((await conversation(c.id)).status === 'open' ? await conversation(c.id) : null));
  await sleep(500);
  expect((await conversation(c.id)).assigneeId).toBe(cyril.id);
  expect(reopened.resolvedAt).toBeNull();
  const list = (await admin.get(`/api/v1/conversations?channelId=${inbox.id}&limit=200`)).body.conversations;
  expect(list.filter((x: any) => x.externalThreadId === String(c.chatId))).toHaveLength(1);
  const reopenedEntry = await eventually(async () => (await activity(c.id)).find((a) => a.kind === 'reopened'));
  expect(reopenedEntry).toMatchObject({ actorAgentId: null, from: 'resolved', to: 'open' });

  // Cyril is offline the next time: the customer is routed to whoever can take them.
  await cyril.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' });
  await setAvailability(cyril.id, 'offline');
  await inbox.customerWrites(c.chatId, 'Halo? Є хтось?');
  await eventually(async () => (await conversation(c.id)).assigneeId === other.id);
  expect((await conversation(c.id)).status).toBe('open');
  const moves = (await activity(c.id)).filter((a) => a.kind === 'assigned').map((a) => [a.fromAgentId, a.toAgentId]);
  expect(moves.slice(-2)).toEqual([
    [cyril.id, null],
    [null, other.id],
  ]);
  await setAvailability(other.id, 'offline');
}, 60_000);

test('a reopened conversation does not go back to an agent who has left the inbox since', async () => {
  const eva = await agent();
  const c = await newCustomer('Dober dan, še eno vprašanje');
  expect((await conversation(c.id)).assigneeId).toBe(eva.id);
  expect((await eva.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' })).status).toBe(200);
  // Leaving the inbox hands back only unresolved conversations: this one still names Eva.
  expect((await admin.request('PUT', `/api/v1/agents/${eva.id}/inboxes`, { inboxIds: [] })).status).toBe(200);
  expect((await conversation(c.id)).assigneeId).toBe(eva.id);
  const other = await agent();

  await inbox.customerWrites(c.chatId, 'Halo, ste tam?');
  await eventually(async () => (await conversation(c.id)).assigneeId === other.id);
  expect((await conversation(c.id)).status).toBe('open');
  for (const a of [eva, other]) await setAvailability(a.id, 'offline');
}, 60_000);

test('after the reopen window a customer starts a new conversation', async () => {
  const dora = await agent();
  const c = await newCustomer('Köszönöm, minden rendben!');
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { reopenWithinHours: 1 })).status).toBe(200);
  await dora.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' });
  await db().query(`UPDATE conversations SET resolved_at = now() - interval '2 hours' WHERE id = $1`, [c.id]);
  await inbox.customerWrites(c.chatId, 'Új kérdésem van');
  const list = await eventually(async () => {
    const all = (await admin.get(`/api/v1/conversations?channelId=${inbox.id}&limit=200`)).body.conversations;
    const mine = all.filter((x: any) => x.externalThreadId === String(c.chatId));
    return mine.length === 2 ? mine : null;
  });
  expect(list.map((x: any) => x.status).sort()).toEqual(['open', 'resolved']);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { reopenWithinHours: -1 })).status).toBe(400);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { reopenWithinHours: 168 })).status).toBe(200);
  await setAvailability(dora.id, 'offline');
}, 60_000);

test('a transfer note is visible to the receiving agent and never sent to the customer', async () => {
  const from = await agent();
  const to = await agent(false);
  const colleague = await agent(false);
  const team = (await admin.post('/api/v1/teams', { name: 'Rozliczenia' })).body.team;
  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [to.id, colleague.id] })).status).toBe(200);
  const c = await newCustomer('Dzień dobry, faktura się nie zgadza');
  expect((await conversation(c.id)).assigneeId).toBe(from.id);
  // The colleague sees the conversation through the team once it moves there: on the socket too.
  const colleagueSocket = await connectSocket(app.url, colleague.api.token!);
  const receiverSocket = await connectSocket(app.url, to.api.token!);
  sockets.push(colleagueSocket.socket, receiverSocket.socket);

  const note = 'Klientka pyta o korektę faktury FV/2024/117 — zażółć gęślą jaźń';
  const res = await from.api.post(`/api/v1/conversations/${c.id}/transfer`, {
    agentId: to.id,
    teamId: team.id,
    note,
    customerMessage: 'Przekazuję rozmowę do działu rozliczeń, zaraz odpowiedzą.',
  });
  expect(res.status).toBe(200);
  expect(res.body.conversation).toMatchObject({ assigneeId: to.id, teamId: team.id });

  const received = await eventually(() => receiverSocket.events.find((e) => e.name === 'activity.created' && e.payload.activity.kind === 'transferred'));
  expect(received.payload.activity).toMatchObject({ note, fromAgentId: from.id, toAgentId: to.id, actorAgentId: from.id });
  const seenByColleague = await eventually(() =>
    colleagueSocket.events.find((e) => e.name === 'activity.created' && e.payload.activity.kind === 'transferred'),
  );
  expect(seenByColleague.payload.activity.note).toBeNull();
  expect(JSON.stringify(colleagueSocket.events)).not.toContain('FV/2024/117');

  expect((await activity(c.id, to.api)).find((a) => a.kind === 'transferred').note).toBe(note);
  expect((await activity(c.id, admin)).find((a) => a.kind === 'transferred').note).toBe(note);
  expect((await activity(c.id, colleague.api)).find((a) => a.kind === 'transferred').note).toBeNull();
  // The customer hears the message, never the note.
  await eventually(() => inbox.textsTo(c.chatId).includes('Przekazuję rozmowę do działu rozliczeń, zaraz odpowiedzą.'));
  await sleep(300);
  expect(inbox.textsTo(c.chatId).some((t) => t.includes('FV/2024/117'))).toBe(false);
  expect(
    await countRows({ query: async (s, p) => ({ rows: await db().query(s, p) }) }, `SELECT count(*) AS n FROM messages WHERE text LIKE '%FV/2024/117%'`),
  ).toBe(0);
  await setAvailability(from.id, 'offline');
}, 60_000);

test('a transfer to a team routes the conversation to one of its members, who alone read the note', async () => {
  const from = await agent();
  const c = await newCustomer('Zdravo, imam vprašanje o računu');
  expect((await conversation(c.id)).assigneeId).toBe(from.id);
  const member = await agent(false);
  const team = (await admin.post('/api/v1/teams', { name: 'Billing' })).body.team;
  await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [member.id] });
  await setAvailability(member.id, 'online');
  // Only the team's member may get it, although the transferring agent is online and has room.
  const res = await from.api.post(`/api/v1/conversations/${c.id}/transfer`, { teamId: team.id, note: 'Račun št. 42: dvojna bremenitev' });
  expect(res.status).toBe(200);
  expect(res.body.conversation).toMatchObject({ assigneeId: null, teamId: team.id });
  await eventually(async () => (await conversation(c.id)).assigneeId === member.id);
  expect((await activity(c.id, member.api)).find((a) => a.kind === 'transferred')).toMatchObject({
    note: 'Račun št. 42: dvojna bremenitev',
    toTeamId: team.id,
  });
  // The agent who handed it on no longer sees the conversation at all.
  expect((await from.api.get(`/api/v1/conversations/${c.id}/activity`)).status).toBe(404);
  for (const a of [from, member]) await setAvailability(a.id, 'offline');
}, 60_000);

test('transfer and hold refuse what they cannot do, with a 4xx', async () => {
  const eve = await agent();
  const c = await newCustomer('Здравствуйте');
  expect((await eve.api.post(`/api/v1/conversations/${c.id}/transfer`, { note: 'nikomu' })).status).toBe(400);
  expect((await eve.api.post(`/api/v1/conversations/${c.id}/transfer`, { agentId: '00000000-0000-4000-8000-000000000000' })).status).toBe(422);
  expect((await eve.api.post(`/api/v1/conversations/${c.id}/transfer`, { agentId: eve.id })).status).toBe(409);
  expect((await eve.api.post(`/api/v1/conversations/${c.id}/hold`, { text: '   ' })).status).toBe(400);
  await eve.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' });
  expect((await eve.api.post(`/api/v1/conversations/${c.id}/hold`, {})).status).toBe(409);
  await setAvailability(eve.id, 'offline');
}, 60_000);

test("hold tells the customer in their language, marked automatic; the agent's own words are their reply", async () => {
  const fern = await agent();
  const c = await newCustomer('Dzień dobry, czy mogę zwrócić towar?', 'pl');
  expect((await fern.api.post(`/api/v1/conversations/${c.id}/hold`, {})).status).toBe(200);
  await eventually(() => inbox.textsTo(c.chatId).includes('Chwileczkę, sprawdzam.'));
  const [held] = await db().query(`SELECT automatic, sender_agent_id, status FROM messages WHERE conversation_id = $1 AND text = 'Chwileczkę, sprawdzam.'`, [
    c.id,
  ]);
  expect(held).toMatchObject({ automatic: 'hold', sender_agent_id: null });
  const thread = (await fern.api.get(`/api/v1/conversations/${c.id}/messages`)).body.messages;
  expect(thread.find((m: any) => m.text === 'Chwileczkę, sprawdzam.')).toMatchObject({ automatic: 'hold', status: 'sent' });

  expect((await fern.api.post(`/api/v1/conversations/${c.id}/hold`, { text: 'Sprawdzam w magazynie, proszę o chwilę ⏳' })).status).toBe(200);
  await eventually(() => inbox.textsTo(c.chatId).includes('Sprawdzam w magazynie, proszę o chwilę ⏳'));
  const [own] = await db().query(`SELECT automatic, sender_agent_id FROM messages WHERE conversation_id = $1 AND text LIKE 'Sprawdzam w magazynie%'`, [c.id]);
  expect(own).toMatchObject({ automatic: null, sender_agent_id: fern.id });

  const sent = inbox.textsTo(c.chatId).length;
  expect((await fern.api.post(`/api/v1/conversations/${c.id}/hold`, { notifyCustomer: false })).status).toBe(200);
  const holds = await eventually(async () => {
    const list = (await activity(c.id)).filter((a) => a.kind === 'held');
    return list.length === 3 ? list : null;
  });
  expect(holds.map((h) => h.actorAgentId)).toEqual([fern.id, fern.id, fern.id]);
  expect(holds[2].customerMessageId).toBeNull();
  await sleep(300);
  expect(inbox.textsTo(c.chatId)).toHaveLength(sent);
  await setAvailability(fern.id, 'offline');
}, 60_000);

test('an idle conversation is resolved once, with one closing message; one whose customer waits for an answer is left open', async () => {
  const gabi = await agent();
  const answered = await newCustomer('Dziękuję za pomoc');
  const unanswered = await newCustomer('Halo, czekam na odpowiedź');
  expect((await gabi.api.post(`/api/v1/conversations/${answered.id}/messages`, { text: 'Proszę bardzo! Czy coś jeszcze?' })).status).toBe(202);
  await eventually(() => inbox.textsTo(answered.chatId).includes('Proszę bardzo! Czy coś jeszcze?'));
  // Hours of silence, as far as the database can tell: the last word was ours in one, the customer's in the other.
  await db().query(`UPDATE conversations SET last_inbound_at = now() - interval '3 hours', updated_at = now() - interval '2 hours' WHERE id = ANY($1)`, [
    [answered.id, unanswered.id],
  ]);
  await db().query(`UPDATE conversations SET last_activity_at = now() - interval '2 hours' WHERE id = $1`, [answered.id]);
  await db().query(`UPDATE conversations SET last_activity_at = last_inbound_at WHERE id = $1`, [unanswered.id]);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { idleResolveAfterMinutes: 60, closingMessage: true })).status).toBe(200);

  await eventually(async () => (await conversation(answered.id)).status === 'resolved', 20_000);
  await eventually(() => inbox.textsTo(answered.chatId).some((t) => t.startsWith('Thank you for contacting Support')));
  await sleep(1500);
  expect(await statusEvents(answered.id, 'idle')).toBe(1);
  expect(inbox.textsTo(answered.chatId).filter((t) => t.startsWith('Thank you for contacting Support'))).toHaveLength(1);
  const [closing] = await db().query(`SELECT automatic FROM messages WHERE conversation_id = $1 AND text LIKE 'Thank you for contacting%'`, [answered.id]);
  expect(closing.automatic).toBe('closing');
  expect((await activity(answered.id)).filter((a) => a.kind === 'auto_resolved')).toHaveLength(1);
  expect((await conversation(unanswered.id)).status).toBe('open');
  expect(inbox.textsTo(unanswered.chatId).some((t) => t.startsWith('Thank you for contacting'))).toBe(false);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { idleResolveAfterMinutes: null })).status).toBe(200);
  await setAvailability(gabi.id, 'offline');
}, 60_000);

test('every assignment, transfer, hold and status change is kept as an activity entry, in order, and listed with the thread', async () => {
  const hana = await agent();
  const ivo = await agent();
  const c = await newCustomer('Pozdravljeni, paket ni prispel');
  const first = (await conversation(c.id)).assigneeId as string;
  const other = first === hana.id ? ivo : hana;
  const owner = first === hana.id ? hana : ivo;
  await owner.api.post(`/api/v1/conversations/${c.id}/hold`, { notifyCustomer: false });
  await owner.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'pending' });
  await owner.api.post(`/api/v1/conversations/${c.id}/transfer`, { agentId: other.id, note: 'Preveri sledenje' });
  await other.api.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' });
  const entries = await eventually(async () => {
    const list = await activity(c.id);
    return list.length >= 5 ? list : null;
  });
  expect(entries.map((a) => a.kind)).toEqual(['assigned', 'held', 'status_changed', 'transferred', 'status_changed']);
  expect(entries[0]).toMatchObject({ actorAgentId: null, toAgentId: first });
  expect(entries[2]).toMatchObject({ actorAgentId: owner.id, from: 'open', to: 'pending' });
  expect(entries[4]).toMatchObject({ actorAgentId: other.id, from: 'pending', to: 'resolved' });
  const times = entries.map((a) => Date.parse(a.createdAt));
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  // Kept in the database, one row per event.
  expect(
    await countRows(
      { query: async (s, p) => ({ rows: await db().query(s, p) }) },
      `SELECT count(*) AS n FROM conversation_activities WHERE conversation_id = $1 AND event_id IS NOT NULL`,
      [c.id],
    ),
  ).toBe(5);
  for (const a of [hana, ivo]) await setAvailability(a.id, 'offline');
}, 60_000);
