import { parse as parseContentDisposition } from 'content-disposition';
import type { Client } from 'pg';
import { ApiClient, createIdleChannel, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';

/**
 * Files served to browsers (authenticated attachment downloads and signed public media links): names in every
 * script survive (RFC 6266 / 5987), and nothing an agent or a customer uploaded can become a page on Parley's
 * origin (attachment unless a safe picture/sound/video type, nosniff, a sandboxing CSP).
 */
let app: TestParley;
let admin: ApiClient;
let db: Client;
let conversationId: string;
let channelId: string;

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp());
  const ch = await createIdleChannel(admin);
  channelId = ch.id;
  const contact = await db.query(`INSERT INTO contacts (name) VALUES ('c') RETURNING id`);
  const row = await db.query(
    `INSERT INTO conversations (channel_id, contact_id, external_thread_id, last_inbound_at) VALUES ($1, $2, '1', now()) RETURNING id`,
    [channelId, contact.rows[0].id],
  );
  conversationId = row.rows[0].id;
});

afterAll(async () => {
  await app?.stop();
});

async function upload(fileName: string, contentType: string, data = Buffer.from('<html><script>alert(document.domain)</script></html>')) {
  const res = await admin.request('POST', `/api/v1/uploads?filename=${encodeURIComponent(fileName)}`, data, { 'content-type': contentType });
  expect(res.status).toBe(201);
  return res.body.upload as { id: string; fileName: string; mimeType: string };
}

/** A sent reply carrying the upload, straight in the database: this file is about serving files. */
async function messageWith(up: { id: string; fileName: string; mimeType: string }): Promise<string> {
  const attachments = [{ kind: 'document', mimeType: up.mimeType, fileName: up.fileName, uploadId: up.id }];
  const row = await db.query(
    `INSERT INTO messages (conversation_id, channel_id, direction, status, attachments) VALUES ($1, $2, 'outbound', 'sent', $3) RETURNING id`,
    [conversationId, channelId, JSON.stringify(attachments)],
  );
  return row.rows[0].id;
}

async function download(messageId: string): Promise<Response> {
  return fetch(`${app.url}/api/v1/messages/${messageId}/attachments/0`, { headers: { authorization: `Bearer ${admin.token}` } });
}

async function publicLink(up: { id: string; fileName: string; mimeType: string }): Promise<Response> {
  return fetch(app.parley.ctx.mediaUrls.url(up.id, up.fileName, Date.now(), up.mimeType).replace(app.config.publicUrl, app.url));
}

const names = [
  ['Cyrillic', 'отчёт.pdf', 'application/pdf', 'отчёт.pdf'],
  ['Polish', 'Łódź.png', 'image/png', 'Łódź.png'],
  ['an emoji', '🎉 party 🎉.jpg', 'image/jpeg', '🎉 party 🎉.jpg'],
  ['Slovene and Hungarian', 'Šolski řád – Győr.txt', 'text/plain', 'Šolski řád – Győr.txt'],
  ['quotes and CR/LF', 'a "quoted"\r\nSet-Cookie: x=1.txt', 'text/plain', 'a "quoted" Set-Cookie: x=1.txt'],
] as const;

describe.each([
  ['an attachment download', async (up: Awaited<ReturnType<typeof upload>>) => download(await messageWith(up))],
  ['a signed public media link', publicLink],
])('%s', (_label, get) => {
  test.each(names)('keeps a file name in %s (RFC 6266: filename*=UTF-8)', async (_script, fileName, type, expected) => {
    const res = await get(await upload(fileName, type));
    expect(res.status).toBe(200);
    const disposition = parseContentDisposition(res.headers.get('content-disposition')!);
    expect(disposition.parameters.filename).toBe(expected);
    // Printable ASCII only (an ASCII fallback for old clients, then filename*): CR/LF cannot start another header.
    expect(res.headers.get('content-disposition')).toMatch(/^[\x20-\x7e]+$/);
    if (!/^[\x20-\x7e]+$/.test(expected)) expect(res.headers.get('content-disposition')).toMatch(/; filename="?[\x20-\x7e]+"?; filename\*=UTF-8''/);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test.each([
    ['text/html', 'page.html'],
    ['image/svg+xml', 'logo.svg'],
    ['application/xhtml+xml', 'page.xhtml'],
    ['application/pdf', 'doc.pdf'],
    ['application/octet-stream', 'blob.bin'],
  ])('%s is a download, never a page: attachment, nosniff, sandboxed', async (type, fileName) => {
    const res = await get(await upload(fileName, type));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  test.each([
    ['image/png', 'a.png'],
    ['image/jpeg', 'a.jpg'],
    ['image/webp', 'a.webp'],
    ['audio/ogg', 'a.ogg'],
    ['video/mp4', 'a.mp4'],
  ])('%s, which a browser shows safely, is inline (still nosniff and sandboxed)', async (type, fileName) => {
    const res = await get(await upload(fileName, type, Buffer.from([0x89, 0x50, 0x4e, 0x47])));
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });
});

test('a customer attachment with a malformed stored type is sent as application/octet-stream, as a download', async () => {
  const up = await upload('x.bin', 'application/octet-stream');
  const attachments = [{ kind: 'document', mimeType: 'text/html\r\nX-Evil: 1', fileName: 'x.html', uploadId: up.id }];
  const row = await db.query(
    `INSERT INTO messages (conversation_id, channel_id, direction, status, attachments) VALUES ($1, $2, 'outbound', 'sent', $3) RETURNING id`,
    [conversationId, channelId, JSON.stringify(attachments)],
  );
  const res = await download(row.rows[0].id);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(res.headers.get('x-evil')).toBeNull();
});

test('an upload whose Content-Type is overlong or not a media type is 400, not 500', async () => {
  for (const type of [`application/${'x'.repeat(300)}`, 'not a type', 'text/html, image/png']) {
    const res = await admin.request('POST', '/api/v1/uploads?filename=a.bin', Buffer.from('x'), { 'content-type': type });
    expect({ type, status: res.status }).toEqual({ type, status: 400 });
  }
  const ok = await admin.request('POST', '/api/v1/uploads?filename=a.png', Buffer.from('x'), { 'content-type': 'Image/PNG; charset=binary' });
  expect(ok.status).toBe(201);
  expect(ok.body.upload.mimeType).toBe('image/png');
});
