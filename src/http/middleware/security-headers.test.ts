import express from 'express';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from './security-headers';

async function headersFor(publicUrl: string): Promise<Headers> {
  const app = express();
  app.use(securityHeaders({ publicUrl, allowedOrigins: [new URL(publicUrl).origin] }));
  app.get('/', (_req, res) => void res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).headers;
  } finally {
    server.close();
  }
}

test('HSTS only when PUBLIC_URL is https (a browser would otherwise refuse http://localhost for a year)', async () => {
  const plain = await headersFor('http://localhost:3000');
  expect(plain.get('strict-transport-security')).toBeNull();
  expect(plain.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
  expect(plain.get('content-security-policy')).toMatch(/connect-src 'self' ws:\/\/localhost:3000/);
  const secure = await headersFor('https://support.example.com');
  expect(secure.get('strict-transport-security')).toBe('max-age=31536000');
  expect(secure.get('content-security-policy')).toMatch(/connect-src 'self' wss:\/\/support\.example\.com/);
});
