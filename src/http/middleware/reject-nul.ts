import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../errors';

/**
 * PostgreSQL cannot store U+0000 in text: a NUL anywhere in a request's URL (path or query) or JSON body is
 * refused here with a 400, before any schema or service sees it, rather than failing as a 500 at the INSERT.
 * Mount after the JSON parser. Raw bodies (uploads) are bytes, not text, and are not looked at.
 */
export function rejectNul(req: Request, _res: Response, next: NextFunction): void {
  if (/%00|\0/i.test(req.originalUrl)) throw new HttpError(400, 'the URL holds a NUL character (U+0000), which Parley cannot store');
  const at = req.is('application/json') ? nulPath(req.body) : null;
  if (at !== null)
    throw new HttpError(400, 'the request holds a NUL character (U+0000), which Parley cannot store', [{ path: at, message: 'contains U+0000' }]);
  next();
}

/** Where the first string (value or key) with a NUL is, or null. Iterative: a deeply nested body cannot blow the stack. */
export function nulPath(value: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: path ? `${path}.${i}` : String(i) }));
    } else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const p = path ? `${path}.${key}` : key;
        if (key.includes('\0')) return p;
        stack.push({ value: item, path: p });
      }
    }
  }
  return null;
}
