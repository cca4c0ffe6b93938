import { deliver, type Channel, type Platforms } from './platforms';

/**
 * One phase's load: customers on every channel writing at a steady rate (webhooks delivered like a platform
 * does, optionally twice and out of order), and agents replying through the REST API. Each text carries the
 * phase, the customer and a sequence number, so the report can tell what was lost, repeated or reordered.
 */
export interface TrafficOptions {
  phase: number;
  seconds: number;
  inboundPerSecond: number;
  repliesPerSecond: number;
  customersPerChannel: number;
  /** Deliver every webhook twice. */
  twice?: boolean;
  /**
   * A customer writes in pairs, a second apart, and the platform delivers the pair's later message first (as
   * after a failed delivery of the earlier one). A second apart: the WhatsApp Cloud API stamps messages in whole
   * seconds and has no counter, so messages of one second that it delivers out of order cannot be told apart
   * (Telegram's message_id can: src/messages/thread-order.ts).
   */
  outOfOrder?: boolean;
}

export interface TrafficResult {
  /** Inbound texts whose webhook was finally answered 200. */
  acknowledged: Set<string>;
  /** Inbound texts the platform gave up delivering. */
  undelivered: number;
  /** Reply texts the API accepted (202). */
  accepted: Set<string>;
  /** Replies refused (503 while PostgreSQL was down, connection cut while a process restarted). */
  refused: number;
}

export async function runTraffic(
  o: TrafficOptions,
  d: { apiUrl: string; channels: Channel[]; platforms: Platforms; token: string; conversations: () => Promise<string[]> },
): Promise<TrafficResult> {
  const result: TrafficResult = { acknowledged: new Set(), undelivered: 0, accepted: new Set(), refused: 0 };
  const inflight: Array<Promise<void>> = [];
  const seq = new Map<string, number>();
  const end = Date.now() + o.seconds * 1000;
  let sent = 0;
  let replies = 0;
  let convs: string[] = [];
  const t0 = Date.now();

  const customerMessage = (ch: Channel, customer: number) => {
    const key = `${ch.kind}/${customer}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    return `F${o.phase}/${key}/${n} — zażółć gęślą jaźń, привіт 👋`;
  };
  // The webhook is made when the customer writes (the platform stamps it then), and may be delivered later.
  const send = async (ch: Channel, text: string, hook: { body: string; headers: Record<string, string> }) => {
    const copies = o.twice
      ? [deliver(d.apiUrl, ch, hook), delay(50 + Math.random() * 300).then(() => deliver(d.apiUrl, ch, hook))]
      : [deliver(d.apiUrl, ch, hook)];
    const acked = (await Promise.all(copies)).some(Boolean);
    if (acked) result.acknowledged.add(text);
    else result.undelivered++;
  };
  const reply = async (conversationId: string, text: string) => {
    const status = await fetch(`${d.apiUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(10_000),
    }).then(
      (r) => r.arrayBuffer().then(() => r.status),
      () => 0,
    );
    if (status === 202) result.accepted.add(text);
    else result.refused++;
  };

  while (Date.now() < end) {
    const elapsed = (Date.now() - t0) / 1000;
    while (sent < elapsed * o.inboundPerSecond) {
      // One message, or one pair, per step: every channel and customer in turn.
      const step = o.outOfOrder ? sent / 2 : sent;
      const ch = d.channels[step % d.channels.length];
      const customer = o.phase * 1000 + (Math.floor(step / d.channels.length) % o.customersPerChannel);
      if (o.outOfOrder) {
        const first = customerMessage(ch, customer);
        const firstHook = d.platforms.webhook(ch, customer, first);
        inflight.push(
          delay(1000).then(async () => {
            const second = customerMessage(ch, customer);
            await send(ch, second, d.platforms.webhook(ch, customer, second));
            await delay(100);
            await send(ch, first, firstHook);
          }),
        );
        sent += 2;
      } else {
        const text = customerMessage(ch, customer);
        inflight.push(send(ch, text, d.platforms.webhook(ch, customer, text)));
        sent++;
      }
    }
    if (!convs.length || replies % 10 === 0) convs = await d.conversations().catch(() => convs);
    while (convs.length && replies < elapsed * o.repliesPerSecond) {
      inflight.push(reply(convs[replies % convs.length], `R${o.phase}/${replies} — odpowiedź agenta ✅`));
      replies++;
    }
    await delay(50);
  }
  await Promise.all(inflight);
  return result;
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
