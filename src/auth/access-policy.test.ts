import { canSeeConversation, type Viewer } from './access-policy';

const admin: Viewer = { id: 'adm', role: 'admin', teamIds: [] };
const ann: Viewer = { id: 'ann', role: 'agent', teamIds: ['sales'] };

test('admins see everything; agents see theirs, the unassigned queue and their teams', () => {
  expect(canSeeConversation(admin, { assigneeId: 'bob', teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { assigneeId: null, teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { assigneeId: 'ann', teamId: null })).toBe(true);
  expect(canSeeConversation(ann, { assigneeId: 'bob', teamId: 'sales' })).toBe(true);
  expect(canSeeConversation(ann, { assigneeId: 'bob', teamId: 'support' })).toBe(false);
  expect(canSeeConversation(ann, { assigneeId: 'bob', teamId: null })).toBe(false);
});
