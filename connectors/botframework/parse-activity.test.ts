import { join } from 'node:path';
import { TurnContext } from 'botbuilder';
import { UnparseableWebhookError, type InboundEvent } from '../contract';
import { loadFixtureCases, type FixtureCase } from '../shared/testing/fixtures';
import { parseActivity } from './parse-activity';

/**
 * Table-driven: every file in fixtures/ against its Expected line in fixtures/SOURCES.md. The Expected lines come
 * from a reference extractor that reads fields verbatim; where Parley deliberately normalises further, DEVIATIONS
 * says how and why.
 */
const cases = loadFixtureCases(join(__dirname, 'fixtures'));

const DEVIATIONS: Record<string, { text?: string | null }> = {
  // The bot's own `<at>My Combined</at>` only addresses the bot in a channel; the customer said the rest.
  'bbjs-teams-channel-mention-with-url.json': { text: 'https://foo.com' },
  // An Adaptive Card / messaging-extension submit has no text: the submitted fields become the text.
  'bbjs-teams-card-submit-value-no-text.json': { text: 'submitLocation: messagingExtensionSubmit\nAnswer:' },
};

const GROUP_TYPES = new Set(['channel', 'groupChat', 'group']);

function parseFixture(c: FixtureCase): InboundEvent[] {
  return parseActivity(JSON.parse(c.raw.toString('utf8')));
}

/** Long ids are cut in SOURCES.md with a trailing "…": compare the part shown. */
function expectId(actual: string, expected: string): void {
  if (expected.endsWith('…')) expect(actual.startsWith(expected.slice(0, -1))).toBe(true);
  else expect(actual).toBe(expected);
}

test('every fixture has an expectation', () => {
  expect(cases).toHaveLength(10);
});

describe.each(cases.map((c) => [c.file, c] as const))('%s', (file, c) => {
  const x = c.expected as Record<string, any>;
  const raw = JSON.parse(c.raw.toString('utf8'));
  const events = parseFixture(c);

  test('gives exactly one event', () => {
    expect(events).toHaveLength(1);
  });
  const e = events[0];

  if (x.kind !== 'message') {
    test('is ignored, not a message', () => {
      // conversationUpdate: members added/removed and team renames are not something a customer wrote.
      expect(e).toEqual({ type: 'ignored', reason: `${x.kind} activity` });
    });
    return;
  }

  test('is a message', () => {
    expect(e.type).toBe('message');
  });
  if (e.type !== 'message') return;

  test('has the sender, with the channel it came through', () => {
    expect(e.sender.externalId).toBe(x.sender_id);
    expect(e.sender.displayName).toBe(x.sender_name);
    expect(e.sender.profile?.channelId).toBe(x.channelId);
    if (x.tenant) expect(e.sender.profile?.tenantId).toBe(x.tenant);
  });

  test('has the thread to reply into', () => {
    expectId(e.thread.externalId, x.chat_id);
    expect(e.thread.isGroup).toBe(GROUP_TYPES.has(x.conversation_type));
  });

  test('has the text', () => {
    const deviation = DEVIATIONS[file];
    expect(e.text).toBe(deviation && 'text' in deviation ? deviation.text : x.text);
  });

  test('has the dedupe key conversation|id', () => {
    expect(e.externalId).toBe(`${raw.conversation.id}|${x.message_id}`);
    expectId(e.externalId, x.chat_id.endsWith('…') ? x.chat_id : `${x.chat_id}|${x.message_id}`);
  });

  test('has no attachment (text/html only renders the text)', () => {
    expect(x.attachment === null || x.attachment === 'text/html').toBe(true);
    expect(e.attachments).toEqual([]);
  });

  test('has the time it was sent', () => {
    expect(e.sentAt?.getTime()).toBe(Date.parse(x.timestamp));
  });

  test('keeps the conversation reference the SDK would store', () => {
    expect(e.thread.replyContext).toEqual(TurnContext.getConversationReference(raw));
  });
});

describe('details the Expected lines do not cover', () => {
  const fixture = (f: string) => JSON.parse(cases.find((c) => c.file === f)!.raw.toString('utf8'));
  const message = (body: unknown) => parseActivity(body)[0] as Extract<InboundEvent, { type: 'message' }>;

  test('times with 7 fractional digits (.NET) keep their milliseconds', () => {
    expect(message(fixture('botdocs-quickstart-received-message.json')).sentAt?.toISOString()).toBe('2016-10-19T20:17:52.289Z');
  });

  test('a card submit points at the card it answers', () => {
    const e = message(fixture('bbjs-teams-card-submit-value-no-text.json'));
    expect(e.replyToExternalId).toBe('19:097e6717fd7245bdbeba6baa13840db8@thread.skype;messageid=1570640063118|1:1SF2BGr82mLKxbK-JTljvwa1p7-bnypIHiaPd1w4hLaU');
    expect(e.platformKind).toBe('message (card submit)');
  });

  test('a Teams channel thread keeps the team name as its title', () => {
    const body = { ...fixture('bbjs-teams-channel-mention-with-url.json') };
    body.channelData = { ...body.channelData, team: { id: 't', name: 'Support' } };
    expect(message(body).thread.title).toBe('Support');
    expect(message(fixture('bbjs-teams-personal-text.json')).thread.title).toBeUndefined();
  });

  test('mentions of other people keep the name; every mention of the bot goes', () => {
    const body = {
      ...fixture('bbjs-teams-channel-mention-with-url.json'),
      text: '<at>My Combined</at> please ask <at>Alice</at> <at>My Combined</at>',
    };
    expect(message(body).text).toBe('please ask Alice');
  });

  test('a mention without its entity is still recognised by the bot name', () => {
    const body = { ...fixture('bbjs-teams-channel-mention-with-url.json'), entities: [], text: '<at>teams2</at> hi' };
    expect(message(body).text).toBe('hi');
  });

  test('images, Teams files and locations become attachments; text/html does not', () => {
    const body = {
      ...fixture('teamsdocs-personal-message-rich-text.json'),
      attachments: [
        { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/0-x/views/original' },
        { contentType: 'text/html', content: '<p><img src="..."></p>' },
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          name: 'invoice.pdf',
          content: { downloadUrl: 'https://contoso.sharepoint.com/download?token=abc', uniqueId: 'u1', fileType: 'pdf' },
        },
        { contentType: 'application/vnd.microsoft.card.hero', content: { title: 'x' } },
      ],
      entities: [{ type: 'Place', name: 'Office', geo: { type: 'GeoCoordinates', latitude: 47.6, longitude: -122.1 } }],
    };
    expect(message(body).attachments).toEqual([
      { kind: 'image', mediaRef: 'https://smba.trafficmanager.net/amer/v3/attachments/0-x/views/original', mimeType: 'image/png', fileName: undefined },
      { kind: 'document', mediaRef: 'https://contoso.sharepoint.com/download?token=abc', fileName: 'invoice.pdf' },
      { kind: 'other', mimeType: 'application/vnd.microsoft.card.hero', fileName: undefined, title: undefined },
      { kind: 'location', latitude: 47.6, longitude: -122.1, title: 'Office' },
    ]);
  });

  test('a Teams edit is an edit of the same message; an undelete is not', () => {
    const body = { ...fixture('bbjs-teams-personal-text.json'), type: 'messageUpdate', text: 'file (edited)' };
    body.channelData = { ...body.channelData, eventType: 'editMessage' };
    const [edit] = parseActivity(body);
    expect(edit).toMatchObject({ type: 'edit', text: 'file (edited)', externalId: message(fixture('bbjs-teams-personal-text.json')).externalId });
    body.channelData = { ...body.channelData, eventType: 'undeleteMessage' };
    expect(parseActivity(body)[0].type).toBe('ignored');
  });

  test('removing the app from a personal chat is the customer blocking the bot; in a team it is not', () => {
    const personal = { ...fixture('bbjs-teams-personal-text.json'), type: 'installationUpdate', action: 'remove' };
    expect(parseActivity(personal)[0]).toMatchObject({ type: 'subscription', blocked: true, sender: { externalId: personal.from.id } });
    expect(parseActivity({ ...personal, action: 'add' })[0]).toMatchObject({ type: 'subscription', blocked: false });
    const team = { ...fixture('bbjs-teams-team-renamed.json'), type: 'installationUpdate', action: 'remove' };
    expect(parseActivity(team)[0].type).toBe('ignored');
  });

  test('typing, reactions and invokes are ignored', () => {
    const base = fixture('mbrown-skype-message.json');
    for (const type of ['typing', 'messageReaction', 'invoke', 'event', 'endOfConversation']) {
      expect(parseActivity({ ...base, type })).toEqual([{ type: 'ignored', reason: `${type} activity` }]);
    }
  });

  test('malformed input is unparseable, not a crash', () => {
    expect(() => parseActivity([])).toThrow(UnparseableWebhookError);
    expect(() => parseActivity({ text: 'no type' })).toThrow(UnparseableWebhookError);
    // A message nobody could ever answer is kept for inspection rather than dropped.
    expect(() => parseActivity({ type: 'message', id: '1', text: 'hi' })).toThrow(/without id, serviceUrl/);
  });
});
