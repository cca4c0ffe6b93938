import { ThrottledLog } from './throttled-log';

test('one line per burst: repeats within the window are counted and reported with the next line', () => {
  let now = 0;
  const log = new ThrottledLog(10_000, () => now);
  const lines: number[] = [];
  for (let i = 0; i < 1690; i++) log.run('webhook', (suppressed) => lines.push(suppressed));
  expect(lines).toEqual([0]);
  now = 10_000;
  log.run('webhook', (suppressed) => lines.push(suppressed));
  expect(lines).toEqual([0, 1689]);
  // Another failure is its own line.
  log.run('health', (suppressed) => lines.push(suppressed));
  expect(lines).toEqual([0, 1689, 0]);
});
