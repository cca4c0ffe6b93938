import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnparseableWebhookError, type InboundEvent } from '../contract';
import { parseWhatsAppWebhook } from './parse-webhook';

/**
 * What the fixtures' Expected lines do not cover: batches, message types absent from the fixtures (shapes from
 * Meta's webhook reference, values made up), filtering by phone number, and malformed input.
 */
const PHONE_ID = '106540352242922';

function webhook(value: Record<string, unknown>, field = 'messages') {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, ...value } }] }],
  };
}

const contact = (waId: string, name: string, userId?: string) => ({ profile: { name }, wa_id: waId, ...(userId ? { user_id: userId } : {}) });
const message = (from: string, id: string, rest: Record<string, unknown>) => ({ from, id, timestamp: '1749854575', ...rest });
const text = (from: string, id: string, body: string) => message(from, id, { type: 'text', text: { body } });

function only(events: InboundEvent[]): any {
  expect(events).toHaveLength(1);
  return events[0];
}

describe('batches', () => {
  test('every message and status of a webhook comes out, each named from its own contact', () => {
    const events = parseWhatsAppWebhook(
      webhook({
        // contacts[] in a different order from messages[]: the first contact is not everyone's name.
        contacts: [contact('222', 'Bea'), contact('111', 'Ann')],
        messages: [text('111', 'wamid.1', 'from Ann'), text('222', 'wamid.2', 'from Bea')],
        statuses: [{ id: 'wamid.out', status: 'delivered', timestamp: '1749854576', recipient_id: '111' }],
      }),
    );
    expect(events.map((e: any) => [e.type, e.externalId ?? e.platformMessageId, e.sender?.displayName])).toEqual([
      ['message', 'wamid.1', 'Ann'],
      ['message', 'wamid.2', 'Bea'],
      ['status', 'wamid.out', undefined],
    ]);
  });

  test('several entries and changes are all read', () => {
    const one = webhook({ messages: [text('1', 'wamid.a', 'a')] });
    const body = {
      ...one,
      entry: [
        one.entry[0],
        {
          id: 'x',
          changes: [one.entry[0].changes[0], { field: 'messages', value: webhook({ messages: [text('2', 'wamid.b', 'b')] }).entry[0].changes[0].value }],
        },
      ],
    };
    expect(parseWhatsAppWebhook(body).map((e: any) => e.externalId)).toEqual(['wamid.a', 'wamid.a', 'wamid.b']);
  });

  test('one malformed message does not cost the others', () => {
    const events = parseWhatsAppWebhook(webhook({ messages: [{ from: '1', type: 'text' }, text('1', 'wamid.ok', 'fine')] }));
    expect(events.map((e) => e.type)).toEqual(['ignored', 'message']);
  });
});

describe('message types the fixtures lack', () => {
  test.each([
    ['button_reply', { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } }, 'Yes please'],
    ['list_reply', { type: 'list_reply', list_reply: { id: 'r1', title: 'Refund', description: 'Money back' } }, 'Refund'],
    ['nfm_reply', { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"a":1}' } }, 'Sent'],
  ])('interactive %s reads as the title the customer tapped', (_k, interactive, expected) => {
    const e = only(parseWhatsAppWebhook(webhook({ messages: [message('1', 'wamid.i', { type: 'interactive', interactive })] })));
    expect(e).toMatchObject({ type: 'message', text: expected, platformKind: 'interactive' });
  });

  test('shared contact cards are attachments, never the sender', () => {
    const contacts = [
      { name: { formatted_name: 'Jane Roe', first_name: 'Jane' }, phones: [{ phone: '+1 555 0100', wa_id: '15550100', type: 'CELL' }] },
      { name: { first_name: 'Bob', last_name: 'Poe' }, phones: [{ wa_id: '15550101' }] },
    ];
    const e = only(parseWhatsAppWebhook(webhook({ contacts: [contact('1', 'Ann')], messages: [message('1', 'wamid.c', { type: 'contacts', contacts })] })));
    expect(e.sender).toMatchObject({ externalId: '1', displayName: 'Ann' });
    expect(e.attachments).toEqual([
      { kind: 'contact', title: 'Jane Roe', phone: '+1 555 0100' },
      { kind: 'contact', title: 'Bob Poe', phone: '15550101' },
    ]);
  });

  test('an unsupported message still reaches the agent as a placeholder', () => {
    const e = only(
      parseWhatsAppWebhook(
        webhook({
          messages: [
            message('1', 'wamid.u', { type: 'unsupported', unsupported: { type: 'poll' }, errors: [{ code: 131051, title: 'Message type unknown' }] }),
          ],
        }),
      ),
    );
    expect(e).toMatchObject({ type: 'message', text: null, attachments: [{ kind: 'other', title: expect.stringContaining('poll') }] });
  });

  test('a caption-less document keeps its file name; a media message without an id is malformed', () => {
    const ok = only(
      parseWhatsAppWebhook(
        webhook({ messages: [message('1', 'wamid.d', { type: 'document', document: { id: '9', filename: 'a.pdf', mime_type: 'application/pdf' } })] }),
      ),
    );
    expect(ok).toMatchObject({ text: null, attachments: [{ kind: 'document', mediaRef: '9', fileName: 'a.pdf' }] });
    const bad = only(parseWhatsAppWebhook(webhook({ messages: [message('1', 'wamid.d2', { type: 'image', image: { caption: 'no id' } })] })));
    expect(bad).toMatchObject({ type: 'ignored', reason: expect.stringContaining('malformed image') });
  });

  test.each([
    ['revoke', { type: 'revoke', revoke: { original_message_id: 'wamid.old' } }, 'deleted message wamid.old'],
    ['request_welcome', { type: 'request_welcome' }, 'first time'],
  ])('%s is ignored with a reason', (_k, rest, reason) => {
    expect(only(parseWhatsAppWebhook(webhook({ messages: [message('1', 'wamid.r', rest)] })))).toMatchObject({
      type: 'ignored',
      reason: expect.stringContaining(reason),
    });
  });
});

describe('identities', () => {
  const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

  test('a sender with a phone number keeps the BSUID Meta also sent, for linking identities later', () => {
    const e = only(parseWhatsAppWebhook(fixture('pywa-audio-voice-note.json')));
    expect(e.sender).toMatchObject({ externalId: '972987654321', profile: { bsuid: 'US.13491208655302741918', parentBsuid: 'US.ENT.11815799212886844830' } });
  });

  test('a sender without a phone number is the BSUID, with their username', () => {
    const e = only(parseWhatsAppWebhook(fixture('courier-text-from-bsuid-no-phone.json')));
    expect(e.sender).toMatchObject({ externalId: 'US.1234', username: 'kfisher' });
    expect(e.sender.profile?.bsuid).toBeUndefined();
  });

  test('a changed number carries the new wa_id', () => {
    const e = only(parseWhatsAppWebhook(fixture('pywa-system-user-changed-number.json')));
    expect(e.sender.profile).toEqual({ newWaId: '972912345678' });
  });

  test('a group message replies into the group', () => {
    const e = only(parseWhatsAppWebhook(fixture('courier-group-text.json')));
    expect(e.thread).toEqual({ externalId: '555555555', isGroup: true, replyContext: { recipientType: 'group' } });
  });
});

describe('statuses', () => {
  const status = (s: Record<string, unknown>) => only(parseWhatsAppWebhook(webhook({ statuses: [{ id: 'wamid.s', timestamp: '1700000000', ...s }] })));

  test('a receipt for a customer known by BSUID names that BSUID', () => {
    expect(status({ status: 'sent', recipient_user_id: 'US.99' })).toMatchObject({ type: 'status', status: 'sent', recipientExternalId: 'US.99' });
  });

  test('a failure without errors[] still says it failed', () => {
    expect(status({ status: 'failed', recipient_id: '1' })).toMatchObject({ status: 'failed', error: expect.any(String) });
  });

  test('a status Parley does not track is ignored, not thrown', () => {
    expect(status({ status: 'deleted', recipient_id: '1' })).toMatchObject({ type: 'ignored' });
  });
});

describe('filtering and malformed input', () => {
  test('events for another phone number of the same app are ignored', () => {
    const body = webhook({ messages: [text('1', 'wamid.x', 'hi')] });
    expect(only(parseWhatsAppWebhook(body, { phoneNumberId: '999' }))).toMatchObject({ type: 'ignored', reason: expect.stringContaining('106540352242922') });
    expect(only(parseWhatsAppWebhook(body, { phoneNumberId: PHONE_ID })).type).toBe('message');
  });

  test('other webhook fields and objects are ignored', () => {
    expect(only(parseWhatsAppWebhook(webhook({}, 'account_update'))).type).toBe('ignored');
    expect(only(parseWhatsAppWebhook({ object: 'page', entry: [] })).type).toBe('ignored');
    expect(only(parseWhatsAppWebhook(webhook({}))).type).toBe('ignored');
  });

  test('a payload that is not a WhatsApp webhook is unparseable', () => {
    expect(() => parseWhatsAppWebhook([])).toThrow(UnparseableWebhookError);
    expect(() => parseWhatsAppWebhook({ object: 'whatsapp_business_account' })).toThrow(UnparseableWebhookError);
    expect(() => parseWhatsAppWebhook({ entry: 'nope', object: 'whatsapp_business_account' })).toThrow('entry');
  });

  test('a message without any sender id is ignored', () => {
    expect(only(parseWhatsAppWebhook(webhook({ messages: [{ id: 'wamid.n', type: 'text', text: { body: 'x' } }] })))).toMatchObject({ type: 'ignored' });
  });
});
