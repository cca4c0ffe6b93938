import { join } from 'node:path';
import type { OutboundMessage, WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { tryJson } from '../../shared/http';
import { botframeworkConnector } from '../index';
import { FakeConnectorService } from './fake-connector-service';
import { TEST_APP_ID, TEST_APP_PASSWORD, channelToken } from './test-tokens';
import { outboundOf, type ReplyFields } from '../../shared/testing/outbound';

/** A Teams personal chat, as a stored conversation reference whose serviceUrl is the running fake. */
export const TEAMS_CONVERSATION_ID = 'a:1personal-conversation-for-tests';

export function teamsReference(serviceUrl: string): Record<string, unknown> {
  return {
    activityId: '1571691217375',
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: TEAMS_CONVERSATION_ID, conversationType: 'personal', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    bot: { id: '28:cd59cf47-aca1-41e0-8441-387faee8331e', name: 'Parley' },
    user: { id: '29:1kbOecyrymSn1FtrbJlQNF', name: 'Tien Suwandy' },
  };
}

export function request(body: Buffer, authorization?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json; charset=utf-8' };
  if (authorization !== undefined) headers.authorization = authorization;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

/** The serviceUrl claim must equal the body's serviceUrl: read it from the body, as the channel service does. */
function serviceUrlOf(body: Buffer): string | undefined {
  const json = tryJson(body.toString('utf8')) as { serviceUrl?: unknown } | undefined;
  return typeof json?.serviceUrl === 'string' ? json.serviceUrl : undefined;
}

// outboundText()/outboundMedia() take no arguments, but a Bot Framework reply goes to the stored serviceUrl:
// setup() records where the fake listens.
let fakeUrl = '';

function outbound(messageId: string, extra: Partial<ReplyFields>): OutboundMessage {
  return outboundOf({
    messageId,
    threadExternalId: TEAMS_CONVERSATION_ID,
    recipientExternalId: '29:1kbOecyrymSn1FtrbJlQNF',
    replyContext: teamsReference(fakeUrl),
    text: null,
    ...extra,
  });
}

export const harness: ConformanceHarness = {
  name: 'botframework',
  definition: botframeworkConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  async setup() {
    const fake = new FakeConnectorService();
    fakeUrl = await fake.start();
    const connector = botframeworkConnector.create({
      id: 'c-bf',
      name: 'test bot',
      webhookId: 'w-bf',
      credentials: { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' },
      settings: fake.settings(),
    });
    return { connector, fake, teardown: () => fake.stop() };
  },
  signedRequest: (body) => request(body, `Bearer ${channelToken({ serviceUrl: serviceUrlOf(body) })}`),
  forgedRequest: (body) => request(body, `Bearer ${channelToken({ serviceUrl: serviceUrlOf(body), forged: true })}`),
  unsignedRequest: (body) => request(body),
  unknownKindPayload: Buffer.from(
    JSON.stringify({
      type: 'futureActivityKind',
      id: 'f:1',
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/amer/',
      from: { id: '29:someone' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:1' },
    }),
  ),
  outboundText: () => outbound('m-bf-1', { text: 'Hello from Parley' }),
  outboundMedia: () =>
    outbound('m-bf-2', {
      text: 'the invoice',
      media: { kind: 'image', data: Buffer.from('\x89PNG fake'), fileName: 'chart.png', mimeType: 'image/png' },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeConnectorService).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeConnectorService).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeConnectorService).blockNext(),
  expectedPlatformMessageId: (fake) => (fake as FakeConnectorService).peekNextActivityId(),
  refuseCredentials: (fake) =>
    void fake.failNext({ status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } }, (c) =>
      c.path.endsWith('/oauth2/v2.0/token'),
    ),
  secrets: [TEST_APP_PASSWORD],
};
