import { canSeeConversation, type Viewer } from '../auth/access-policy';
import { conversationRooms, viewerRooms } from './rooms';

const admin: Viewer = { id: 'adm', role: 'admin', teamIds: [] };
const ann: Viewer = { id: 'ann', role: 'agent', teamIds: ['sales'] };

test('socket rooms match the same rule', () => {
  const rooms = (c: { assigneeId: string | null; teamId: string | null }) => conversationRooms(c);
  const sees = (viewer: Viewer, c: { assigneeId: string | null; teamId: string | null }) => rooms(c).some((r) => viewerRooms(viewer).includes(r));
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
