import { availableAgentSql, isAvailable } from './availability';

const online = { availability: 'online' as const, awaySince: null, disabledAt: null };

test('online, present and enabled is available; anything else is not', () => {
  expect(isAvailable(online)).toBe(true);
  expect(isAvailable({ ...online, availability: 'busy' })).toBe(false);
  expect(isAvailable({ ...online, availability: 'offline' })).toBe(false);
  expect(isAvailable({ ...online, awaySince: new Date() })).toBe(false);
  expect(isAvailable({ ...online, disabledAt: new Date() })).toBe(false);
});

test('the SQL says the same, column by column', () => {
  expect(availableAgentSql('a')).toBe(`a.availability = 'online' AND a.away_since IS NULL AND a.disabled_at IS NULL`);
});
