import { estimateWaitMinutes } from './queue-estimate';
import { pickAgent, pickLeastBusy, type AssignmentCandidate } from './strategies';

const agent = (id: string, openCount: number, capacity = 3, lastAssignedAt: Date | null = null): AssignmentCandidate => ({
  id,
  openCount,
  capacity,
  lastAssignedAt,
});

test('least busy picks the smallest share of capacity, ties by round robin', () => {
  expect(pickLeastBusy([agent('a', 2), agent('b', 1), agent('c', 2)])).toBe('b');
  // 3 of 6 is as busy as 1 of 2: the one assigned longest ago goes.
  expect(pickLeastBusy([agent('a', 3, 6, new Date(2000)), agent('b', 1, 2, new Date(1000))])).toBe('b');
  expect(pickLeastBusy([agent('a', 3), agent('b', 3)])).toBeNull();
});

test('manual routing never picks; every strategy leaves out agents at capacity', () => {
  const full = [agent('a', 3), agent('b', 5, 5)];
  expect(pickAgent('manual', [agent('a', 0)])).toBeNull();
  expect(pickAgent('round_robin', full)).toBeNull();
  expect(pickAgent('least_busy', full)).toBeNull();
  expect(pickAgent('round_robin', [...full, agent('c', 2)])).toBe('c');
});

test('the wait estimate grows with the place in the queue, from the pace of recent assignments', () => {
  const t = (min: number) => new Date(Date.UTC(2026, 10, 24, 10, min));
  const recent = [0, 2, 4, 6, 8].map((m) => ({ assignedAt: t(m), waitedMs: 60_000 }));
  expect(estimateWaitMinutes(1, recent)).toBe(2);
  expect(estimateWaitMinutes(3, recent)).toBe(6);
  // With too few assignments to see a pace, the median wait stands in.
  expect(estimateWaitMinutes(2, [{ assignedAt: t(0), waitedMs: 90_000 }])).toBe(3);
  expect(estimateWaitMinutes(1, [])).toBeNull();
});
