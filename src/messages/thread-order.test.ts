import { DomainError } from '../errors/domain-errors';
import { decodeThreadCursor, encodeThreadCursor } from './thread-cursor';
import { inboundPlace, MAX_AHEAD_MS, MAX_LATE_MS, orderKey } from './thread-order';

const arrival = new Date('2026-11-20T10:00:00.250Z');
const id = '0b7f1f2e-8a52-4c53-9a4e-6f1c2d3e4f50';

describe('inboundPlace', () => {
  test("a late delivery keeps the platform's time, and the platform's counter breaks ties within its second", () => {
    const sentAt = new Date('2026-11-20T09:58:07Z');
    expect(inboundPlace({ sentAt, sequence: 42 }, arrival)).toEqual({ sortAt: sentAt, sortSeq: '42' });
  });

  test('without a counter, messages of the same second are ordered by arrival', () => {
    const sentAt = new Date('2026-11-20T09:59:59Z');
    const first = inboundPlace({ sentAt }, arrival);
    const second = inboundPlace({ sentAt }, new Date(arrival.getTime() + 30));
    expect(first.sortAt).toEqual(second.sortAt);
    expect(first.sortSeq).toBe(String(arrival.getTime()));
    expect(orderKey({ ...first, id: 'f' }) < orderKey({ ...second, id: 'a' })).toBe(true);
  });

  test('without a platform time, the arrival is the time', () => {
    expect(inboundPlace({}, arrival)).toEqual({ sortAt: arrival, sortSeq: String(arrival.getTime()) });
  });

  test('a time in the future is clamped to 10 s after arrival', () => {
    const place = inboundPlace({ sentAt: new Date('2027-06-01T00:00:00Z'), sequence: 7 }, arrival);
    expect(place.sortAt.getTime()).toBe(arrival.getTime() + MAX_AHEAD_MS);
    // A clock a few seconds ahead is within the window: kept as it is.
    const near = new Date(arrival.getTime() + 3000);
    expect(inboundPlace({ sentAt: near }, arrival).sortAt).toEqual(near);
  });

  test('a time years back is clamped to 7 days before arrival', () => {
    expect(inboundPlace({ sentAt: new Date('2009-01-01T00:00:00Z') }, arrival).sortAt.getTime()).toBe(arrival.getTime() - MAX_LATE_MS);
    expect(inboundPlace({ sentAt: new Date(0) }, arrival).sortAt.getTime()).toBe(arrival.getTime() - MAX_LATE_MS);
  });
});

describe('orderKey', () => {
  test('compares as strings the way the thread is ordered: time, then counter, then id', () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const keys = [
      orderKey({ sortAt: at, sortSeq: '9', id: 'b' }),
      orderKey({ sortAt: at, sortSeq: '10', id: 'a' }),
      orderKey({ sortAt: at, sortSeq: '10', id: 'c' }),
      orderKey({ sortAt: new Date(at.getTime() + 1), sortSeq: '0', id: 'a' }),
      orderKey({ sortAt: new Date('2100-01-01T00:00:00Z'), sortSeq: '0', id: 'a' }),
    ];
    expect([...keys].sort()).toEqual(keys);
  });
});

describe('thread cursor', () => {
  test('round-trips the place and id exactly', () => {
    const c = { sortAt: new Date('2026-11-20T10:00:00.123Z'), sortSeq: '1732096800123', id };
    expect(decodeThreadCursor(encodeThreadCursor(c))).toEqual(c);
  });

  test.each([
    ['not base64 of anything', 'zzz'],
    ['a bad id', Buffer.from('2026-11-20T10:00:00.000Z|1|------------------------------------').toString('base64url')],
    ['a negative counter', Buffer.from(`2026-11-20T10:00:00.000Z|-1|${id}`).toString('base64url')],
    ['a counter beyond a bigint', Buffer.from(`2026-11-20T10:00:00.000Z|9999999999999999999|${id}`).toString('base64url')],
    ['a time PostgreSQL cannot hold', Buffer.from(`-100000-01-01T00:00:00.000Z|1|${id}`).toString('base64url')],
    ['an extra field', Buffer.from(`2026-11-20T10:00:00.000Z|1|${id}|x`).toString('base64url')],
  ])('refuses %s as invalid (a 4xx)', (_what, cursor) => {
    expect(() => decodeThreadCursor(cursor)).toThrow(DomainError);
  });
});
