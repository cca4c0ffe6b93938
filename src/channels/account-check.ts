import { ConnectorError, type AccountIdentity, type ChannelAccount, type ConnectorDefinition } from '../../connectors/contract';
import { invalid, upstream } from '../errors/domain-errors';

/**
 * Asks the platform whose these credentials are (the connector's describeAccount) before they are stored, so that
 * a wrong token is refused when the admin types it rather than when the first reply fails. The answer is in the
 * platform's words and never holds a secret: connectors leave them out, and any credential value that slipped
 * into a message is cut out here too. Null when the connector has nothing to ask (sessions, local development).
 */
export async function checkAccount(def: ConnectorDefinition<any, any>, account: ChannelAccount<any, any>): Promise<AccountIdentity | null> {
  const secrets = secretValues(account.credentials);
  let connector;
  try {
    connector = def.create(account);
  } catch (err) {
    // A combination the connector refuses (Bot Framework: an app id without a password...), said in its words.
    throw invalid(`${def.displayName}: ${redact((err as Error).message, secrets)}`);
  }
  try {
    return (await connector.describeAccount?.()) ?? null;
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    const message = redact(err.message, secrets);
    if (!err.retryable) throw invalid(message);
    throw upstream(`Could not check the credentials with ${def.displayName}: ${message}. Nothing was saved; try again.`);
  } finally {
    await connector.close?.();
  }
}

function secretValues(credentials: unknown): string[] {
  if (!credentials || typeof credentials !== 'object') return [];
  // Short values (an empty tenant id, a flag) would redact ordinary words.
  return Object.values(credentials).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
}
