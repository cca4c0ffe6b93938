import type { RecordedCall } from '../../connectors/shared/testing/fake-platform';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { FakeGraphApi, graphError } from '../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { telegramTextUpdate, telegramWebhookHeaders } from '../../test/support/telegram-webhook';
import { whatsAppMessageWebhook, whatsAppWebhookHeaders } from '../../test/support/whatsapp-cloud-webhook';

/**
 * The fake platforms the suite talks to (Telegram and the WhatsApp Cloud API, the connectors' own fakes on
 * 127.0.0.1), the channels Parley has for them, and the webhooks a customer's message becomes. Like a real
 * platform, a webhook not answered 200 is delivered again, until it is (bounded).
 */
export const TG_TOKEN = '700700700:AAFaultSuiteTokenAAAAAAAAAAAAAAAAAAA';
const WA = { phoneNumberId: '4860011122233', accessToken: 'EAAGfaultsuiteaccesstoken0123456789', appSecret: 'fa0175a17e5ecret0123456789abcdef' };

export interface Channel {
  kind: 'telegram' | 'whatsapp';
  id: string;
  hook: string;
  secret?: string;
}

export class Platforms {
  readonly telegram = new FakeTelegramBotApi(TG_TOKEN);
  readonly whatsapp = new FakeGraphApi(WA.accessToken, WA.phoneNumberId);
  private updateId = 1;
  private wamid = 1;
  /** Base latency: sends are in flight for a while, as with a real platform across the internet. */
  readonly baseLatencyMs = 40;

  async start(): Promise<void> {
    await this.telegram.start();
    await this.whatsapp.start();
    this.setLatency(this.baseLatencyMs);
  }

  async stop(): Promise<void> {
    await this.telegram.stop();
    await this.whatsapp.stop();
  }

  setLatency(ms: number): void {
    this.telegram.latencyMs = ms;
    this.whatsapp.latencyMs = ms;
  }

  /** Sends answer 429 (with retry_after) or 5xx in turn, one in three going through, until lifted. */
  failSends(on: boolean): void {
    let n = 0;
    const next = () => n++ % 3;
    this.telegram.setFault(
      on
        ? (c) => {
            if (!/\/send\w+$/.test(c.path)) return undefined;
            const k = next();
            if (k === 0)
              return { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } };
            return k === 1 ? { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } } : undefined;
          }
        : undefined,
    );
    this.whatsapp.setFault(
      on
        ? (c) => {
            if (!(c.method === 'POST' && c.path.endsWith('/messages'))) return undefined;
            const k = next();
            if (k === 0) return { status: 429, headers: { 'retry-after': '1' }, body: graphError(130429, 'Rate limit hit') };
            return k === 1 ? { status: 503, body: graphError(2, 'Service temporarily unavailable') } : undefined;
          }
        : undefined,
    );
  }

  /** Texts of the replies the platforms accepted (answered 200), one entry per accepted send. */
  acceptedReplyTexts(): string[] {
    const ok = (c: RecordedCall) => c.status === 200;
    return [
      ...this.telegram
        .sendCalls()
        .filter(ok)
        .map((c) => String(c.json?.text)),
      ...this.whatsapp
        .messageCalls()
        .filter(ok)
        .map((c) => String(c.json?.text?.body)),
    ];
  }

  /** Creates both channels through the API and learns their webhook secrets the way the platforms do. */
  async createChannels(api: (method: string, path: string, body?: unknown) => Promise<any>): Promise<Channel[]> {
    const tg = (
      await api('POST', '/api/v1/channels', {
        type: 'telegram',
        name: 'faults telegram',
        credentials: { botToken: TG_TOKEN },
        settings: { apiRoot: this.telegram.url },
      })
    ).channel;
    await api('POST', `/api/v1/channels/${tg.id}/register-webhook`);
    const secret = this.telegram.callsTo(/setWebhook/).at(-1)!.json.secret_token;
    const wa = (
      await api('POST', '/api/v1/channels', {
        type: 'whatsapp_cloud',
        name: 'faults whatsapp',
        credentials: { accessToken: WA.accessToken, appSecret: WA.appSecret },
        settings: { apiBaseUrl: this.whatsapp.apiBaseUrl, phoneNumberId: WA.phoneNumberId, timeoutMs: 5000 },
      })
    ).channel;
    return [
      { kind: 'telegram', id: tg.id, hook: new URL(tg.webhookUrl).pathname, secret },
      { kind: 'whatsapp', id: wa.id, hook: new URL(wa.webhookUrl).pathname },
    ];
  }

  /** The webhook a customer's message is, as bytes and headers. `customer` is a small number. */
  webhook(ch: Channel, customer: number, text: string): { body: string; headers: Record<string, string> } {
    const now = Math.floor(Date.now() / 1000);
    if (ch.kind === 'telegram') {
      const update = telegramTextUpdate(this.updateId++, { chatId: 610_000 + customer, firstName: `Klient ${customer}`, text, date: now });
      return { body: JSON.stringify(update), headers: telegramWebhookHeaders(ch.secret!) };
    }
    const body = JSON.stringify(
      whatsAppMessageWebhook({
        phoneNumberId: WA.phoneNumberId,
        displayPhoneNumber: '48600111222',
        waId: `48600${String(customer).padStart(6, '0')}`,
        name: `Klientka ${customer}`,
        wamid: `wamid.FAULTS${Date.now()}x${this.wamid++}`,
        type: 'text',
        body: { body: text },
        timestamp: now,
      }),
    );
    return { body, headers: whatsAppWebhookHeaders(WA.appSecret, body) };
  }
}

/** Delivers a webhook as a platform does: again and again until it is answered 200 (at most `tries` times). */
export async function deliver(baseUrl: string, ch: Channel, hook: { body: string; headers: Record<string, string> }, tries = 200): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const status = await fetch(`${baseUrl}${ch.hook}`, { method: 'POST', headers: hook.headers, body: hook.body, signal: AbortSignal.timeout(10_000) }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 0,
    );
    if (status === 200) return true;
    await new Promise((r) => setTimeout(r, Math.min(250 * (i + 1), 1000)));
  }
  return false;
}
