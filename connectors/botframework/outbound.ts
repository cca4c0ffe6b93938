import { z } from 'zod';
import { ConnectorError, type OutboundMedia, type OutboundMessage } from '../contract';

/**
 * Pure pieces of sending: read the stored conversation reference, apply Messenger's 24-hour rule, build the
 * Activity to POST. Kept apart from HTTP so that each rule is tested on its own.
 */

/** The stored replyContext (see parse-activity.ts conversationReference). Extra fields ride along untouched. */
const referenceSchema = z.looseObject({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  bot: z.looseObject({ id: z.string().min(1) }),
  user: z.looseObject({ id: z.string().min(1) }).optional(),
});
export type ConversationReference = z.infer<typeof referenceSchema>;

/** Messenger allows free-form messages for 24 hours after the person's last message (Meta's messaging policy). */
export const MESSENGER_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Files travel inline, as a data URL inside the activity JSON: Parley has no public URL to hand out, and channels
 * fetch contentUrl from the internet. Teams renders inline pictures up to 1 MB (PNG/JPEG/GIF, 1024×1024); its
 * 40 KB message limit does not count base64 images. Larger files need hosting (a contentUrl) or, on Teams, the
 * file-consent upload flow: neither is built.
 */
export const MAX_INLINE_MEDIA_BYTES = 1024 * 1024;

export function storedReference(out: OutboundMessage): ConversationReference {
  const parsed = referenceSchema.safeParse(out.replyContext);
  if (!parsed.success) {
    throw ConnectorError.permanent('no usable Bot Framework conversation reference stored for this thread', { code: 'no_reference' });
  }
  // The reference decides where the message goes: one from another thread would reach the wrong person.
  if (parsed.data.conversation.id !== out.threadExternalId) {
    throw ConnectorError.permanent('the stored conversation reference belongs to another conversation', { code: 'reference_mismatch' });
  }
  return parsed.data;
}

/** Throws before any call when Messenger would refuse the message anyway. Unknown last-inbound time: let Meta decide. */
export function checkReplyWindow(ref: ConversationReference, out: OutboundMessage, now = Date.now()): void {
  if (ref.channelId !== 'facebook' || !out.lastInboundAt) return;
  if (now - out.lastInboundAt.getTime() > MESSENGER_WINDOW_MS) {
    throw ConnectorError.permanent("Messenger allows replies only within 24 hours of the customer's last message", {
      policy: true,
      code: 'outside_window',
    });
  }
}

/** `out`: the text (or caption) and the file of a text or media message (textAndMedia). */
export function outgoingActivity(ref: ConversationReference, out: { text: string | null; media?: OutboundMedia }): Record<string, unknown> {
  if (!out.text && !out.media) throw ConnectorError.permanent('nothing to send: no text and no attachment', { code: 'empty' });
  const activity: Record<string, unknown> = {
    type: 'message',
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    from: ref.bot,
    recipient: ref.user,
    conversation: ref.conversation,
  };
  if (out.text) {
    activity.text = out.text;
    // Agents type plain text: without this, Teams would interpret `*`, `_` and `#` as Markdown.
    activity.textFormat = 'plain';
  }
  if (out.media) {
    if (out.media.data.length > MAX_INLINE_MEDIA_BYTES) {
      throw ConnectorError.permanent(`file is larger than the ${MAX_INLINE_MEDIA_BYTES / 1024} KB sent inline`, { code: 'too_large' });
    }
    activity.attachments = [
      {
        contentType: out.media.mimeType,
        contentUrl: `data:${out.media.mimeType};base64,${out.media.data.toString('base64')}`,
        name: out.media.fileName,
      },
    ];
  }
  return activity;
}
