import { IsNull, type DataSource } from 'typeorm';
import { z } from 'zod';
import { ConnectorError, type ChannelAccount, type Connector, type ConnectorDefinition } from '../../connectors/contract';
import { strictInput, type ConnectorRegistry } from '../../connectors/connector-registry';
import { Channel } from '../database/entities';
import { conflict, malformed } from '../errors/domain-errors';
import { SecretBox } from '../security/secret-box';
import { newWebhookId, WEBHOOK_ID } from '../security/tokens';
import { joinEveryAgent } from './inbox-members.service';
import { checkAccount } from './account-check';
import { liveChannel } from './live-channel';

/** What deleting a channel did to its webhook on the platform's side (best effort: the channel is deleted anyway). */
export interface WebhookRemoval {
  /** removed: the platform stops delivering; failed: it refused or could not be reached; manual: no API for it; none: no webhook. */
  status: 'removed' | 'failed' | 'manual' | 'none';
  message: string;
}

/** The shape of a create request; `type`, credentials and settings are then checked against the registry. */
export const createChannelSchema = z.strictObject({
  type: z.string(),
  name: z.string().trim().min(1).max(200),
  credentials: z.record(z.string(), z.unknown()).default({}),
  settings: z.record(z.string(), z.unknown()).default({}),
});

/** A change to an account: given keys replace stored ones, and the result is validated strictly, as on create. */
export const updateChannelSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Rotating a secret: only the keys given change. */
  credentials: z.record(z.string(), z.unknown()).optional(),
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
    /** The connectors this Parley knows: the only source of channel types and their configuration schemas. */
    readonly registry: ConnectorRegistry,
  ) {}

  /**
   * Creates the account. `generated` holds the secrets Parley generated because the admin did not supply them
   * (a webhook secret, a verify token to paste into the platform's dashboard): the API shows them once, here.
   */
  async create(input: z.infer<typeof createChannelSchema>): Promise<{ channel: Channel; generated: Record<string, unknown> }> {
    const def = this.definition(input.type);
    const generated = Object.fromEntries(Object.entries(def.generateCredentials?.() ?? {}).filter(([k]) => !(k in input.credentials)));
    // Strict on input: an unknown (misspelt) key is refused, not silently dropped.
    const credentials = parseOr400(strictInput(def.credentialsSchema), { ...generated, ...input.credentials }, 'credentials');
    const settings = parseOr400(strictInput(def.settingsSchema), input.settings, 'settings');
    const webhookId = newWebhookId();
    // The platform is asked before anything is stored: wrong credentials never become a channel.
    const identity = await checkAccount(def, { id: '', name: input.name, webhookId, credentials, settings });
    if (identity) await this.refuseDuplicate(def.type, def.displayName, identity.externalId);
    const repo = this.ds.getRepository(Channel);
    const channel = await this.ds.transaction(async (m) => {
      const saved = await m.getRepository(Channel).save(
        repo.create({
          type: def.type,
          name: input.name,
          credentialsEncrypted: this.box.seal(credentials),
          settings: settings as Record<string, unknown>,
          webhookId,
          externalId: identity?.externalId ?? null,
          accountName: identity?.displayName ?? null,
        }),
      );
      // A new inbox starts with every agent (inbox-members.service.ts says why).
      await joinEveryAgent(m, saved.id);
      return saved;
    });
    return { channel, generated };
  }

  async update(id: string, input: z.infer<typeof updateChannelSchema>): Promise<Channel> {
    const channel = await this.get(id);
    const def = this.definition(channel.type);
    // The stored values are read leniently (a key an older version wrote is dropped), the new ones strictly.
    const current = this.account(channel);
    if (input.name !== undefined) channel.name = input.name;
    const settings = input.settings
      ? (parseOr400(strictInput(def.settingsSchema), { ...current.settings, ...input.settings }, 'settings') as Record<string, unknown>)
      : undefined;
    const credentials = input.credentials
      ? parseOr400(strictInput(def.credentialsSchema), { ...current.credentials, ...input.credentials }, 'credentials')
      : undefined;
    if (settings || credentials) {
      // New credentials, or settings that say where and which account (a phone number id, an API root), are
      // checked as on create; they may now belong to another account, which must not be connected already.
      const account = { ...current, name: channel.name, credentials: credentials ?? current.credentials, settings: settings ?? current.settings };
      const identity = await checkAccount(def, account);
      if (identity) await this.refuseDuplicate(def.type, def.displayName, identity.externalId, channel.id);
      channel.externalId = identity?.externalId ?? null;
      channel.accountName = identity?.displayName ?? null;
      if (settings) channel.settings = settings;
      if (credentials) channel.credentialsEncrypted = this.box.seal(credentials);
    }
    // A new updatedAt: connectorFor builds a new connector, the session runtime picks the account up.
    return this.ds.getRepository(Channel).save(channel);
  }

  /** A friendly answer before the unique index (channels_type_external_id) would refuse it. */
  private async refuseDuplicate(type: string, displayName: string, externalId: string, exceptId?: string): Promise<void> {
    const existing = await this.ds.getRepository(Channel).findOneBy({ type, externalId, deletedAt: IsNull() });
    if (existing && existing.id !== exceptId) {
      throw conflict(`This ${displayName} account is already connected as the channel "${existing.name}": edit that channel instead.`);
    }
  }

  list(): Promise<Channel[]> {
    return this.ds.getRepository(Channel).find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  get(id: string): Promise<Channel> {
    return liveChannel(this.ds.manager, id);
  }

  /** The channel a webhook path names; an id that cannot be one (WEBHOOK_ID) is not looked up. */
  async findByWebhookId(webhookId: string): Promise<Channel | null> {
    if (!WEBHOOK_ID.test(webhookId)) return null;
    return this.ds.getRepository(Channel).findOneBy({ webhookId });
  }

  /**
   * Deleting keeps the history (conversations, messages); the webhook stops answering. The platform is first told
   * to stop delivering where it offers a way (Telegram, Viber); whatever it answers, the channel is deleted.
   */
  async remove(id: string): Promise<WebhookRemoval> {
    const channel = await this.get(id);
    const webhook = await this.removeWebhook(channel);
    await this.ds.getRepository(Channel).update({ id }, { deletedAt: new Date() });
    await this.dropConnector(id);
    return webhook;
  }

  private async removeWebhook(channel: Channel): Promise<WebhookRemoval> {
    const def = this.definition(channel.type);
    if (!def.capabilities.webhook) return { status: 'none', message: `${def.displayName} channels have no webhook.` };
    try {
      const connector = this.connectorFor(channel);
      if (!connector.removeWebhook) {
        return { status: 'manual', message: `${def.displayName} offers no way to remove the webhook from here: remove it on the platform's side.` };
      }
      await connector.removeWebhook();
      return { status: 'removed', message: `${def.displayName} no longer delivers to this channel.` };
    } catch (err) {
      // Connector errors carry no secrets (the contract); anything else is not shown.
      const reason = err instanceof ConnectorError ? err.message : 'unexpected error';
      return { status: 'failed', message: `${def.displayName} did not remove the webhook (${reason}); its deliveries now answer 404.` };
    }
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
    const def = this.registry.get(type);
    if (!def) throw malformed(`unknown channel type "${type}"; known: ${this.registry.types().join(', ')}`);
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
    throw malformed(
      `invalid ${what}`,
      parsed.error.issues.map((i) => ({ path: [what, ...i.path].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
