import { canSeeConversation, conversationRooms, viewerRooms, type Viewer } from './audience';

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

test('socket rooms match the same rule', () => {
  const rooms = (c: { assigneeId: string | null; teamId: string | null }) => conversationRooms(c);
  const sees = (viewer: Viewer, c: { assigneeId: string | null; teamId: string | null }) =>
    rooms(c).some((r) => viewerRooms(viewer).includes(r));
  for (const c of [
    { assigneeId: null, teamId: null },
    { assigneeId: 'ann', teamId: null },
    { assigneeId: 'bob', teamId: 'sales' },
    { assigneeId: 'bob', teamId: 'support' },
    { assigneeId: 'bob', teamId: null },
  ]) {
    expect(sees(ann, c)).toBe(canSeeConversation(ann, c));
    expect(sees(admin, c)).toBe(true);
  }
});

test('an agent who loses a conversation is told', () => {
  expect(conversationRooms({ assigneeId: 'bob', teamId: null }, 'ann')).toContain('agent:ann');
});
