import { z } from 'zod';
import type { ConnectorDefinition } from './contract';

/** What `GET /api/v1/channel-types` lists for one connector: enough for the web app to build its forms. */
export interface ChannelTypeDescription {
  type: string;
  displayName: string;
  capabilities: ConnectorDefinition['capabilities'];
  /** Whether the accounts of this type run a session the core drives (pairing, state, restart). */
  session: boolean;
  /** Whether Parley can set the webhook on the platform (POST /channels/:id/register-webhook). */
  registersWebhook: boolean;
  /** Credentials Parley generates when they are left out (shown once, on create). */
  generatedCredentials: string[];
  /** JSON Schema (2020-12) of what the API accepts on create: unknown keys are refused. */
  credentialsSchema: Record<string, unknown>;
  settingsSchema: Record<string, unknown>;
}

const TYPE_ID = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * The connectors one Parley knows: the single source of channel types. The core receives one (startParley's
 * `connectors` option, defaulting to the shipped list in registry.ts), validates API input against its schemas,
 * and lists it to the web app and in the OpenAPI document.
 */
export class ConnectorRegistry {
  private readonly byType = new Map<string, ConnectorDefinition<any, any>>();
  private described?: ChannelTypeDescription[];

  constructor(definitions: readonly ConnectorDefinition<any, any>[]) {
    for (const def of definitions) {
      if (!TYPE_ID.test(def.type)) throw new Error(`connector type "${def.type}" must be lower_snake_case (it is stored on channel rows)`);
      if (this.byType.has(def.type)) throw new Error(`two connectors declare the type "${def.type}"`);
      if (def.capabilities.outboundMedia !== def.capabilities.outboundKinds.includes('media')) {
        throw new Error(`connector "${def.type}": capabilities.outboundMedia must say whether outboundKinds has "media"`);
      }
      this.byType.set(def.type, def);
    }
  }

  /** A registry with these definitions added (a test's throwaway connector, a plugin). */
  with(...definitions: ConnectorDefinition<any, any>[]): ConnectorRegistry {
    return new ConnectorRegistry([...this.byType.values(), ...definitions]);
  }

  get(type: string): ConnectorDefinition<any, any> | undefined {
    return this.byType.get(type);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  definitions(): ConnectorDefinition<any, any>[] {
    return [...this.byType.values()];
  }

  /** The definitions whose accounts run sessions instead of receiving webhooks. */
  sessionDefinitions(): ConnectorDefinition<any, any>[] {
    return this.definitions().filter((d) => d.session);
  }

  /** The `type` field of API input: one of these types, with an error that lists them. */
  typeSchema(): z.ZodType<string> {
    const types = this.types();
    return z.string().refine((t) => this.byType.has(t), { message: `unknown channel type; known: ${types.join(', ')}` });
  }

  /** Built once: the registry never changes, and each build converts every schema and generates secrets. */
  describe(): ChannelTypeDescription[] {
    return (this.described ??= this.definitions().map((d) => {
      const generated = Object.keys(d.generateCredentials?.() ?? {});
      return {
        type: d.type,
        displayName: d.displayName,
        capabilities: d.capabilities,
        session: Boolean(d.session),
        registersWebhook: Boolean(d.registersWebhook),
        generatedCredentials: generated,
        // What the API accepts: a credential Parley generates may be left out.
        credentialsSchema: withoutRequired(jsonSchemaOf(strictInput(d.credentialsSchema)), generated),
        settingsSchema: jsonSchemaOf(strictInput(d.settingsSchema)),
      };
    }));
  }
}

/**
 * The schema as the API applies it to input: an object schema refuses unknown keys there (a typo in a setting
 * must not be silently dropped). Stored rows are still read with the connector's own schema, so a setting a
 * newer version removed does not break an existing channel.
 */
export function strictInput<T>(schema: z.ZodType<T>): z.ZodType<T> {
  return schema instanceof z.ZodObject ? (schema.strict() as unknown as z.ZodType<T>) : schema;
}

/** Input side: fields with defaults are optional, which is what a form needs. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function withoutRequired(schema: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  if (!Array.isArray(schema.required) || keys.length === 0) return schema;
  const required = (schema.required as string[]).filter((k) => !keys.includes(k));
  const { required: _required, ...rest } = schema;
  return required.length ? { ...rest, required } : rest;
}
