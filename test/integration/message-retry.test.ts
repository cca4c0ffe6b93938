import type { FakeGraphApi } from '../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';
import { WhatsAppCloudInbox } from '../support/whatsapp-cloud-inbox';

/**
 * POST /messages/:id/retry on the real app, PostgreSQL and Redis, with WhatsApp's Graph API faked on 127.0.0.1:
 * only a failed reply goes again, only for an agent who may see it, through the outbound queue, live on the socket.
 */
let app: TestParley;
let whatsapp: WhatsAppCloudInbox;
let fake: FakeGraphApi;
let admin: ApiClient;
let adminId: string;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  adminId = (await admin.get('/api/v1/me')).body.agent.id;
  whatsapp = await new WhatsAppCloudInbox(app, admin).start();
  fake = whatsapp.fake;
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await whatsapp?.stop();
});

async function messageOf(conversationId: string, messageId: string, status: string) {
  return eventually(async () => {
    const list = (await admin.get(`/api/v1/conversations/${conversationId}/messages`)).body.messages;
    const m = list.find((x: any) => x.id === messageId);
    return m?.status === status ? m : null;
  }, 20_000);
}

/** A reply the fake refused for good (131026): stored `failed` with WhatsApp's reason. */
async function failedReply(conversationId: string, text: string) {
  fake.undeliverableNext();
  const reply = await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text });
  expect(reply.status).toBe(202);
  return messageOf(conversationId, reply.body.message.id, 'failed');
}

const sendsOf = (text: string) => fake.messageCalls().filter((c) => c.json?.text?.body === text);

test('a failed reply goes back to pending, is sent again through the fake, and its tick moves live', async () => {
  const conversation = await whatsapp.customerWrites('48600100200', 'Łucja Wójcik', 'Dzień dobry! Czy paczka już wyszła?');
  const text = 'Tak, paczka wyszła wczoraj — zażółć gęślą jaźń 📦';
  const failed = await failedReply(conversation.id, text);
  expect(failed.failureReason).toMatch(/could not deliver/);
  expect(sendsOf(text)).toHaveLength(1);

  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const expectedWamid = fake.peekNextMessageId();
    const retried = await admin.post(`/api/v1/messages/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body.message).toMatchObject({ id: failed.id, status: 'pending', failureReason: null, text });

    const sent = await messageOf(conversation.id, failed.id, 'sent');
    expect(sent.platformMessageId).toBe(expectedWamid);
    expect(sent.failureReason).toBeNull();
    expect(sendsOf(text)).toHaveLength(2);
    expect(sendsOf(text)[1].json.to).toBe('48600100200');

    // The socket moved the tick by itself, never back to failed. The realtime listener sends the row as it is
    // when the relay reads it, so a quick send may fold `pending` into `sent`; and the first failure's own event
    // may reach this socket, connected just before, ahead of the retry's.
    const statuses = () => events.filter((e) => e.name === 'message.updated' && e.payload.message.id === failed.id).map((e) => e.payload.message.status);
    await eventually(() => statuses().includes('sent'));
    const afterRetry = statuses().slice(statuses().findIndex((s) => s !== 'failed'));
    expect(afterRetry.every((s) => s === 'pending' || s === 'sent')).toBe(true);
    expect(statuses().at(-1)).toBe('sent');
  } finally {
    socket.disconnect();
  }
});

test('only a failed reply can be retried: sent replies, notes and customer messages are refused with 409', async () => {
  const conversation = await whatsapp.customerWrites('48600100201', 'Тарас Шевченко', 'Привіт!');
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Вітаю! Чим можу допомогти?' });
  const sent = await messageOf(conversation.id, reply.body.message.id, 'sent');
  const note = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'VIP', private: true });
  const inbound = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((m: any) => m.direction === 'inbound');

  for (const id of [sent.id, note.body.message.id, inbound.id]) {
    const res = await admin.post(`/api/v1/messages/${id}/retry`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/only a failed reply/);
  }
  expect(sendsOf('Вітаю! Чим можу допомогти?')).toHaveLength(1);
  expect(sendsOf('VIP')).toHaveLength(0);

  // Retried once, it is pending or sent: a second retry is refused too.
  const failed = await failedReply(conversation.id, 'Jó napot kívánok!');
  expect((await admin.post(`/api/v1/messages/${failed.id}/retry`)).status).toBe(202);
  expect((await admin.post(`/api/v1/messages/${failed.id}/retry`)).status).toBe(409);
  await messageOf(conversation.id, failed.id, 'sent');
  expect(sendsOf('Jó napot kívánok!')).toHaveLength(2);
});

test('an agent may retry only what they may see; unknown and malformed ids are 404 and 400', async () => {
  const conversation = await whatsapp.customerWrites('48600100202', 'Žiga Novak', 'Pozdravljeni!');
  const failed = await failedReply(conversation.id, 'Hvala za potrpežljivost.');
  const agent = { email: 'ewa.retry@parley.test', name: 'Ewa Kowalczyk', password: 'agent-password-1' };
  expect((await admin.post('/api/v1/agents', agent)).status).toBe(201);
  const ewa = await ApiClient.login(app.url, agent.email, agent.password);

  // Assigned to the admin: not Ewa's to see, so not hers to retry (404, as if it did not exist).
  expect((await admin.post(`/api/v1/conversations/${conversation.id}/assign`, { agentId: adminId })).status).toBe(200);
  const refused = await ewa.post(`/api/v1/messages/${failed.id}/retry`);
  expect(refused.status).toBe(404);
  expect((await new ApiClient(app.url).post(`/api/v1/messages/${failed.id}/retry`)).status).toBe(401);
  expect(sendsOf('Hvala za potrpežljivost.')).toHaveLength(1);

  // Back in the queue (unassigned), Ewa may see it and retry it.
  expect((await admin.post(`/api/v1/conversations/${conversation.id}/assign`, { agentId: null })).status).toBe(200);
  expect((await ewa.post(`/api/v1/messages/${failed.id}/retry`)).status).toBe(202);
  await messageOf(conversation.id, failed.id, 'sent');

  expect((await admin.post('/api/v1/messages/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
  expect((await admin.post('/api/v1/messages/not-a-uuid/retry')).status).toBe(400);
});
