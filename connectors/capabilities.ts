/**
 * What a connector can send, declared as data, and the one pure check of an outgoing message against it.
 * The core runs `checkOutbound` both when the API accepts a reply (so the agent hears "too long" at once) and
 * right before the outbound worker calls the connector (the window may have closed while the reply waited).
 */
import type { AttachmentKind } from './contract-inbound';
import type { OutboundKind } from './contract-outbound';

/**
 * How a platform counts the characters of its text limit:
 * - `utf16`: UTF-16 code units, what JavaScript's `.length` gives (an emoji outside the BMP counts 2);
 * - `codepoint`: Unicode code points (every emoji code point counts 1; a flag, two regional indicators, 2);
 * - `utf8`: UTF-8 bytes (Polish "ą" counts 2, Cyrillic 2, an emoji 4).
 */
export type TextLengthUnit = 'utf16' | 'codepoint' | 'utf8';

export interface RateLimit {
  count: number;
  perMs: number;
}

/** Capabilities declared as data, so the API and the web app can tell an agent what a channel can do. */
export interface ConnectorCapabilities {
  /** Inbound arrives by webhook (false: by a session the core runs, see `ConnectorDefinition.session`). */
  webhook: boolean;
  /** The message kinds `send` implements; the core refuses the others with a clear error. */
  outboundKinds: OutboundKind[];
  /** Kept for the web app: true when `outboundKinds` has `media`. */
  outboundMedia: boolean;
  deliveryReceipts: boolean;
  readReceipts: boolean;
  /** Hours after the customer's last message during which free-form replies are allowed; null = no window. */
  replyWindowHours: number | null;
  /** Largest file the platform accepts from a bot, in bytes. */
  maxOutboundMediaBytes: number;
  /** Longest text message, in `textLengthUnit`s. */
  maxTextLength: number;
  /** Longest caption on a file; a longer one is sent by the connector as a text message of its own after the file. */
  maxCaptionLength: number;
  textLengthUnit: TextLengthUnit;
  /**
   * Sending limits the platform enforces, which the outbound queue respects before it sends (rather than
   * collecting 429s): at most `count` messages per `perMs`, per thread (one chat) and per account (one bot).
   */
  rateLimits?: { perThread?: RateLimit; perAccount?: RateLimit };
}

/** The length of `text` as the platform counts it. */
export function textLength(text: string, unit: TextLengthUnit): number {
  switch (unit) {
    case 'utf16':
      return text.length;
    case 'codepoint': {
      let n = 0;
      for (const _ of text) n++;
      return n;
    }
    case 'utf8':
      return Buffer.byteLength(text, 'utf8');
  }
}

/** True when `caption` fits on the file; otherwise the connector sends it as its own text message. */
export function captionFits(capabilities: ConnectorCapabilities, caption: string): boolean {
  return textLength(caption, capabilities.textLengthUnit) <= capabilities.maxCaptionLength;
}

/** What is checked: an outbound message before its file is read (the API knows only the upload's size). */
export type OutboundDraft =
  | { kind: 'text'; text: string }
  | { kind: 'media'; media: { size: number; kind?: AttachmentKind }; caption?: string }
  | { kind: 'choices'; text: string; choices: readonly unknown[] }
  | { kind: 'template' };

export type OutboundRefusalCode = 'unsupported_kind' | 'text_too_long' | 'media_too_large' | 'outside_window';

/** Why a message cannot go, in words an agent can act on; the core maps `code` onto its own errors. */
export interface OutboundRefusal {
  code: OutboundRefusalCode;
  reason: string;
}

const KIND_NAMES: Record<OutboundKind, string> = { text: 'text messages', media: 'attachments', choices: 'quick-reply buttons', template: 'templates' };
const UNIT_NAMES: Record<TextLengthUnit, string> = { utf16: 'characters', codepoint: 'characters', utf8: 'bytes (UTF-8)' };

/**
 * The one check of an outgoing message against a channel's declared limits: null when it may go, otherwise the
 * refusal. Pure: the caller gives the customer's last message time and the clock.
 */
export function checkOutbound(
  capabilities: ConnectorCapabilities,
  message: OutboundDraft,
  at: { lastInboundAt?: Date | null; now: Date },
): OutboundRefusal | null {
  if (!capabilities.outboundKinds.includes(message.kind)) {
    return { code: 'unsupported_kind', reason: `this channel cannot send ${KIND_NAMES[message.kind]}` };
  }
  const text = message.kind === 'media' ? message.caption : message.kind === 'template' ? undefined : message.text;
  // A caption over maxCaptionLength still goes, as a text message after the file: it must fit a text message.
  if (text !== undefined && textLength(text, capabilities.textLengthUnit) > capabilities.maxTextLength) {
    const unit = UNIT_NAMES[capabilities.textLengthUnit];
    return { code: 'text_too_long', reason: `text is longer than the ${capabilities.maxTextLength} ${unit} this channel accepts` };
  }
  if (message.kind === 'media' && message.media.size > capabilities.maxOutboundMediaBytes) {
    return { code: 'media_too_large', reason: `attachment is larger than the ${capabilities.maxOutboundMediaBytes} bytes this channel accepts` };
  }
  // Templates exist precisely to write outside the window.
  if (capabilities.replyWindowHours !== null && message.kind !== 'template') {
    const last = at.lastInboundAt?.getTime() ?? 0;
    if (at.now.getTime() - last >= capabilities.replyWindowHours * 3600_000) {
      const hours = capabilities.replyWindowHours;
      return {
        code: 'outside_window',
        reason: `the customer last wrote ${hours} hours ago or more: this channel allows only approved templates now`,
      };
    }
  }
  return null;
}
