import { createHmac } from 'node:crypto';
import { FakeConnectorService } from '../../../connectors/botframework/testing/fake-connector-service';
import { TEST_APP_ID, TEST_APP_PASSWORD, channelToken } from '../../../connectors/botframework/testing/test-tokens';
import { FakeTelegramBotApi } from '../../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../../connectors/telegram/testing/harness';
import { FakeViberApi } from '../../../connectors/viber/testing/fake-viber-api';
import { TEST_AUTH_TOKEN } from '../../../connectors/viber/testing/harness';
import { FakeGraphApi } from '../../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { TEST_CREDENTIALS, TEST_PHONE_NUMBER_ID } from '../../../connectors/whatsapp-cloud/testing/harness';
import type { ApiClient } from '../../support/parley';

/**
 * The four webhook connectors on one running Parley, each able to build a customer's text message as its
 * platform sends it, and to POST raw bytes signed as its platform signs them. Used by the hostile-input tests.
 */
export interface MessageSpec {
  text: string;
  senderName: string;
  /** JSON text put, unparsed, where the connector keeps a value in the event (a 50,000-deep array...). */
  rawField?: string;
}

export interface BuiltMessage {
  raw: Buffer;
  senderExternalId: string;
}

export interface WebhookChannel {
  type: string;
  id: string;
  path: string;
  message(spec: MessageSpec): BuiltMessage;
  /** POSTs exactly these bytes with a valid signature (or token) for them, and these headers (a content type...). */
  post(raw: Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
}

const TELEGRAM_SECRET = 'hostile-input-secret-token-0123';
const PLACEHOLDER = '"__RAW_FIELD__"';
let seq = 0;
const next = () => `${Date.now()}${String(++seq).padStart(4, '0')}`;

/** JSON text of `value` with `rawField` (if any) spliced in where the placeholder string is. */
function bytes(value: unknown, rawField: string | undefined): Buffer {
  const json = JSON.stringify(value);
  return Buffer.from(rawField === undefined ? json : json.replace(PLACEHOLDER, rawField), 'utf8');
}
const field = (spec: MessageSpec) => (spec.rawField === undefined ? {} : { deep: PLACEHOLDER.slice(1, -1) });

async function postTo(baseUrl: string, path: string, raw: Buffer, signature: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...signature }, body: raw });
  return { status: res.status, body: await res.text() };
}

export interface WebhookChannels {
  all: WebhookChannel[];
  stop(): Promise<void>;
}

/** Creates one channel of each webhook type through the API (the platforms are needed for the credentials check only). */
export async function createWebhookChannels(baseUrl: string, admin: ApiClient): Promise<WebhookChannels> {
  const bf = new FakeConnectorService();
  await bf.start();
  try {
    return await create4(baseUrl, admin, bf);
  } catch (err) {
    await bf.stop();
    throw err;
  }
}

async function create4(baseUrl: string, admin: ApiClient, bf: FakeConnectorService): Promise<WebhookChannels> {
  const create = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/channels', body);
    if (res.status !== 201) throw new Error(`channel ${String(body.type)}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.channel.id as string, path: new URL(res.body.channel.webhookUrl).pathname };
  };
  // The platforms answer the credentials check while the channels are created, and are gone afterwards.
  const fakes = {
    telegram: new FakeTelegramBotApi(TEST_BOT_TOKEN),
    viber: new FakeViberApi(TEST_AUTH_TOKEN),
    whatsapp: new FakeGraphApi(TEST_CREDENTIALS.accessToken, TEST_PHONE_NUMBER_ID),
  };
  await Promise.all(Object.values(fakes).map((f) => f.start()));
  let telegram, viber, whatsapp;
  try {
    telegram = await create({
      type: 'telegram',
      name: 'Hostile Telegram',
      credentials: { botToken: TEST_BOT_TOKEN, webhookSecret: TELEGRAM_SECRET },
      settings: { apiRoot: fakes.telegram.url },
    });
    viber = await create({
      type: 'viber',
      name: 'Hostile Viber',
      credentials: { authToken: TEST_AUTH_TOKEN },
      settings: { apiBaseUrl: fakes.viber.url, senderName: 'Parley' },
    });
    whatsapp = await create({
      type: 'whatsapp_cloud',
      name: 'Hostile WhatsApp',
      credentials: { accessToken: TEST_CREDENTIALS.accessToken, appSecret: TEST_CREDENTIALS.appSecret },
      settings: { apiBaseUrl: fakes.whatsapp.apiBaseUrl, phoneNumberId: TEST_PHONE_NUMBER_ID },
    });
  } finally {
    await Promise.all(Object.values(fakes).map((f) => f.stop()));
  }
  const botframework = await create({
    type: 'botframework',
    name: 'Hostile Bot Framework',
    credentials: { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' },
    settings: bf.settings(),
  });
  const serviceUrl = `${bf.url}/`;

  const all: WebhookChannel[] = [
    {
      type: 'telegram',
      ...telegram,
      message(spec) {
        const id = Number(next().slice(-9));
        // The business connection id is kept in the thread's replyContext: a place a hostile value reaches the queue.
        const message = {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id, type: 'private' },
          from: { id, is_bot: false, first_name: spec.senderName },
        };
        const withField = spec.rawField === undefined ? message : { ...message, business_connection_id: PLACEHOLDER.slice(1, -1) };
        return { raw: bytes({ update_id: id, message: { ...withField, text: spec.text } }, spec.rawField), senderExternalId: String(id) };
      },
      post: (raw, headers) => postTo(baseUrl, telegram.path, raw, { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET }, headers),
    },
    {
      type: 'viber',
      ...viber,
      message(spec) {
        const user = Buffer.from(`hostile-${next()}`).toString('base64');
        const body = {
          event: 'message',
          timestamp: Date.now(),
          message_token: Number(next().slice(-15)),
          sender: { id: user, name: spec.senderName, ...field(spec) },
          message: { type: 'text', text: spec.text },
        };
        return { raw: bytes(body, spec.rawField), senderExternalId: user };
      },
      post: (raw, headers) =>
        postTo(baseUrl, viber.path, raw, { 'x-viber-content-signature': createHmac('sha256', TEST_AUTH_TOKEN).update(raw).digest('hex') }, headers),
    },
    {
      type: 'whatsapp_cloud',
      ...whatsapp,
      message(spec) {
        const waId = `4861${next().slice(-9)}`;
        const value = {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550001111', phone_number_id: TEST_PHONE_NUMBER_ID },
          contacts: [{ profile: { name: spec.senderName, ...field(spec) }, wa_id: waId }],
          messages: [{ from: waId, id: `wamid.hostile${next()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: spec.text } }],
        };
        const body = { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }] };
        return { raw: bytes(body, spec.rawField), senderExternalId: waId };
      },
      post: (raw, headers) =>
        postTo(
          baseUrl,
          whatsapp.path,
          raw,
          { 'x-hub-signature-256': `sha256=${createHmac('sha256', TEST_CREDENTIALS.appSecret).update(raw).digest('hex')}` },
          headers,
        ),
    },
    {
      type: 'botframework',
      ...botframework,
      message(spec) {
        const psid = `hostile${next()}`;
        const activity = {
          type: 'message',
          id: `mid.$hostile${next()}`,
          timestamp: new Date().toISOString(),
          serviceUrl,
          channelId: 'facebook',
          // `from` is copied into the conversation reference (replyContext): a place a hostile value reaches the queue.
          from: { id: psid, name: spec.senderName, ...field(spec) },
          conversation: { isGroup: false, id: `${psid}-707570692786184` },
          recipient: { id: '707570692786184', name: 'Parley Support Page' },
          text: spec.text,
        };
        return { raw: bytes(activity, spec.rawField), senderExternalId: psid };
      },
      post: (raw, headers) => postTo(baseUrl, botframework.path, raw, { authorization: `Bearer ${channelToken({ serviceUrl })}` }, headers),
    },
  ];
  return { all, stop: () => bf.stop() };
}
