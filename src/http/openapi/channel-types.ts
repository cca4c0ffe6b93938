import { SHIPPED_CHANNEL_TYPES } from '../views';
import type { OpenApiDocument } from './build-document';

/**
 * The document with the channel types of the registry this process was started with. Route specs are plain
 * data built at import time, so channelTypeSchema() carries the shipped list; every enum equal to it (the
 * create body, the Channel schema) is replaced here. With the shipped registry the document is unchanged,
 * which is what web/src/api/openapi.json holds.
 */
export function withChannelTypes(document: OpenApiDocument, channelTypes: readonly string[]): OpenApiDocument {
  if (sameList(channelTypes, SHIPPED_CHANNEL_TYPES)) return document;
  // replaceEnums builds new objects and arrays all the way down: the shared document is never changed.
  return replaceEnums(document, channelTypes) as OpenApiDocument;
}

function replaceEnums(node: unknown, channelTypes: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => replaceEnums(n, channelTypes));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'enum' && Array.isArray(value) && sameList(value, SHIPPED_CHANNEL_TYPES) ? [...channelTypes] : replaceEnums(value, channelTypes);
  }
  return out;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
