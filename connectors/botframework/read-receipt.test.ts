import { TeamsActivityHandler, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { botframeworkConnector } from './index';
import { TEAMS_READ_RECEIPT, parseActivity } from './parse-activity';
import { FakeConnectorService } from './testing/fake-connector-service';
import { request } from './testing/harness';
import { TEST_APP_ID, TEST_APP_PASSWORD, channelToken } from './testing/test-tokens';

/**
 * Teams' read receipt, the one receipt a Bot Framework channel gives a bot. The activity is written inline, shaped
 * like the example in the Teams docs ("Receive a read receipt",
 * https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#receive-a-read-receipt).
 */
function readReceipt(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: TEAMS_READ_RECEIPT,
    type: 'event',
    timestamp: '2023-08-16T17:23:11.1366686Z',
    id: 'f:b4783e72-9d7b-2ed9-ccef-ab446c873007',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    from: {
      id: '29:1-8Iuh70W9pRqV8tQK8o2nVjxz33RRGDKLf4Bh7gKnrzN8s7e4vCyrFwjkPbTCX_Co8c4aXwWvq3RBLr-WkkVMw',
      aadObjectId: '5b649834-7412-4cce-9e69-176e95a394f5',
    },
    conversation: {
      conversationType: 'personal',
      tenantId: '6babcaad-604b-40ac-a9d7-9fd97c0b779f',
      id: 'a:1xlimp68NSUxEqK0ap2rXuwC9ITauHgV2M4RaDPkeRhV8qMaFn',
    },
    recipient: { id: '28:9901a8b6-4fef-428b-80b1-ddb59361adeb', name: 'Test Bot' },
    channelData: { tenant: { id: '6babcaad-604b-40ac-a9d7-9fd97c0b779f' } },
    value: { lastReadMessageId: '1692206589131' },
    ...overrides,
  };
}

test('a Teams read receipt is status `read` up to the bot message it names, in its conversation, from the user who read it', () => {
  expect(parseActivity(readReceipt())).toEqual([
    {
      type: 'status',
      platformMessageId: '1692206589131',
      status: 'read',
      at: new Date('2023-08-16T17:23:11.136Z'),
      recipientExternalId: '29:1-8Iuh70W9pRqV8tQK8o2nVjxz33RRGDKLf4Bh7gKnrzN8s7e4vCyrFwjkPbTCX_Co8c4aXwWvq3RBLr-WkkVMw',
      // Teams message ids are unique only within a conversation, and a receipt means "read up to here".
      threadExternalId: 'a:1xlimp68NSUxEqK0ap2rXuwC9ITauHgV2M4RaDPkeRhV8qMaFn',
      upTo: true,
    },
  ]);
});

test('the SDK reads the same activity as a read receipt of the same message', async () => {
  // TeamsActivityHandler is what a botbuilder bot would use: it must see a read receipt, and the same message id.
  const handler = new TeamsActivityHandler();
  let sdkLastRead: string | undefined;
  handler.onTeamsReadReceiptEvent(async (info, _context, next) => {
    sdkLastRead = info.lastReadMessageId;
    await next();
  });
  const activity = readReceipt();
  await handler.run(new TurnContext(new TestAdapter(), activity as unknown as Activity));
  expect(sdkLastRead).toBe('1692206589131');
  const [event] = parseActivity(activity);
  expect(event.type === 'status' && event.platformMessageId).toBe(sdkLastRead);
});

test('a numeric lastReadMessageId is kept as the same digits', () => {
  const [event] = parseActivity(readReceipt({ value: { lastReadMessageId: 1692206589131 } }));
  expect(event).toMatchObject({ type: 'status', platformMessageId: '1692206589131' });
});

test('other events, the same name on another channel, and a receipt without a message id are ignored', () => {
  expect(parseActivity(readReceipt({ name: 'application/vnd.microsoft.meetingStart' }))).toEqual([{ type: 'ignored', reason: 'event activity' }]);
  // Messenger's handover events arrive as `event` activities too (name "standby", "pass_thread_control"...).
  expect(parseActivity(readReceipt({ channelId: 'facebook', name: 'standby' }))[0].type).toBe('ignored');
  expect(parseActivity(readReceipt({ channelId: 'webchat' }))[0].type).toBe('ignored');
  expect(parseActivity(readReceipt({ value: {} }))).toEqual([{ type: 'ignored', reason: 'read receipt without lastReadMessageId' }]);
  expect(parseActivity(readReceipt({ value: { lastReadMessageId: '  ' } }))[0].type).toBe('ignored');
  expect(parseActivity(readReceipt({ value: undefined }))[0].type).toBe('ignored');
});

describe('through the connector', () => {
  let fake: FakeConnectorService;
  beforeAll(async () => {
    fake = new FakeConnectorService();
    await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('a signed receipt verifies and parses; a forged one does not verify', async () => {
    const connector = botframeworkConnector.create({
      id: 'c',
      name: 'bf',
      webhookId: 'w',
      credentials: { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' },
      settings: fake.settings(),
    });
    const serviceUrl = 'https://smba.trafficmanager.net/amer/';
    const body = Buffer.from(JSON.stringify(readReceipt()));
    const signed = request(body, `Bearer ${channelToken({ serviceUrl })}`);
    expect(await connector.verify(signed)).toBe(true);
    expect(connector.parse(signed)).toMatchObject([{ type: 'status', status: 'read', platformMessageId: '1692206589131' }]);
    expect(await connector.verify(request(body, `Bearer ${channelToken({ serviceUrl, forged: true })}`))).toBe(false);
  });
});
