import { sandboxSignature } from '../../connectors/sandbox';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { createAgent } from '../support/test-app';

/**
 * The sandbox channel end to end: the simulator writes as a customer through the signed webhook path, the
 * agent's reply goes out through the connector over HTTP to the platform Parley hosts, and receipts come back.
 */
let app: TestParley;
let admin: ApiClient;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  const created = await admin.post('/api/v1/channels', { type: 'sandbox', name: 'Piaskownica', settings: { apiRoot: `${app.url}/sandbox` } });
  expect(created.status).toBe(201);
  channel = created.body.channel;
});

afterAll(async () => {
  await app?.stop();
});

const transcript = async (customerId: string) => (await admin.get(`/api/v1/sandbox/channels/${channel.id}/customers/${customerId}`)).body.messages as any[];

test('a customer message, the reply, and its ticks up to read', async () => {
  const text = 'Dober dan! Naročilo št. 42 — ali je že poslano? 🚚';
  const wrote = await admin.post(`/api/v1/sandbox/channels/${channel.id}/messages`, { customerId: 'sim-zofia', name: 'Zofia Wiśniewska', text });
  expect(wrote.status).toBe(201);
  const conversation = await eventually(async () =>
    (await admin.get('/api/v1/conversations?limit=200')).body.conversations.find((c: any) => c.externalThreadId === 'sim-zofia'),
  );
  expect(conversation).toMatchObject({ contact: { name: 'Zofia Wiśniewska' }, channel: { type: 'sandbox' }, lastMessage: { preview: text } });

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Да, уже в пути. Köszönjük!' });
  expect(reply.status).toBe(202);
  const messageStatus = async () =>
    (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((m: any) => m.id === reply.body.message.id);
  // The platform stored it and sent a delivery receipt.
  await eventually(async () => (await messageStatus())?.status === 'delivered');
  expect(await messageStatus()).toMatchObject({ platformMessageId: expect.stringMatching(/^sbx-/) });
  // The customer's side shows it; showing it is the read receipt.
  const seen = await transcript('sim-zofia');
  expect(seen.map((e) => [e.from, e.text])).toEqual([
    ['customer', text],
    ['agent', 'Да, уже в пути. Köszönjük!'],
  ]);
  await eventually(async () => (await messageStatus())?.status === 'read');
});

test('the platform API refuses a reply without the channel secret, and the webhook a forged batch', async () => {
  const webhookId = channel.webhookUrl.split('/').pop()!;
  const body = Buffer.from(JSON.stringify({ clientMessageId: 'x', to: 'sim-mallory', text: 'spoofed', media: null }));
  const forged = await fetch(`${app.url}/sandbox/${webhookId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-signature': sandboxSignature('not-the-secret-0123456789abcdefghijkl', body) },
    body,
  });
  expect(forged.status).toBe(401);
  expect(await transcript('sim-mallory')).toEqual([]);

  const batch = Buffer.from(JSON.stringify({ events: [{ type: 'message', id: 'm1', customer: { id: 'sim-mallory' }, text: 'hi' }] }));
  const webhook = await fetch(`${app.url}/webhooks/${webhookId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-signature': sandboxSignature('not-the-secret-0123456789abcdefghijkl', batch) },
    body: batch,
  });
  expect(webhook.status).toBe(401);
});

test('playing the customer needs a logged-in agent', async () => {
  const anonymous = new ApiClient(app.url);
  expect((await anonymous.post(`/api/v1/sandbox/channels/${channel.id}/messages`, { customerId: 'c', name: 'n', text: 't' })).status).toBe(401);
  expect((await anonymous.get(`/api/v1/sandbox/channels/${channel.id}/customers/c`)).status).toBe(401);
  expect((await admin.post(`/api/v1/sandbox/channels/00000000-0000-4000-8000-000000000000/messages`, { customerId: 'c', name: 'n', text: 't' })).status).toBe(
    404,
  );
});

test('an agent outside the sandbox inbox can neither play its customer nor read the replies they were sent', async () => {
  const member = await createAgent(app, admin, { email: 'member@parley.test', name: 'Marta', password: 'agent-password-1' });
  const outsider = await createAgent(app, admin, { email: 'outsider@parley.test', name: 'Oskar', password: 'agent-password-1', inboxIds: [] });
  const write = (who: ApiClient) => who.post(`/api/v1/sandbox/channels/${channel.id}/messages`, { customerId: 'sim-inbox', name: 'Iza', text: 'Halo?' });
  expect((await write(outsider.client)).status).toBe(404);
  expect((await outsider.client.get(`/api/v1/sandbox/channels/${channel.id}/customers/sim-zofia`)).status).toBe(404);
  // A member of the inbox (every new agent is, unless told otherwise) may.
  expect((await write(member.client)).status).toBe(201);
  expect((await member.client.get(`/api/v1/sandbox/channels/${channel.id}/customers/sim-inbox`)).status).toBe(200);
});

test("the sandbox platform's API checks the path before the body: unknown is 404, and a body over its limit 413", async () => {
  const big = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
  const post = (webhookId: string) =>
    fetch(`${app.url}/sandbox/${webhookId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  expect((await post('no-such-sandbox-channel')).status).toBe(404);
  const known = new URL(channel.webhookUrl).pathname.split('/').pop()!;
  const tooBig = await post(known);
  expect(tooBig.status).toBe(413);
  expect(((await tooBig.json()) as { error: string }).error).toMatch(/at most 8388608 bytes/);
});
