import { ApiClient, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/** GET /contacts?q=: finding a person (to merge with), in any script and case, within what the caller may see. */
let app: TestParley;
let admin: ApiClient;
let adminId: string;
let inbox: TelegramInbox;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  adminId = (await admin.get('/api/v1/me')).body.agent.id;
  inbox = await new TelegramInbox(app, admin).start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await inbox?.fake.stop();
});

const search = (client: ApiClient, q: string, extra = '') => client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}${extra}`);
const names = (res: { body: any }) => res.body.contacts.map((c: any) => c.name).sort();

test('finds by part of a name in any case and script, and by the platform id, with identities', async () => {
  await inbox.customerWrites(7001, 'Dzień dobry', 'Łucja');
  await inbox.customerWrites(7002, 'Привіт', 'Тарас');
  await inbox.customerWrites(7003, 'Szia', 'Ágnes');

  const polish = await search(admin, 'łUCJ');
  expect(polish.status).toBe(200);
  expect(names(polish)).toEqual(['Łucja']);
  expect(polish.body.contacts[0].identities).toEqual([expect.objectContaining({ channelId: inbox.id, externalId: '7001' })]);
  expect(names(await search(admin, 'тар'))).toEqual(['Тарас']);
  expect(names(await search(admin, '7003'))).toEqual(['Ágnes']);
  expect((await search(admin, 'nobody like this')).body.contacts).toEqual([]);
  // LIKE's wildcards are searched for as typed, not as wildcards.
  expect((await search(admin, '%')).body.contacts).toEqual([]);
  expect((await search(admin, '_')).body.contacts).toEqual([]);
});

test('an agent finds only people with a conversation they may see; admins find everyone', async () => {
  const seen = await inbox.customerWrites(7101, 'Hej', 'Marta Zielińska');
  const hidden = await inbox.customerWrites(7102, 'Hej', 'Marta Nowak');
  expect((await admin.post(`/api/v1/conversations/${hidden.id}/assign`, { agentId: adminId })).status).toBe(200);
  const agent = { email: 'search.agent@parley.test', name: 'Agent', password: 'agent-password-1' };
  expect((await admin.post('/api/v1/agents', agent)).status).toBe(201);
  const client = await ApiClient.login(app.url, agent.email, agent.password);

  expect(names(await search(client, 'Marta'))).toEqual(['Marta Zielińska']);
  expect(names(await search(admin, 'Marta'))).toEqual(['Marta Nowak', 'Marta Zielińska']);
  expect(seen.contactId).toBeTruthy();
});

test('merged contacts are left out; limit pages the answer', async () => {
  const a = await inbox.customerWrites(7201, 'Dobrý den', 'Zdeněk Dvořák');
  const b = await inbox.customerWrites(7202, 'Dobrý den', 'Zdeněk D.');
  expect((await admin.post(`/api/v1/contacts/${b.contactId}/merge`, { intoContactId: a.contactId })).status).toBe(200);
  const found = await search(admin, 'Zdeněk');
  expect(found.body.contacts.map((c: any) => c.id)).toEqual([a.contactId]);
  expect(found.body.contacts[0].identities.map((i: any) => i.externalId).sort()).toEqual(['7201', '7202']);
  expect((await search(admin, 'Marta', '&limit=1')).body.contacts).toHaveLength(1);
});

test('bad input is a 400 in words, and the route needs a token', async () => {
  for (const query of ['', '?q=', '?q=%20%20', `?q=${'x'.repeat(101)}`, '?q=a&limit=0', '?q=a&limit=51', '?q=a&limit=x']) {
    const res = await admin.get(`/api/v1/contacts${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid request');
  }
  expect((await new ApiClient(app.url).get('/api/v1/contacts?q=a')).status).toBe(401);
});
