import express, { type Request, type RequestHandler } from 'express';

/** A body over the limit the route set: nothing past the limit was buffered. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

const parsers = new Map<number, RequestHandler>();

/**
 * Reads a request's raw body (any type; gzip/deflate decoded) once the route knows how much it may take: a
 * declared Content-Length over `limit` is refused before a byte is read; a chunked body stops being kept once
 * it passes the limit (body-parser then discards the rest as it arrives, holding none of it).
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  // Checked here, not left to body-parser: on any error it reads the whole body off the socket before going on.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  let parser = parsers.get(limit);
  if (!parser) parsers.set(limit, (parser = express.raw({ type: () => true, limit })));
  await new Promise<void>((resolve, reject) => {
    parser(req, req.res!, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') reject(new BodyTooLargeError(limit));
      else if (err) reject(err as Error);
      else resolve();
    });
  });
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}
