import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { webApp } from './web-app';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  const app = express();
  app.use(webApp(dir));
  app.use((_req, res) => res.status(404).json({ error: 'not the app' }));
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test('hashed assets are cached for a year', async () => {
  const res = await fetch(`${base}/assets/index-abc123.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
});

test("the app's own paths get index.html, never cached", async () => {
  for (const path of ['/', '/conversations/2b0c5f0e-1111-4111-8111-111111111111', '/simulator']) {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Parley</title>');
  }
});

test('API, webhook, socket.io, media and sandbox paths, and other methods, are not the app', async () => {
  for (const path of ['/api/v1/nothing', '/api', '/webhooks/abc', '/socket.io/', '/media/x/y', '/sandbox/x']) {
    expect((await fetch(`${base}${path}`)).status).toBe(404);
  }
  expect((await fetch(`${base}/anything`, { method: 'POST' })).status).toBe(404);
});

test('without a build it serves nothing', async () => {
  const app = express();
  app.use(webApp(null));
  app.use((_req, res) => res.status(404).end());
  const s = app.listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const address = s.address();
  const res = await fetch(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
  await new Promise((r) => s.close(r));
  expect(res.status).toBe(404);
});
