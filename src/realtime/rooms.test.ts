import { canReadActivityNote, canSeeConversation, type Viewer } from '../auth/access-policy';
import { conversationRooms, noteRooms, viewerRooms } from './rooms';

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

test("an activity entry's note goes to the rooms of exactly those who may read it", () => {
  const bob: Viewer = { id: 'bob', role: 'agent', teamIds: ['billing'] };
  const cid: Viewer = { id: 'cid', role: 'agent', teamIds: ['sales'] };
  const reads = (viewer: Viewer, a: Parameters<typeof noteRooms>[0]) => noteRooms(a).some((r) => viewerRooms(viewer).includes(r));
  for (const a of [
    { actorAgentId: 'ann', data: { noteForAgentId: 'bob' } },
    { actorAgentId: 'ann', data: { noteForTeamId: 'billing' } },
    { actorAgentId: 'ann', data: { noteForTeamId: 'sales' } },
    { actorAgentId: 'cid', data: { noteForAgentId: 'bob' } },
    { actorAgentId: null, data: { noteForTeamId: 'billing' } },
  ]) {
    for (const viewer of [admin, ann, bob, cid]) expect(reads(viewer, a)).toBe(canReadActivityNote(viewer, a));
  }
  // A transfer to one agent of a team is not read by the rest of the team.
  expect(canReadActivityNote({ id: 'dan', role: 'agent', teamIds: ['billing'] }, { actorAgentId: 'ann', data: { noteForAgentId: 'bob' } })).toBe(false);
});
