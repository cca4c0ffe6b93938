import {
  ConnectorError,
  assertNever,
  unsupportedKind,
  type AccountIdentity,
  type ChannelAccount,
  type Connector,
  type InboundEvent,
  type OutboundMessage,
  type SendResult,
  type WebhookRequest,
} from '../contract';
import { errorForStatus, platformFetch, tryJson } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { headerValue } from '../shared/signature';
import { parseSandboxWebhook } from './parse-webhook';
import { SIGNATURE_HEADER, type SandboxCredentials, type SandboxSend, type SandboxSettings } from './schema';
import { sandboxSignature, verifySandboxSignature } from './signature';

/**
 * A channel with no platform account behind it: webhooks in and replies out are signed with the account's
 * generated secret, and replies go over HTTP to the sandbox platform's API (by default the one Parley hosts).
 */
export class SandboxConnector implements Connector {
  constructor(private readonly account: ChannelAccount<SandboxCredentials, SandboxSettings>) {}

  /** Nothing to ask: the sandbox account is the channel itself, known on the sandbox platform by its webhook id. */
  async describeAccount(): Promise<AccountIdentity> {
    return { externalId: this.account.webhookId, displayName: this.account.name };
  }

  verify(req: WebhookRequest): boolean {
    return verifySandboxSignature(this.account.credentials.signingSecret, req.rawBody, headerValue(req.headers, SIGNATURE_HEADER));
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseSandboxWebhook(parseJsonBody(req.rawBody));
  }

  async send(out: OutboundMessage): Promise<SendResult> {
    switch (out.kind) {
      case 'text':
        return this.post({ clientMessageId: out.messageId, to: out.recipientExternalId, text: out.text, media: null });
      case 'media':
        return this.post({
          clientMessageId: out.messageId,
          to: out.recipientExternalId,
          text: out.caption ?? null,
          media: { fileName: out.media.fileName, mimeType: out.media.mimeType, dataBase64: out.media.data.toString('base64') },
        });
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async post(body: SandboxSend): Promise<SendResult> {
    const raw = JSON.stringify(body);
    const url = `${this.account.settings.apiRoot.replace(/\/+$/, '')}/${encodeURIComponent(this.account.webhookId)}/messages`;
    const res = await platformFetch({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sandboxSignature(this.account.credentials.signingSecret, raw) },
      body: raw,
      timeoutMs: this.account.settings.timeoutMs,
    });
    const answer = tryJson(res.text) as { id?: unknown; error?: unknown; retry_after?: unknown } | undefined;
    if (res.status === 200 && typeof answer?.id === 'string') return { platformMessageId: answer.id, status: 'sent' };
    const reason = typeof answer?.error === 'string' ? answer.error : `HTTP ${res.status}`;
    if (res.status === 403 && reason === 'blocked') {
      throw ConnectorError.permanent('the customer blocked the sandbox channel', { code: 'blocked', contactBlocked: true });
    }
    const retryAfter = typeof answer?.retry_after === 'number' ? String(answer.retry_after) : res.headers.get('retry-after');
    throw errorForStatus(res.status === 200 ? 502 : res.status, `sandbox platform refused the message: ${reason}`, { retryAfter });
  }
}
