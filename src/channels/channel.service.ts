import { IsNull, type DataSource } from 'typeorm';
import { z } from 'zod';
import type { ChannelAccount, Connector, ConnectorDefinition } from '../../connectors/contract';
import { connectorDefinition, connectorDefinitions } from '../../connectors/registry';
import { Channel } from '../database/entities';
import { HttpError } from '../http/errors';
import { SecretBox } from '../security/secret-box';
import { newWebhookId } from '../security/tokens';

export const createChannelSchema = z.object({
  type: z.string(),
  name: z.string().trim().min(1).max(200),
  credentials: z.record(z.string(), z.unknown()).default({}),
  settings: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Channel accounts: validation against the connector's own schemas, credentials sealed at rest, and one
 * connector instance per account kept while the row is unchanged.
 */
export class ChannelService {
  private readonly connectors = new Map<string, { version: number; connector: Connector }>();

  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
  ) {}

  /**
   * Creates the account. `generated` holds the secrets Parley generated because the admin did not supply them
   * (a webhook secret, a verify token to paste into the platform's dashboard): the API shows them once, here.
   */
  async create(input: z.infer<typeof createChannelSchema>): Promise<{ channel: Channel; generated: Record<string, unknown> }> {
    const def = this.definition(input.type);
    const generated = Object.fromEntries(Object.entries(def.generateCredentials?.() ?? {}).filter(([k]) => !(k in input.credentials)));
    const credentials = parseOr400(def.credentialsSchema, { ...generated, ...input.credentials }, 'credentials');
    const settings = parseOr400(def.settingsSchema, input.settings, 'settings');
    const repo = this.ds.getRepository(Channel);
    const channel = await repo.save(
      repo.create({
        type: def.type,
        name: input.name,
        credentialsEncrypted: this.box.seal(credentials),
        settings: settings as Record<string, unknown>,
        webhookId: newWebhookId(),
      }),
    );
    return { channel, generated };
  }

  list(): Promise<Channel[]> {
    return this.ds.getRepository(Channel).find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Channel> {
    const channel = await this.ds.getRepository(Channel).findOneBy({ id });
    if (!channel || channel.deletedAt) throw new HttpError(404, 'channel not found');
    return channel;
  }

  findByWebhookId(webhookId: string): Promise<Channel | null> {
    return this.ds.getRepository(Channel).findOneBy({ webhookId });
  }

  /** Deleting keeps the history (conversations, messages); the webhook stops answering. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.ds.getRepository(Channel).update({ id }, { deletedAt: new Date() });
    await this.dropConnector(id);
  }

  /** The connector for a channel account, rebuilt when the row changes. */
  connectorFor(channel: Channel): Connector {
    const version = channel.updatedAt.getTime();
    const cached = this.connectors.get(channel.id);
    if (cached?.version === version) return cached.connector;
    if (cached) void cached.connector.close?.();
    const connector = this.definition(channel.type).create(this.account(channel));
    this.connectors.set(channel.id, { version, connector });
    return connector;
  }

  /** The account as connectors see it: credentials decrypted, configuration validated. */
  account(channel: Channel): ChannelAccount<any, any> {
    const def = this.definition(channel.type);
    return {
      id: channel.id,
      name: channel.name,
      webhookId: channel.webhookId,
      credentials: def.credentialsSchema.parse(this.box.open(channel.credentialsEncrypted)),
      settings: def.settingsSchema.parse(channel.settings),
    };
  }

  listOfType(type: string): Promise<Channel[]> {
    return this.ds.getRepository(Channel).find({ where: { type, deletedAt: IsNull() } });
  }

  definition(type: string): ConnectorDefinition<any, any> {
    const def = connectorDefinition(type);
    if (!def) throw new HttpError(400, `unknown channel type "${type}"; known: ${connectorDefinitions.map((d) => d.type).join(', ')}`);
    return def;
  }

  async close(): Promise<void> {
    await Promise.all([...this.connectors.keys()].map((id) => this.dropConnector(id)));
  }

  private async dropConnector(id: string): Promise<void> {
    const cached = this.connectors.get(id);
    this.connectors.delete(id);
    await cached?.connector.close?.();
  }
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // Never echo the submitted values: they are secrets.
    throw new HttpError(400, `invalid ${what}`, parsed.error.issues.map((i) => ({ path: [what, ...i.path].join('.'), message: i.message })));
  }
  return parsed.data;
}
