import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { Upload } from '../../database/entities';
import { HttpError } from '../errors';
import { parse } from '../validate';

const params = z.object({ id: z.uuid(), name: z.string().max(255) });

/** `GET /media/:uploadId/:name?expires&signature`: an upload, for platforms that fetch media by URL. */
export function publicMediaRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/media/:id/:name', async (req, res) => {
    const { id } = parse(params, req.params);
    const q = req.query as Record<string, string | undefined>;
    if (!ctx.mediaUrls.verify(id, q.expires, q.signature)) throw new HttpError(403, 'invalid or expired media link');
    const upload = await ctx.ds.getRepository(Upload).findOneBy({ id });
    const data = upload ? await ctx.uploads.get(upload.id) : null;
    if (!upload || !data) throw new HttpError(404, 'no such file');
    res.setHeader('content-type', upload.mimeType);
    res.setHeader('cache-control', 'private, max-age=3600');
    res.send(data);
  });
  return r;
}
