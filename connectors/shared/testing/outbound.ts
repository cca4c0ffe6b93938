import type { OutboundMedia, OutboundMessage, OutboundOf } from '../../contract';

/** A reply as tests like to write it: addressing, plus text and/or a file. */
export type ReplyFields = Omit<OutboundOf<'text'>, 'kind' | 'text'> & { text?: string | null; media?: OutboundMedia };

/** The outbound message the core builds from such a reply: a file (its text as caption) or a text. */
export function outboundOf({ text, media, ...address }: ReplyFields): OutboundMessage {
  if (media) return { ...address, kind: 'media', media, ...(text ? { caption: text } : {}) };
  return { ...address, kind: 'text', text: text ?? '' };
}
