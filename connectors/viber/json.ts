import { isInteger, parse } from 'lossless-json';

/**
 * JSON.parse for Viber bodies. Viber's `message_token` is a 64-bit integer above 2^53, which JSON.parse silently
 * rounds (4912661846655238145 becomes 4912661846655238000). Integers outside the safe range are kept as their
 * exact decimal text; every other number becomes a JS number as usual. Throws SyntaxError like JSON.parse.
 */
export function parseViberJson(text: string): unknown {
  return parse(text, null, (digits) => (isInteger(digits) && !Number.isSafeInteger(Number(digits)) ? digits : Number(digits)));
}
