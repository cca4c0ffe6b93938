/**
 * The nesting depth of a JSON text, found without parsing it: one pass over the bytes, no recursion, stopping
 * as soon as the limit is passed. Platform payloads nest a dozen levels; a body nested thousands deep is not
 * one, and would overflow the stack of a recursive parser (lossless-json), validator or JSON.stringify further
 * on. Brackets inside strings do not count. A body that is not JSON gives some number and fails to parse later.
 */
export const MAX_WEBHOOK_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/** True when the body nests deeper than `limit`. */
export function nestsDeeperThan(body: Buffer, limit = MAX_WEBHOOK_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (OPEN.has(b)) {
      if (++depth > limit) return true;
    } else if (CLOSE.has(b)) depth--;
  }
  return false;
}
