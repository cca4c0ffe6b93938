import { countOutOfOrder, failures, type ApiGet, type PhaseFigures } from '../../bench/faults/report';

/** The fault suite's verdict (bench/faults/report.ts), on figures made up for each rule of issue 6. */
function figures(change: { outOfOrder?: number; duplicated?: number; inDoubt?: number } = {}): PhaseFigures {
  return {
    fault: 'f',
    inbound: { acknowledged: 10, stored: 10, lost: 0, duplicated: 0, outOfOrder: change.outOfOrder ?? 0 },
    replies: { accepted: 5, received: 5, lost: 0, duplicated: change.duplicated ?? 0, inDoubt: change.inDoubt ?? 0, failed: 0 },
    jobsStuck: 0,
    repliesPending: 0,
    note: '',
  };
}

test('a message listed out of order fails every fault', () => {
  for (const kind of ['kill', 'graceful stop', 'other'] as const)
    expect(failures(figures({ outOfOrder: 1 }), kind)).toEqual(['f: 1 inbound listed out of order']);
});

test('a graceful stop fails on any duplicate and on any send left in doubt', () => {
  expect(failures(figures({ duplicated: 1, inDoubt: 1 }), 'graceful stop')).toEqual(['f: 1 replies sent twice', 'f: 1 sends left in doubt by a graceful stop']);
  expect(failures(figures({ inDoubt: 1 }), 'graceful stop')).toEqual(['f: 1 sends left in doubt by a graceful stop']);
  expect(failures(figures(), 'graceful stop')).toEqual([]);
});

test('a kill -9 may send twice only what it counted in doubt', () => {
  expect(failures(figures({ duplicated: 2, inDoubt: 2 }), 'kill')).toEqual([]);
  expect(failures(figures({ duplicated: 2, inDoubt: 1 }), 'kill')).toEqual(['f: 2 replies sent twice, only 1 of them counted in doubt']);
  expect(failures(figures({ duplicated: 1 }), 'other')).toEqual(['f: 1 replies sent twice']);
});

test("out of order is counted per customer, in the thread's listed order, across the API's pages", async () => {
  const m = (text: string, direction = 'inbound') => ({ text, direction });
  // Two pages of one conversation: the API answers the newest page first.
  const pages: Record<string, unknown> = {
    '/api/v1/conversations/c1/messages?limit=200': {
      messages: [m('F3/whatsapp/3001/2 — b'), m('R3/1 — reply', 'outbound'), m('F3/telegram/3000/1 — a')],
      nextCursor: 'older',
    },
    '/api/v1/conversations/c1/messages?limit=200&cursor=older': { messages: [m('F3/telegram/3000/2 — b'), m('F3/whatsapp/3001/1 — a')], nextCursor: null },
    '/api/v1/conversations/c2/messages?limit=200': { messages: [m('F2/telegram/2000/9 — older phase'), m('F3/telegram/3002/1 — a')], nextCursor: null },
  };
  const get: ApiGet = async (path) => pages[path];
  // c1 lists telegram/3000 as 2 then 1 (one out of order); whatsapp/3001 as 1 then 2; c2 has nothing wrong.
  expect(await countOutOfOrder(get, ['c1', 'c2'], 3)).toBe(1);
});
