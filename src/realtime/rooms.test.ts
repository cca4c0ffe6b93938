import { canReadActivityNote, canSeeConversation, type ConversationAccess, type Viewer } from '../auth/access-policy';
import { conversationRooms, noteRooms, possibleViewerRooms, viewerRooms } from './rooms';

const admin: Viewer = { id: 'adm', role: 'admin', teamIds: [], inboxIds: [] };
const ann: Viewer = { id: 'ann', role: 'agent', teamIds: ['sales'], inboxIds: ['tg', 'viber'] };

const conversations: ConversationAccess[] = ['tg', 'viber', 'wa'].flatMap((channelId) => [
  { channelId, assigneeId: null, teamId: null },
  { channelId, assigneeId: null, teamId: 'support' },
  { channelId, assigneeId: 'ann', teamId: null },
  { channelId, assigneeId: 'bob', teamId: 'sales' },
  { channelId, assigneeId: 'bob', teamId: 'support' },
  { channelId, assigneeId: 'bob', teamId: null },
]);

test('socket rooms match the same rule', () => {
  const sees = (viewer: Viewer, c: ConversationAccess) => conversationRooms(c).some((r) => viewerRooms(viewer).includes(r));
  for (const c of conversations) {
    expect(sees(ann, c)).toBe(canSeeConversation(ann, c));
    expect(sees(admin, c)).toBe(true);
  }
  // Nothing of an inbox Ann does not belong to reaches her, whoever it is assigned to.
  expect(conversations.filter((c) => c.channelId === 'wa').some((c) => sees(ann, c))).toBe(false);
});

test('an agent who loses a conversation is told, in its inbox', () => {
  expect(conversationRooms({ channelId: 'tg', assigneeId: 'bob', teamId: null }, 'ann')).toContain('inbox:tg:agent:ann');
});

test("the possible rooms cover every room an agent's sockets may be in", () => {
  const possible = possibleViewerRooms('ann', ['tg', 'viber', 'wa'], ['sales', 'support']);
  for (const viewer of [ann, { ...ann, role: 'admin' as const }, { ...ann, inboxIds: ['wa'], teamIds: ['support'] }]) {
    for (const room of viewerRooms(viewer)) expect(possible).toContain(room);
  }
});

test("an activity entry's note goes to the rooms of exactly those who may read it, members of its inbox", () => {
  const bob: Viewer = { id: 'bob', role: 'agent', teamIds: ['billing'], inboxIds: ['tg'] };
  const cid: Viewer = { id: 'cid', role: 'agent', teamIds: ['sales'], inboxIds: ['tg'] };
  const outsider: Viewer = { id: 'bob', role: 'agent', teamIds: ['billing'], inboxIds: ['viber'] };
  const reads = (viewer: Viewer, a: Parameters<typeof noteRooms>[1]) => noteRooms('tg', a).some((r) => viewerRooms(viewer).includes(r));
  for (const a of [
    { actorAgentId: 'ann', data: { noteForAgentId: 'bob' } },
    { actorAgentId: 'ann', data: { noteForTeamId: 'billing' } },
    { actorAgentId: 'ann', data: { noteForTeamId: 'sales' } },
    { actorAgentId: 'cid', data: { noteForAgentId: 'bob' } },
    { actorAgentId: null, data: { noteForTeamId: 'billing' } },
  ]) {
    for (const viewer of [admin, ann, bob, cid]) expect(reads(viewer, a)).toBe(canReadActivityNote(viewer, a));
    // Bob outside the inbox reads no note of it, even one meant for him.
    expect(reads(outsider, a)).toBe(false);
  }
  // A transfer to one agent of a team is not read by the rest of the team.
  expect(
    canReadActivityNote({ id: 'dan', role: 'agent', teamIds: ['billing'], inboxIds: ['tg'] }, { actorAgentId: 'ann', data: { noteForAgentId: 'bob' } }),
  ).toBe(false);
});
