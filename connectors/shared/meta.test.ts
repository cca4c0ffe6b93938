import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '../contract';
import { metaHandshake, metaSignature, verifyMetaSignature } from './meta';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const post = (headers: WebhookRequest['headers'], raw = body): WebhookRequest => ({ method: 'POST', headers, query: {}, rawBody: raw });
const get = (query: Record<string, string | undefined>): WebhookRequest => ({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) });

describe('X-Hub-Signature-256', () => {
  const valid = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  test('is sha256= and the hex HMAC-SHA256 of the raw body with the app secret', () => {
    expect(metaSignature(SECRET, body)).toBe(valid);
  });

  test('a valid signature passes, in either hex case', () => {
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': valid }), SECRET)).toBe(true);
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': valid.toUpperCase().replace('SHA256=', 'sha256=') }), SECRET)).toBe(true);
  });

  test('another secret, a changed byte, a missing, repeated or SHA-1 header fail', () => {
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': valid }), 'another-secret-0000000000000000')).toBe(false);
    const changed = Buffer.from(body);
    changed[changed.length - 2] = 0x20;
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': valid }, changed), SECRET)).toBe(false);
    expect(verifyMetaSignature(post({}), SECRET)).toBe(false);
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': [valid, valid] }), SECRET)).toBe(false);
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': sha1 }), SECRET)).toBe(false);
  });

  test('the signature covers the exact bytes: re-serialised JSON does not verify', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifyMetaSignature(post({ 'x-hub-signature-256': valid }, reformatted), SECRET)).toBe(false);
  });
});

describe('hub.challenge handshake', () => {
  const TOKEN = 'verify-token-0123456789';

  test('subscribe with our token answers the challenge verbatim, as text/plain', () => {
    expect(metaHandshake(get({ 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' }), TOKEN)).toEqual({
      status: 200,
      body: '1158201444',
      contentType: 'text/plain',
    });
  });

  test('a wrong token, another mode or no challenge is 403', () => {
    for (const query of [
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-ours', 'hub.challenge': '1' },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1' },
      { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN },
      { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
    ]) {
      expect(metaHandshake(get(query), TOKEN)?.status).toBe(403);
    }
  });

  test('a request that is not a handshake is left to the webhook path', () => {
    expect(metaHandshake(get({}), TOKEN)).toBeNull();
    expect(metaHandshake({ ...post({}), query: { 'hub.mode': 'subscribe' } }, TOKEN)).toBeNull();
  });
});
