import { FakeGraphApi } from '../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { TEST_CREDENTIALS, TEST_PHONE_NUMBER_ID } from '../../connectors/whatsapp-cloud/testing/harness';
import { ApiClient, eventually, type TestParley } from './parley';
import { whatsAppMessageWebhook, whatsAppWebhookHeaders } from './whatsapp-cloud-webhook';

/**
 * A WhatsApp Cloud API channel on a fake Graph API, with a way to write to it as customers: TelegramInbox's
 * counterpart, so every test with WhatsApp customers sets them up the same way (webhooks signed as Meta signs them).
 */
export class WhatsAppCloudInbox {
  readonly fake = new FakeGraphApi(TEST_CREDENTIALS.accessToken, TEST_PHONE_NUMBER_ID);
  id = '';
  private path = '';
  private nextId = 1;

  constructor(
    private readonly app: TestParley,
    private readonly admin: ApiClient,
  ) {}

  async start(name = 'WhatsApp'): Promise<this> {
    await this.fake.start();
    const res = await this.admin.post('/api/v1/channels', {
      type: 'whatsapp_cloud',
      name,
      credentials: { accessToken: TEST_CREDENTIALS.accessToken, appSecret: TEST_CREDENTIALS.appSecret },
      settings: { apiBaseUrl: this.fake.apiBaseUrl, phoneNumberId: TEST_PHONE_NUMBER_ID, timeoutMs: 5000 },
    });
    if (res.status !== 201) throw new Error(`channel: ${res.status} ${JSON.stringify(res.body)}`);
    this.id = res.body.channel.id;
    this.path = new URL(res.body.channel.webhookUrl).pathname;
    return this;
  }

  /** Meta posts a webhook body (messages, statuses, …), signed with the app secret; fails unless Parley answers 200. */
  async post(payload: unknown): Promise<void> {
    const raw = Buffer.from(JSON.stringify(payload));
    const res = await fetch(`${this.app.url}${this.path}`, { method: 'POST', headers: whatsAppWebhookHeaders(TEST_CREDENTIALS.appSecret, raw), body: raw });
    if (res.status !== 200) throw new Error(`WhatsApp webhook answered ${res.status}`);
  }

  /** A customer sends a message of any type (a voice note, a location, …); nothing waits for it to be stored. */
  customerSends(waId: string, name: string, type: string, body: Record<string, unknown>): Promise<void> {
    const wamid = `wamid.parley${Date.now()}x${this.nextId++}`;
    return this.post(whatsAppMessageWebhook({ phoneNumberId: TEST_PHONE_NUMBER_ID, waId, name, wamid, type, body }));
  }

  /** A customer's text; resolves with their conversation once it is stored. */
  async customerWrites(waId: string, name: string, text: string): Promise<any> {
    await this.customerSends(waId, name, 'text', { body: text });
    return eventually(async () =>
      (await this.admin.get(`/api/v1/conversations?channelId=${this.id}&limit=200`)).body.conversations.find((c: any) => c.externalThreadId === waId),
    );
  }

  stop(): Promise<void> {
    return this.fake.stop();
  }
}
