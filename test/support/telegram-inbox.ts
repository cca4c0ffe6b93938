import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ApiClient, eventually, randomBotToken, type TestParley } from './parley';

/** A Telegram channel on a fake Bot API, with a way to write to it as customers. */
export class TelegramInbox {
  readonly fake: FakeTelegramBotApi;
  id = '';
  private path = '';
  private secret = '';
  private updateId = 1;

  constructor(
    private readonly app: TestParley,
    private readonly admin: ApiClient,
    token = randomBotToken(),
  ) {
    this.fake = new FakeTelegramBotApi(token);
  }

  async start(name = 'Support'): Promise<this> {
    await this.fake.start();
    const res = await this.admin.post('/api/v1/channels', {
      type: 'telegram',
      name,
      credentials: { botToken: this.fake.token },
      settings: { apiRoot: this.fake.url },
    });
    if (res.status !== 201) throw new Error(`channel: ${res.status} ${JSON.stringify(res.body)}`);
    this.id = res.body.channel.id;
    this.path = new URL(res.body.channel.webhookUrl).pathname;
    await this.admin.post(`/api/v1/channels/${this.id}/register-webhook`);
    this.secret = this.fake.callsTo(/setWebhook/)[0].json.secret_token;
    return this;
  }

  /** A customer writes; resolves with their conversation once it is stored. */
  async customerWrites(chatId: number, text: string, firstName = `C${chatId}`, languageCode?: string): Promise<any> {
    const n = this.updateId++;
    const res = await fetch(`${this.app.url}${this.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': this.secret },
      body: JSON.stringify({
        update_id: n,
        message: {
          message_id: n,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private' },
          from: { id: chatId, is_bot: false, first_name: firstName, language_code: languageCode },
          text,
        },
      }),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return eventually(async () =>
      (await this.admin.get(`/api/v1/conversations?channelId=${this.id}&limit=200`)).body.conversations.find((c: any) => c.externalThreadId === String(chatId)),
    );
  }

  /** What the bot sent to one chat, in order. */
  textsTo(chatId: number): string[] {
    return this.fake
      .sendCalls()
      .filter((c) => String(c.json.chat_id) === String(chatId))
      .map((c) => String(c.json.text));
  }

  stop(): Promise<void> {
    return this.fake.stop();
  }
}
