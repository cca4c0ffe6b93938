import { pickRoundRobin, type AssignmentCandidate } from './round-robin.strategy';

const agent = (id: string, lastAssignedAt: number | null, openCount = 0, capacity = 5): AssignmentCandidate => ({
  id,
  capacity,
  openCount,
  lastAssignedAt: lastAssignedAt === null ? null : new Date(lastAssignedAt),
});

test('nobody to pick from gives null', () => {
  expect(pickRoundRobin([])).toBeNull();
});

test('never-assigned agents go first, then the longest-waiting', () => {
  expect(pickRoundRobin([agent('a', 100), agent('b', null), agent('c', 50)])).toBe('b');
  expect(pickRoundRobin([agent('a', 100), agent('c', 50)])).toBe('c');
});

test('agents at capacity are skipped', () => {
  expect(pickRoundRobin([agent('a', null, 5, 5), agent('b', 100, 4, 5)])).toBe('b');
  expect(pickRoundRobin([agent('a', null, 5, 5), agent('b', 100, 0, 0)])).toBeNull();
});

test('ties break by id so the order is stable', () => {
  expect(pickRoundRobin([agent('b', null), agent('a', null)])).toBe('a');
});

test('rotating through picks visits every agent in turn', () => {
  const agents = [agent('a', null), agent('b', null), agent('c', null)];
  const order: string[] = [];
  for (let t = 1; t <= 6; t++) {
    const id = pickRoundRobin(agents)!;
    order.push(id);
    agents.find((x) => x.id === id)!.lastAssignedAt = new Date(t);
  }
  expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
});
