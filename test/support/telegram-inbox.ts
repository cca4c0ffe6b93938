import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ApiClient, eventually, randomBotToken, type TestParley } from './parley';
import { postTelegramUpdate, telegramTextUpdate, type TelegramText } from './telegram-webhook';

/**
 * A Telegram channel on a fake Bot API, with a way to write to it as customers: the one set-up every test that
 * needs Telegram customers shares (channel created, webhook registered, its secret read where Telegram gets it).
 */
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
    const registered = await this.admin.post(`/api/v1/channels/${this.id}/register-webhook`);
    if (registered.status !== 200) throw new Error(`register-webhook: ${registered.status} ${JSON.stringify(registered.body)}`);
    this.secret = this.fake.callsTo(/\/setWebhook$/)[0].json.secret_token;
    return this;
  }

  /** Telegram delivers a customer's message (Parley answers 200); nothing waits for it to be stored. */
  async deliver(message: TelegramText): Promise<void> {
    await postTelegramUpdate(`${this.app.url}${this.path}`, this.secret, telegramTextUpdate(this.updateId++, message));
  }

  /** A customer writes; resolves with their conversation once it is stored. */
  async customerWrites(chatId: number, text: string, firstName = `C${chatId}`, languageCode?: string): Promise<any> {
    await this.deliver({ chatId, text, firstName, languageCode });
    return this.conversationOf(chatId);
  }

  /** The chat's conversation in this inbox, once it exists. */
  conversationOf(chatId: number): Promise<any> {
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
