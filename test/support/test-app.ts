import { Client } from 'pg';
import type { ParleyOptions } from '../../src/app/parley';
import { ApiClient, connectSocket, startTestParley, type TestParley } from './parley';

/**
 * What most integration files start from, written once: the app, its admin logged in and a PostgreSQL client on
 * its database (for what the API does not show); agents made the same way; sockets that never outlive a test.
 */

export interface TestApp {
  /** Its stop() also ends `db`: one line in afterAll, and no client left open on a dropped database. */
  app: TestParley;
  admin: ApiClient;
  db: Client;
}

export async function startTestApp(env: Record<string, string> = {}, options?: ParleyOptions): Promise<TestApp> {
  const app = await startTestParley(env, options);
  const admin = await ApiClient.login(app.url);
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const stop = async () => {
    await db.end();
    await app.stop();
  };
  return { app: { ...app, stop }, admin, db };
}

/** Creates an agent (any field POST /agents takes) and logs them in. */
export async function createAgent(
  app: TestParley,
  admin: ApiClient,
  fields: { email: string; name: string; password: string } & Record<string, unknown>,
): Promise<{ id: string; client: ApiClient }> {
  const res = await admin.post('/api/v1/agents', fields);
  if (res.status !== 201) throw new Error(`agent: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.agent.id, client: await ApiClient.login(app.url, fields.email, fields.password) };
}

export type TestSocket = Awaited<ReturnType<typeof connectSocket>>;

/**
 * Registers, in the calling file, the closing of every socket its tests open (after each test: an open socket
 * would go on receiving the next test's events); returns the way to open one.
 */
export function useSockets(): (app: TestParley, client: ApiClient) => Promise<TestSocket> {
  const open: TestSocket[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.socket.close();
  });
  return async (app, client) => {
    const s = await connectSocket(app.url, client.token!);
    open.push(s);
    return s;
  };
}
