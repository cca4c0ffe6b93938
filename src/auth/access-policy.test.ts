import { canSeeConversation, type Viewer } from './access-policy';

const admin: Viewer = { id: 'adm', role: 'admin', teamIds: [], inboxIds: [] };
const ann: Viewer = { id: 'ann', role: 'agent', teamIds: ['sales'], inboxIds: ['tg'] };

test('admins see everything; agents see theirs, the unassigned queue and their teams', () => {
  expect(canSeeConversation(admin, { channelId: 'wa', assigneeId: 'bob', teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { channelId: 'tg', assigneeId: null, teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { channelId: 'tg', assigneeId: 'ann', teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { channelId: 'tg', assigneeId: 'bob', teamId: 'sales' })).toBe(true);
  expect(canSeeConversation(ann, { channelId: 'tg', assigneeId: 'bob', teamId: 'support' })).toBe(false);
  expect(canSeeConversation(ann, { channelId: 'tg', assigneeId: 'bob', teamId: null })).toBe(false);
});

test('an agent sees nothing of an inbox they do not belong to, not even their own conversations', () => {
  expect(canSeeConversation(ann, { channelId: 'wa', assigneeId: null, teamId: null })).toBe(false);
  expect(canSeeConversation(ann, { channelId: 'wa', assigneeId: 'ann', teamId: null })).toBe(false);
  expect(canSeeConversation(ann, { channelId: 'wa', assigneeId: 'bob', teamId: 'sales' })).toBe(false);
});
