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
  /** Deliver a customer's messages in pairs, the later one first. */
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
  const send = async (ch: Channel, customer: number, text: string) => {
    const hook = d.platforms.webhook(ch, customer, text);
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
      const ch = d.channels[sent % d.channels.length];
      const customer = o.phase * 1000 + (Math.floor(sent / d.channels.length) % o.customersPerChannel);
      sent++;
      if (o.outOfOrder) {
        // The pair's second message is delivered first.
        const first = customerMessage(ch, customer);
        const second = customerMessage(ch, customer);
        inflight.push(
          send(ch, customer, second)
            .then(() => delay(100))
            .then(() => send(ch, customer, first)),
        );
        sent++;
      } else {
        inflight.push(send(ch, customer, customerMessage(ch, customer)));
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
