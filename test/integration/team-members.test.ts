import { ApiClient, startTestParley, type TestParley } from '../support/parley';

/**
 * Twelve concurrent PUT /teams/:id/members used to hang the whole process: each held a pooled connection for
 * its transaction and asked the pool for a second one. Now every request answers and the team ends with exactly
 * one request's members. A small pool with a short wait makes starvation certain and quick to show.
 */
let app: TestParley;
let admin: ApiClient;

beforeAll(async () => {
  app = await startTestParley({ DATABASE_POOL_SIZE: '4', DATABASE_CONNECT_TIMEOUT_MS: '2000' });
  admin = await ApiClient.login(app.url);
});

afterAll(async () => {
  await app?.stop();
});

test('twelve concurrent membership changes all answer, and the team ends with one of them whole', async () => {
  const agents: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await admin.post('/api/v1/agents', { email: `agent${i}@parley.test`, name: `Agent ${i} Łukasz`, password: 'long enough password' });
    expect(res.status).toBe(201);
    agents.push(res.body.agent.id);
  }
  const team = (await admin.post('/api/v1/teams', { name: 'Podpora 🛟' })).body.team;
  // Request i puts agents i..i+5 (wrapping) in the team.
  const sets = agents.map((_, i) => Array.from({ length: 6 }, (_, k) => agents[(i + k) % agents.length]));
  const answers = await Promise.all(sets.map((agentIds) => admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds })));
  expect(answers.map((a) => a.status)).toEqual(sets.map(() => 200));

  const final = (await admin.get('/api/v1/teams')).body.teams.find((t: { id: string }) => t.id === team.id).agentIds as string[];
  expect(sets.some((s) => s.length === final.length && s.every((id) => final.includes(id)))).toBe(true);
});

test('an unknown agent or team changes nothing', async () => {
  const team = (await admin.post('/api/v1/teams', { name: 'Ügyfélszolgálat' })).body.team;
  const me = (await admin.get('/api/v1/agents')).body.agents[0].id;
  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [me] })).status).toBe(200);
  const missing = '00000000-0000-4000-8000-000000000000';
  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [missing] })).status).toBe(404);
  expect((await admin.request('PUT', `/api/v1/teams/${missing}/members`, { agentIds: [me] })).status).toBe(404);
  expect((await admin.get('/api/v1/teams')).body.teams.find((t: { id: string }) => t.id === team.id).agentIds).toEqual([me]);
});
