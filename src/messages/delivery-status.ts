import type { DeliveryStatus } from '../../connectors/contract';
import type { Message } from '../database/entities';

/** Outbound statuses in the only order they may move. `failed` may follow pending or sent, never delivered/read. */
const RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/**
 * The message after applying a receipt, or null when the receipt is stale (receipts arrive out of order:
 * a `delivered` after `read` changes nothing). Pure, so the ordering rules are unit-tested.
 */
export function advanceStatus(message: Message, status: Exclude<DeliveryStatus, 'pending'>, at: Date, error?: string): Message | null {
  if (message.direction !== 'outbound' || message.status === 'failed') return null;
  const current = RANK[message.status] ?? 0;
  if (status === 'failed') {
    if (current >= RANK.delivered) return null;
    return { ...message, status: 'failed', failureReason: error ?? 'the platform reported the message as failed' };
  }
  if (RANK[status] <= current) {
    // Still record a timestamp we did not have (e.g. `delivered` arriving after `read`).
    if (status === 'delivered' && !message.deliveredAt) return { ...message, deliveredAt: at };
    return null;
  }
  return {
    ...message,
    status,
    sentAt: message.sentAt ?? at,
    deliveredAt: status === 'delivered' || status === 'read' ? (message.deliveredAt ?? at) : message.deliveredAt,
    readAt: status === 'read' ? at : message.readAt,
  };
}
