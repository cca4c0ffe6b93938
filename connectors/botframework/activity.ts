import { z } from 'zod';

/**
 * The part of a Bot Framework Activity Parley reads
 * (https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md).
 * Accounts and the conversation are kept whole (loose objects): they become the stored conversation reference, and
 * channels put fields there the SDK round-trips (Teams' tenantId and aadObjectId, role...).
 */
const account = z.looseObject({ id: z.string().min(1), name: z.string().nullish() });

const conversation = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  isGroup: z.boolean().nullish(),
  /** Teams: personal | groupChat | channel. */
  conversationType: z.string().nullish(),
  tenantId: z.string().nullish(),
});

export const attachmentSchema = z.looseObject({
  contentType: z.string().nullish(),
  contentUrl: z.string().nullish(),
  content: z.unknown().optional(),
  name: z.string().nullish(),
});

export const entitySchema = z.looseObject({ type: z.string().nullish() });

/** Only `type` is required: anything else decides per type whether the activity can be used. */
export const activitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().nullish(),
  timestamp: z.string().nullish(),
  serviceUrl: z.string().nullish(),
  channelId: z.string().nullish(),
  from: account.nullish(),
  recipient: account.nullish(),
  conversation: conversation.nullish(),
  text: z.string().nullish(),
  textFormat: z.string().nullish(),
  locale: z.string().nullish(),
  replyToId: z.string().nullish(),
  value: z.unknown().optional(),
  action: z.string().nullish(),
  /** Event activities: what happened (Teams' read receipt is `application/vnd.microsoft.readReceipt`). */
  name: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  entities: z.array(entitySchema).nullish(),
  channelData: z.looseObject({}).nullish(),
});

export type Activity = z.infer<typeof activitySchema>;
export type ActivityAttachment = z.infer<typeof attachmentSchema>;
export type ActivityEntity = z.infer<typeof entitySchema>;
export type ChannelAccount = z.infer<typeof account>;
export type ConversationAccount = z.infer<typeof conversation>;

/** A message-like activity has everything a reply needs: it can become an inbox message. */
export interface AddressedActivity extends Activity {
  id: string;
  serviceUrl: string;
  channelId: string;
  from: ChannelAccount;
  recipient: ChannelAccount;
  conversation: ConversationAccount;
}

export function isAddressed(a: Activity): a is AddressedActivity {
  return Boolean(a.id && a.serviceUrl && a.channelId && a.from && a.recipient && a.conversation);
}
