import { UnparseableWebhookError, type InboundEvent } from '../contract';
import { sandboxMessageSchema, sandboxReceiptSchema, sandboxWebhookSchema } from './schema';

function check<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } },
  v: unknown,
): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new UnparseableWebhookError(`not a sandbox event: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** Pure: the sandbox platform's batch to the shared envelope. The customer's id is the thread (1:1 chats). */
export function parseSandboxWebhook(body: unknown): InboundEvent[] {
  return check(sandboxWebhookSchema, body).events.map((raw): InboundEvent => {
    if (raw.type === 'message') {
      const e = check(sandboxMessageSchema, raw);
      return {
        type: 'message',
        externalId: e.id,
        thread: { externalId: e.customer.id, isGroup: false },
        sender: { externalId: e.customer.id, ...(e.customer.name ? { displayName: e.customer.name } : {}) },
        text: e.text.length > 0 ? e.text : null,
        attachments: [],
        ...(e.sentAt ? { sentAt: new Date(e.sentAt) } : {}),
        platformKind: 'message',
      };
    }
    if (raw.type === 'receipt') {
      const e = check(sandboxReceiptSchema, raw);
      return { type: 'status', platformMessageId: e.messageId, status: e.status, recipientExternalId: e.customerId, ...(e.at ? { at: new Date(e.at) } : {}) };
    }
    return { type: 'ignored', reason: `sandbox event ${raw.type}` };
  });
}
