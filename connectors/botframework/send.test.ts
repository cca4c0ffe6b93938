import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ConnectorError, outboundMessageSchema, type Connector, type OutboundMessage } from '../contract';
import { botframeworkConnector } from './index';
import { parseActivity } from './parse-activity';
import type { BotframeworkSettings } from './schema';
import { FakeConnectorService } from './testing/fake-connector-service';
import { TEAMS_CONVERSATION_ID, teamsReference } from './testing/harness';
import { TEST_APP_ID, TEST_APP_PASSWORD } from './testing/test-tokens';
import { outboundOf, type ReplyFields } from '../shared/testing/outbound';

/** Replies through the stored conversation reference to a fake Connector API + token endpoint on 127.0.0.1. */
let fake: FakeConnectorService;

beforeEach(async () => {
  fake = new FakeConnectorService();
  await fake.start();
});
afterEach(() => fake.stop());

function connector(
  settings: Partial<BotframeworkSettings> = {},
  credentials = { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' },
): Connector {
  return botframeworkConnector.create({ id: 'c', name: 'bf', webhookId: 'w', credentials, settings: fake.settings(settings) });
}

function reply(extra: Partial<ReplyFields> = {}): OutboundMessage {
  return outboundOf({
    messageId: 'm1',
    threadExternalId: TEAMS_CONVERSATION_ID,
    recipientExternalId: '29:1kbOecyrymSn1FtrbJlQNF',
    replyContext: teamsReference(fake.url),
    text: 'Hello from Parley',
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('sending', () => {
  test('posts the activity to the stored serviceUrl with a token from the login endpoint', async () => {
    const result = await connector().send(reply());
    expect(result).toEqual({ platformMessageId: '1:act-1001', status: 'sent' });

    const [token] = fake.tokenCalls();
    expect(token.path).toBe('/botframework.com/oauth2/v2.0/token');
    expect(Object.fromEntries(new URLSearchParams(token.body.toString()))).toEqual({
      grant_type: 'client_credentials',
      client_id: TEST_APP_ID,
      client_secret: TEST_APP_PASSWORD,
      scope: 'https://api.botframework.com/.default',
    });

    const [call] = fake.activityCalls();
    expect(FakeConnectorService.conversationOf(call)).toBe(TEAMS_CONVERSATION_ID);
    expect(call.headers.authorization).toMatch(/^Bearer .+/);
    const ref = teamsReference(fake.url);
    expect(call.json).toEqual({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: fake.url,
      from: ref.bot,
      recipient: ref.user,
      conversation: ref.conversation,
      text: 'Hello from Parley',
      textFormat: 'plain',
    });
  });

  test('a single-tenant bot gets its token from its own tenant', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    await fake.stop();
    fake = new FakeConnectorService({ tenant: tenantId });
    await fake.start();
    await connector({}, { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId }).send(reply());
    expect(fake.tokenCalls()[0].path).toBe(`/${tenantId}/oauth2/v2.0/token`);
  });

  test('reuses the token until it nears expiry, and shares one token request between concurrent sends', async () => {
    const c = connector();
    await Promise.all([c.send(reply()), c.send(reply({ messageId: 'm2' }))]);
    await c.send(reply({ messageId: 'm3' }));
    expect(fake.tokenCalls()).toHaveLength(1);
    expect(fake.activityCalls()).toHaveLength(3);
  });

  test('a token revoked early is replaced once, and the message still goes out', async () => {
    const c = connector();
    await c.send(reply());
    fake.revokeTokens();
    expect((await c.send(reply({ messageId: 'm2' }))).platformMessageId).toBe('1:act-1002');
    expect(fake.tokenCalls()).toHaveLength(2);
  });

  test('a rejected app secret is permanent, and nothing is posted', async () => {
    const err = await failure(connector({}, { appId: TEST_APP_ID, appPassword: 'wrong', tenantId: '' }).send(reply()));
    expect(err).toMatchObject({ retryable: false, code: 'token_rejected' });
    expect(err.message).not.toContain('wrong');
    expect(fake.activityCalls()).toHaveLength(0);
  });

  test('an image travels inline as a data URL with the caption as text', async () => {
    const png = Buffer.from('\x89PNG small picture');
    await connector().send(reply({ text: 'the chart', media: { kind: 'image', data: png, fileName: 'chart.png', mimeType: 'image/png' } }));
    const [call] = fake.activityCalls();
    expect(call.json.text).toBe('the chart');
    expect(call.json.attachments).toEqual([{ contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: 'chart.png' }]);
  });

  test('a file over the inline limit is refused before any call', async () => {
    const big = Buffer.alloc(botframeworkConnector.capabilities.maxOutboundMediaBytes + 1);
    const err = await failure(connector().send(reply({ media: { kind: 'document', data: big, fileName: 'a.pdf', mimeType: 'application/pdf' } })));
    expect(err).toMatchObject({ retryable: false, code: 'too_large' });
    expect(fake.calls).toHaveLength(0);
  });

  test('a Teams channel thread id (with ;messageid=) is URL-encoded into the path', async () => {
    const conversation = { id: '19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1570640063118', conversationType: 'channel' };
    await connector().send(reply({ threadExternalId: conversation.id, replyContext: { ...teamsReference(fake.url), conversation } }));
    const [call] = fake.activityCalls();
    expect(call.path).toBe(`/v3/conversations/${encodeURIComponent(conversation.id)}/activities`);
    expect(FakeConnectorService.conversationOf(call)).toBe(conversation.id);
  });

  test('the reply context a parsed message stores is enough to answer it', async () => {
    const raw = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'mbrown-skype-message.json'), 'utf8'));
    const [event] = parseActivity({ ...raw, serviceUrl: `${fake.url}/` });
    if (event.type !== 'message') throw new Error('expected a message');
    await connector().send(reply({ threadExternalId: event.thread.externalId, replyContext: event.thread.replyContext }));
    const [call] = fake.activityCalls();
    expect(FakeConnectorService.conversationOf(call)).toBe(raw.conversation.id);
    expect(call.json.recipient).toEqual(raw.from);
    expect(call.json.from).toEqual(raw.recipient);
  });
});

describe('refusing to send', () => {
  test('without a stored conversation reference', async () => {
    expect(await failure(connector().send(reply({ replyContext: undefined })))).toMatchObject({ retryable: false, code: 'no_reference' });
  });

  test('with a reference from another conversation (it would reach the wrong person)', async () => {
    expect(await failure(connector().send(reply({ threadExternalId: 'a:other' })))).toMatchObject({ code: 'reference_mismatch' });
    expect(fake.calls).toHaveLength(0);
  });

  test('with nothing to send', async () => {
    // An empty reply cannot even be built: the contract's schema refuses it before any connector runs.
    expect(outboundMessageSchema.safeParse(reply({ text: null })).success).toBe(false);
  });
});

describe("Messenger's 24-hour window", () => {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600 * 1000);
  const messenger = () => ({ ...teamsReference(fake.url), channelId: 'facebook' });

  test('a reply after 24 hours is a policy error raised before any call', async () => {
    const err = await failure(connector().send(reply({ replyContext: messenger(), lastInboundAt: hoursAgo(25) })));
    expect(err).toMatchObject({ retryable: false, policy: true, code: 'outside_window' });
    expect(fake.calls).toHaveLength(0);
  });

  test('inside the window, or on Teams, the reply goes out', async () => {
    await connector().send(reply({ replyContext: messenger(), lastInboundAt: hoursAgo(23) }));
    await connector().send(reply({ lastInboundAt: hoursAgo(25) }));
    expect(fake.activityCalls()).toHaveLength(2);
  });

  test("Meta's own refusal is reported the same way", async () => {
    fake.failSendNext({ status: 400, body: { error: { code: 'BadArgument', message: 'This message is sent outside of allowed window.' } } });
    const err = await failure(connector().send(reply({ replyContext: messenger() })));
    expect(err).toMatchObject({ retryable: false, policy: true, code: 'outside_window' });
  });
});

describe('errors from the Connector API', () => {
  test('429 is retryable after Retry-After', async () => {
    fake.rateLimitNext(7);
    expect(await failure(connector().send(reply()))).toMatchObject({ retryable: true, retryAfterMs: 7000 });
  });

  test.each([502, 503, 504, 500])('%i is retryable', async (status) => {
    fake.failSendNext({ status, body: { error: { code: 'ServiceError', message: 'oops' } } });
    expect(await failure(connector().send(reply()))).toMatchObject({ retryable: true });
  });

  test('412 (a concurrent operation on the conversation) is retryable, as Teams asks', async () => {
    fake.failSendNext({ status: 412, body: { error: { code: 'PreconditionFailed', message: 'Conflict' } } });
    expect(await failure(connector().send(reply()))).toMatchObject({ retryable: true, code: 'PreconditionFailed' });
  });

  test('a timeout is retryable', async () => {
    // A serviceUrl with a path prefix (regional Teams URLs have one) served by a route that never answers.
    fake.route('POST', /^\/slow\/v3\//, () => new Promise(() => undefined));
    const ref = teamsReference(`${fake.url}/slow/`);
    const err = await failure(connector({ timeoutMs: 1000 }).send(reply({ replyContext: ref })));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
    expect(fake.callsTo(/^\/slow\/v3\/conversations\/[^/]+\/activities$/)).toHaveLength(1);
  });

  test('403 "user blocked the conversation with the bot" marks the contact as blocking us', async () => {
    fake.blockNext();
    expect(await failure(connector().send(reply()))).toMatchObject({ retryable: false, contactBlocked: true, code: 'ConversationBlockedByUser' });
  });

  test.each([
    [403, 'BotDisabledByAdmin', 'The tenant admin disabled this bot'],
    [403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.'],
    [404, 'ConversationNotFound', 'Conversation not found.'],
    [400, 'BadSyntax', 'Incorrect conversation creation parameters'],
    [413, 'MessageSizeTooBig', 'Message size too large.'],
  ])('%i %s is permanent and not a block', async (status, code, message) => {
    fake.failSendNext({ status, body: { error: { code, message } } });
    const err = await failure(connector().send(reply()));
    expect(err).toMatchObject({ retryable: false, contactBlocked: false, code });
    expect(err.message).toContain(message);
  });
});

describe('local development without authentication', () => {
  test('sends without asking for a token', async () => {
    await fake.stop();
    fake = new FakeConnectorService({ requireAuth: false });
    await fake.start();
    const c = connector({ allowUnauthenticated: true }, { appId: '', appPassword: '', tenantId: '' });
    await c.send(reply());
    expect(fake.tokenCalls()).toHaveLength(0);
    expect(fake.activityCalls()[0].headers.authorization).toBeUndefined();
  });
});

describe('downloading attachments', () => {
  beforeEach(() => {
    fake.route('GET', /^\/media\/.+$/, () => ({ status: 200, body: Buffer.from('image bytes') }));
  });

  test('a Teams attachment on a listed host is fetched with the bot token', async () => {
    const media = await connector().downloadMedia!(`${fake.url}/media/1`);
    expect(media.data.toString()).toBe('image bytes');
    expect(fake.callsTo(/^\/media\//)[0].headers.authorization).toMatch(/^Bearer /);
  });

  test('any other host never sees the token', async () => {
    await connector({ mediaTokenHosts: ['smba.trafficmanager.net'] }).downloadMedia!(`${fake.url}/media/2`);
    expect(fake.callsTo(/^\/media\//)[0].headers.authorization).toBeUndefined();
    expect(fake.tokenCalls()).toHaveLength(0);
  });

  test('inline data URLs are decoded; other schemes are refused', async () => {
    const media = await connector().downloadMedia!(`data:text/plain;base64,${Buffer.from('hello').toString('base64')}`);
    expect(media).toEqual({ data: Buffer.from('hello'), mimeType: 'text/plain' });
    expect(await failure(connector().downloadMedia!('file:///etc/passwd'))).toMatchObject({ code: 'bad_ref' });
  });
});
