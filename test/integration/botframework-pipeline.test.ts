import { Client } from 'pg';
import { TEAMS_READ_RECEIPT } from '../../connectors/botframework/parse-activity';
import { FakeConnectorService } from '../../connectors/botframework/testing/fake-connector-service';
import { TEST_APP_ID, TEST_APP_PASSWORD, channelToken } from '../../connectors/botframework/testing/test-tokens';
import { countRows, ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * The core pipeline end to end on the real app, PostgreSQL and Redis, with the Bot Framework faked on 127.0.0.1 by
 * the connector's fake (OpenID metadata + signing keys, Entra token endpoint, Connector API):
 * webhook → JWT validation (the real SDK, keys from the fake) → parse → queue → store → API + socket → reply →
 * outbound queue → client-credentials token → Connector API.
 * Every inbound request carries a real RS256 channel token; authentication is never switched off here.
 */
let app: TestParley;
let fake: FakeConnectorService;
let admin: ApiClient;
let db: Client;
let channel: { id: string; webhookUrl: string; settings: Record<string, unknown> };
let nextActivityId = 1_700_000_000_000;

/** Teams addresses the bot as `28:<app id>`; Messenger as the Page id. */
const BOT = { id: `28:${TEST_APP_ID}`, name: 'Parley' };
const PAGE = { id: '707570692786184', name: 'Parley Support Page' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

beforeAll(async () => {
  fake = new FakeConnectorService();
  await fake.start();
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  await admin.patch('/api/v1/me', { availability: 'online' });
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();

  const created = await admin.post('/api/v1/channels', {
    type: 'botframework',
    name: 'Azure bot (Teams + Messenger)',
    credentials: { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' },
    // Every Bot Framework endpoint (channel OpenID metadata and keys, Emulator metadata, Entra login) on the fake.
    settings: {
      openIdMetadataUrl: `${fake.url}/v1/.well-known/openidconfiguration`,
      emulatorOpenIdMetadataUrl: `${fake.url}/emulator/v2.0/.well-known/openid-configuration`,
      loginUrl: fake.url,
      oAuthUrl: fake.url,
      mediaTokenHosts: ['127.0.0.1'],
      timeoutMs: 5000,
    },
  });
  expect(created.status).toBe(201);
  channel = created.body.channel;
  // JWT validation stays on: the development switch is off and the account has an app id.
  expect(channel.settings.allowUnauthenticated).toBe(false);
  expect(channel.settings.openIdMetadataUrl).toBe(`${fake.url}/v1/.well-known/openidconfiguration`);
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await fake?.stop();
});

function webhookPath(): string {
  return new URL(channel.webhookUrl).pathname;
}

/** Where the channel service says replies go: the fake's Connector API (real ones end with a slash too). */
function serviceUrl(): string {
  return `${fake.url}/`;
}

interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

function teamsUser(n: number, name = 'Ada Lovelace'): TeamsUser {
  return { id: `29:1-teams-user-${n}`, name, aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` };
}

/** A Teams message activity as Teams posts it; the text addresses the bot with `<at>Parley</at>` by default. */
function teamsMessage(
  conversationId: string,
  user: TeamsUser,
  text: string,
  opts: { id?: string; mention?: boolean; conversation?: Record<string, unknown>; channelData?: Record<string, unknown> } = {},
) {
  const mention = opts.mention ?? true;
  return {
    type: 'message',
    id: opts.id ?? String(nextActivityId++),
    timestamp: new Date().toISOString(),
    serviceUrl: serviceUrl(),
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: conversationId, ...opts.conversation },
    recipient: BOT,
    textFormat: 'plain',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    entities: mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [],
    channelData: { tenant: { id: TENANT }, ...opts.channelData },
    locale: 'en-US',
  };
}

/** A Messenger message as the Bot Framework Facebook channel forwards it (from = page-scoped user id). */
function messengerMessage(psid: string, name: string, text: string) {
  return {
    type: 'message',
    id: `mid.$cAAJsujCd2ORj_${nextActivityId++}`,
    timestamp: new Date().toISOString(),
    serviceUrl: serviceUrl(),
    channelId: 'facebook',
    from: { id: psid, name },
    conversation: { isGroup: false, id: `${psid}-${PAGE.id}` },
    recipient: PAGE,
    text,
    channelData: { sender: { id: psid }, recipient: { id: PAGE.id }, timestamp: Date.now(), message: { mid: 'mid.x', text } },
  };
}

type Auth = 'signed' | 'forged' | 'none' | { token: string };

/** POSTs an activity to the channel's webhook with a channel token (RS256, serviceurl claim = its serviceUrl). */
async function postActivity(activity: Record<string, unknown>, auth: Auth = 'signed'): Promise<number> {
  const token =
    auth === 'signed'
      ? channelToken({ serviceUrl: activity.serviceUrl as string })
      : auth === 'forged'
        ? channelToken({ serviceUrl: activity.serviceUrl as string, forged: true })
        : auth === 'none'
          ? null
          : auth.token;
  const res = await fetch(`${app.url}${webhookPath()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
  return res.status;
}

async function conversationForThread(threadId: string) {
  const list = await admin.get('/api/v1/conversations?limit=200');
  return list.body.conversations.find((c: any) => c.externalThreadId === threadId);
}

async function messageById(conversationId: string, id: string) {
  return (await admin.get(`/api/v1/conversations/${conversationId}/messages`)).body.messages.find((m: any) => m.id === id);
}

const count = (sql: string, params: unknown[] = []) => countRows(db, sql, params);

/** A Teams personal chat with one inbound message, ready for replies. */
async function teamsConversation(n: number, text = 'hello') {
  const threadId = `a:1personal-chat-${n}`;
  const user = teamsUser(n);
  expect(await postActivity(teamsMessage(threadId, user, text))).toBe(200);
  const conversation = await eventually(() => conversationForThread(threadId));
  return { threadId, user, conversation };
}

const activityPostsWithText = (text: string) => fake.activityCalls().filter((c) => c.json?.text === text);

test('a signed Teams message arrives as a conversation, a message without the bot mention, and socket events', async () => {
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const threadId = 'a:1personal-chat-ada';
    const user = teamsUser(1);
    const activity = teamsMessage(threadId, user, 'Hello, my order is late');
    expect(await postActivity(activity)).toBe(200);

    const conversation = await eventually(() => conversationForThread(threadId));
    expect(conversation).toMatchObject({ status: 'open', isGroup: false, channelId: channel.id });
    const messages = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      direction: 'inbound',
      text: 'Hello, my order is late',
      externalId: `${threadId}|${activity.id}`,
      status: 'received',
      platformKind: 'message',
    });

    // The contact's identity says which Bot Framework channel it came through.
    const contact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
    expect(contact).toMatchObject({ name: 'Ada Lovelace', blocked: false });
    expect(contact.identities).toHaveLength(1);
    expect(contact.identities[0]).toMatchObject({
      channelId: channel.id,
      externalId: user.id,
      displayName: 'Ada Lovelace',
      profile: { channelId: 'msteams', aadObjectId: user.aadObjectId, tenantId: TENANT, locale: 'en-US' },
    });

    await eventually(() => events.find((e) => e.name === 'message.created' && e.payload.message.text === 'Hello, my order is late')).catch((e) => {
      throw new Error(`no message.created socket event (got ${JSON.stringify(events.map((x) => x.name))}): ${e.message}`);
    });
    await eventually(() => events.find((e) => e.name === 'conversation.created' && e.payload.conversation.id === conversation.id));

    // The token was checked against the keys the fake publishes, fetched through the configured metadata URL.
    expect(fake.callsTo(/^\/v1\/\.well-known\/openidconfiguration$/).length).toBeGreaterThan(0);
    expect(fake.callsTo(/^\/v1\/\.well-known\/keys$/).length).toBeGreaterThan(0);
  } finally {
    socket.close();
  }
});

test('a Messenger message gives a conversation whose identity says facebook, and the reply goes back through it', async () => {
  const psid = '1254459154682919';
  expect(await postActivity(messengerMessage(psid, 'Grace Hopper', 'Hi from Messenger'))).toBe(200);
  const conversation = await eventually(() => conversationForThread(`${psid}-${PAGE.id}`));
  // The inbox tells Messenger from Teams on the conversation itself.
  expect(conversation.platform).toBe('facebook');
  const [message] = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
  expect(message).toMatchObject({ direction: 'inbound', text: 'Hi from Messenger' });
  const contact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
  expect(contact.name).toBe('Grace Hopper');
  expect(contact.identities[0]).toMatchObject({ externalId: psid, profile: { channelId: 'facebook' } });

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Hello Grace, how can we help?' });
  expect(reply.status).toBe(202);
  const call = await fake.waitForCall((c) => c.json?.text === 'Hello Grace, how can we help?');
  expect(FakeConnectorService.conversationOf(call)).toBe(`${psid}-${PAGE.id}`);
  expect(call.json).toMatchObject({ channelId: 'facebook', from: { id: PAGE.id }, recipient: { id: psid } });
  await eventually(async () => (await messageById(conversation.id, reply.body.message.id)).status === 'sent');
});

test("the agent's reply reaches the Connector API in the right conversation with a bearer token and ends sent with the activity id", async () => {
  const { threadId, user, conversation } = await teamsConversation(2, 'Can you help?');
  expect(conversation.platform).toBe('msteams');
  const expectedId = fake.peekNextActivityId();

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Of course! What is your order number?' });
  expect(reply.status).toBe(202);
  expect(reply.body.message.status).toBe('pending');

  const call = await fake.waitForCall((c) => c.method === 'POST' && c.json?.text === 'Of course! What is your order number?');
  expect(call.path).toBe(`/v3/conversations/${encodeURIComponent(threadId)}/activities`);
  expect(call.headers.authorization).toMatch(/^Bearer \S{20,}$/);
  expect(call.json).toMatchObject({
    type: 'message',
    channelId: 'msteams',
    textFormat: 'plain',
    conversation: { id: threadId, conversationType: 'personal', tenantId: TENANT },
    from: { id: BOT.id },
    recipient: { id: user.id },
  });

  const sent = await eventually(async () => {
    const m = await messageById(conversation.id, reply.body.message.id);
    return m.status === 'sent' ? m : null;
  });
  expect(sent.platformMessageId).toBe(expectedId);
  // One POST: the fake answers 401 to a token it did not issue, and the connector would then have posted again.
  expect(activityPostsWithText('Of course! What is your order number?')).toHaveLength(1);
  // The token came from the Entra client-credentials grant on the fake (cached across replies, so maybe earlier).
  expect(fake.tokenCalls().length).toBeGreaterThan(0);
  const tokenCall = fake.tokenCalls().at(-1)!;
  expect(tokenCall.path).toBe('/botframework.com/oauth2/v2.0/token');
  const form = new URLSearchParams(tokenCall.body.toString('utf8'));
  expect(form.get('grant_type')).toBe('client_credentials');
  expect(form.get('client_id')).toBe(TEST_APP_ID);
  expect(form.get('scope')).toBe('https://api.botframework.com/.default');
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.firstReplyAt).not.toBeNull();
});

test('a Teams channel thread keeps the team name, and the reply goes to the thread id URL-encoded', async () => {
  const threadId = '19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1700000000500';
  const user = teamsUser(3, 'Dave Taniguchi');
  const activity = teamsMessage(threadId, user, 'the printer on floor 3 is down', {
    conversation: { conversationType: 'channel', isGroup: true },
    channelData: { team: { id: '19:team@thread.skype', name: 'IT Helpdesk' }, channel: { id: '19:097e6717fd7245bdbeba6baa13840db8@thread.skype' } },
  });
  expect(await postActivity(activity)).toBe(200);
  const conversation = await eventually(() => conversationForThread(threadId));
  expect(conversation).toMatchObject({ isGroup: true, title: 'IT Helpdesk' });
  const [message] = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
  expect(message.text).toBe('the printer on floor 3 is down');

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'On it.' });
  const call = await fake.waitForCall((c) => c.json?.text === 'On it.');
  expect(call.path).toContain('%3Bmessageid%3D1700000000500');
  expect(FakeConnectorService.conversationOf(call)).toBe(threadId);
  await eventually(async () => (await messageById(conversation.id, reply.body.message.id)).status === 'sent');
});

test('a forged, missing or misdirected token gets 401 and stores nothing', async () => {
  // The SDK logs the key and the failure when a signature does not verify: expected noise here.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const before = await count(`SELECT count(*) AS n FROM messages`);
    const deadBefore = await count(`SELECT count(*) AS n FROM dead_letters`);
    const intruder = teamsUser(666, 'Mallory');
    const body = (text: string) => teamsMessage('a:1personal-chat-intruder', intruder, text);

    expect(await postActivity(body('forged: signed with a key the fake does not publish'), 'forged')).toBe(401);
    expect(await postActivity(body('unsigned'), 'none')).toBe(401);
    // A genuine token for another serviceUrl: replies could be redirected, so it does not fit this activity.
    expect(await postActivity(body('misdirected'), { token: channelToken({ serviceUrl: 'https://smba.trafficmanager.net/amer/' }) })).toBe(401);
    // A genuine token for another bot.
    const otherBot = channelToken({ serviceUrl: serviceUrl(), audience: '11111111-2222-4333-8444-555555555555' });
    expect(await postActivity(body('for another bot'), { token: otherBot })).toBe(401);
    expect(await postActivity(body('expired'), { token: channelToken({ serviceUrl: serviceUrl(), expiresIn: -3600 }) })).toBe(401);
    expect(await postActivity(body('not a jwt'), { token: 'not-a-jwt' })).toBe(401);

    await new Promise((r) => setTimeout(r, 500));
    expect(await count(`SELECT count(*) AS n FROM messages`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM dead_letters`)).toBe(deadBefore);
    expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = $1`, [intruder.id])).toBe(0);
    expect(await conversationForThread('a:1personal-chat-intruder')).toBeUndefined();
  } finally {
    quiet.mockRestore();
  }
});

test('the same activity posted twice is stored once', async () => {
  const threadId = 'a:1personal-chat-twice';
  const activity = teamsMessage(threadId, teamsUser(4), 'only once please');
  expect(await postActivity(activity)).toBe(200);
  expect(await postActivity(activity)).toBe(200);
  // And once more after the first job has certainly completed: the database is the final guard.
  const conversation = await eventually(() => conversationForThread(threadId));
  expect(await postActivity(activity)).toBe(200);
  await new Promise((r) => setTimeout(r, 700));
  expect(await count(`SELECT count(*) AS n FROM messages WHERE conversation_id = $1`, [conversation.id])).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE external_id = $1`, [`${threadId}|${activity.id}`])).toBe(1);
});

test('a 429 with Retry-After is retried after the wait and the message ends sent', async () => {
  const { conversation } = await teamsConversation(5, 'rate limit me');
  fake.rateLimitNext(1);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'after the wait' });
  await eventually(() => activityPostsWithText('after the wait').length >= 2, 15_000);
  const [first, second] = activityPostsWithText('after the wait');
  expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  const sent = await eventually(async () => {
    const m = await messageById(conversation.id, reply.body.message.id);
    return m.status === 'sent' ? m : null;
  });
  expect(sent.platformMessageId).toMatch(/^1:act-\d+$/);
  expect(activityPostsWithText('after the wait')).toHaveLength(2);
});

test('a 403 ConversationBlockedByUser ends failed with the reason and marks the contact blocked', async () => {
  const { conversation } = await teamsConversation(6, 'bye');
  fake.blockNext();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'are you there?' });
  const failed = await eventually(async () => {
    const m = await messageById(conversation.id, reply.body.message.id);
    return m.status === 'failed' ? m : null;
  });
  expect(failed.failureReason).toContain('ConversationBlockedByUser');
  expect(failed.platformMessageId).toBeNull();
  const contact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
  expect(contact.blocked).toBe(true);
  expect(contact.identities[0].blockedReason).toContain('ConversationBlockedByUser');
  // Only one attempt: a permanent error is not retried.
  await new Promise((r) => setTimeout(r, 300));
  expect(activityPostsWithText('are you there?')).toHaveLength(1);
  // And the next reply is refused up front with a clear error.
  const again = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'hello?' });
  expect(again.status).toBe(409);
  expect(again.body.error).toContain('blocked');
});

test('a signed Teams read receipt moves the reply to read; a forged one changes nothing', async () => {
  const { threadId, user, conversation } = await teamsConversation(7, 'did you get my invoice?');
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Yes, it is paid.' });
  const sent = await eventually(async () => {
    const m = await messageById(conversation.id, reply.body.message.id);
    return m.status === 'sent' ? m : null;
  });
  expect(sent.readAt).toBeNull();

  // As Teams sends it: an event activity naming the last bot message the user read (the id send() returned).
  const receipt = {
    name: TEAMS_READ_RECEIPT,
    type: 'event',
    timestamp: new Date().toISOString(),
    id: `f:read-receipt-${nextActivityId++}`,
    channelId: 'msteams',
    serviceUrl: serviceUrl(),
    from: { id: user.id, aadObjectId: user.aadObjectId },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: threadId },
    recipient: BOT,
    channelData: { tenant: { id: TENANT } },
    value: { lastReadMessageId: sent.platformMessageId },
  };

  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await postActivity(receipt, 'forged')).toBe(401);
  } finally {
    quiet.mockRestore();
  }
  await new Promise((r) => setTimeout(r, 500));
  expect((await messageById(conversation.id, reply.body.message.id)).status).toBe('sent');

  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    expect(await postActivity(receipt)).toBe(200);
    const read = await eventually(async () => {
      const m = await messageById(conversation.id, reply.body.message.id);
      return m.status === 'read' ? m : null;
    });
    expect(read.readAt).not.toBeNull();
    expect(read.platformMessageId).toBe(sent.platformMessageId);
    await eventually(() =>
      events.find((e) => e.name === 'message.updated' && e.payload.message.id === reply.body.message.id && e.payload.message.status === 'read'),
    );
  } finally {
    socket.close();
  }
});

test('a read receipt covers every earlier reply in that chat only ("read up to here")', async () => {
  const a = await teamsConversation(8, 'first chat');
  const b = await teamsConversation(9, 'second chat');
  const replies: string[] = [];
  for (const text of ['one', 'two', 'three']) {
    replies.push((await admin.post(`/api/v1/conversations/${a.conversation.id}/messages`, { text })).body.message.id);
  }
  const other = (await admin.post(`/api/v1/conversations/${b.conversation.id}/messages`, { text: 'elsewhere' })).body.message.id;
  const sent = await eventually(async () => {
    const all = await Promise.all(replies.map((id) => messageById(a.conversation.id, id)));
    return all.every((m) => m.status === 'sent') ? all : null;
  }, 15_000);
  await eventually(async () => (await messageById(b.conversation.id, other)).status === 'sent');

  // The user read up to the second reply: the first and second are read, the third is not, the other chat untouched.
  expect(
    await postActivity({
      name: TEAMS_READ_RECEIPT,
      type: 'event',
      timestamp: new Date().toISOString(),
      id: `f:read-receipt-${nextActivityId++}`,
      channelId: 'msteams',
      serviceUrl: serviceUrl(),
      from: { id: a.user.id, aadObjectId: a.user.aadObjectId },
      conversation: { conversationType: 'personal', tenantId: TENANT, id: a.threadId },
      recipient: BOT,
      channelData: { tenant: { id: TENANT } },
      value: { lastReadMessageId: sent[1].platformMessageId },
    }),
  ).toBe(200);
  await eventually(async () => (await messageById(a.conversation.id, replies[0])).status === 'read');
  expect((await messageById(a.conversation.id, replies[1])).status).toBe('read');
  expect((await messageById(a.conversation.id, replies[2])).status).toBe('sent');
  expect((await messageById(b.conversation.id, other)).status).toBe('sent');
});

test('removing the app from a personal chat marks the contact blocked', async () => {
  const { threadId, user, conversation } = await teamsConversation(8, 'thanks, bye');
  const removal = { ...teamsMessage(threadId, user, '', { mention: false }), type: 'installationUpdate', action: 'remove' };
  expect(await postActivity(removal)).toBe(200);
  await eventually(async () => (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact.blocked === true);
});

test('a signed message that could never be answered is kept as a dead letter and answered 200', async () => {
  // No conversation and no sender: nothing could ever reply to it.
  const activity = { type: 'message', id: 'orphan-1', channelId: 'msteams', serviceUrl: serviceUrl(), text: 'who am I?' };
  const raw = JSON.stringify(activity);
  expect(await postActivity(activity)).toBe(200);
  expect(await count(`SELECT count(*) AS n FROM dead_letters WHERE channel_id = $1 AND body = $2`, [channel.id, Buffer.from(raw)])).toBe(1);
});
