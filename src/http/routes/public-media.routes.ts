import { z } from 'zod';
import { Upload } from '../../database/entities';
import { HttpError } from '../errors';
import { defineRoute, SENT } from '../openapi/define-route';
import { error, rawBody } from '../openapi/responses';
import { sendStoredFile } from '../send-file';

const params = z.object({ id: z.uuid(), name: z.string().max(255) });
// Anything else (absent, repeated) is simply an invalid link: 403, as the signature check decides.
const linkQuery = z.object({
  expires: z.string().optional().catch(undefined).meta({ description: 'Unix time (seconds) the link stops working' }),
  signature: z.string().optional().catch(undefined),
});

/** `GET /media/:uploadId/:name?expires&signature`: an upload, for platforms that fetch media by URL. */
export const publicMediaRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/media/:id/:name',
      operationId: 'getSignedMedia',
      tag: 'Media',
      summary: 'An upload, through the signed, expiring link Parley gives platforms that fetch media by URL',
      access: 'public',
      root: true,
      params,
      query: linkQuery,
      responses: {
        200: rawBody('The file, with its type as Content-Type', 'application/octet-stream'),
        403: error('Invalid or expired link'),
        404: error('No such file'),
      },
    },
    async (ctx, { params: { id }, query, res }) => {
      if (!ctx.mediaUrls.verify(id, query.expires, query.signature)) throw new HttpError(403, 'invalid or expired media link');
      const upload = await ctx.ds.getRepository(Upload).findOneBy({ id });
      const data = upload ? await ctx.uploads.get(upload.id) : null;
      if (!upload || !data) throw new HttpError(404, 'no such file');
      res.setHeader('cache-control', 'private, max-age=3600');
      // Served like a download: a signed link to an agent's text/html upload must not be a page on Parley's origin.
      sendStoredFile(res, { data, contentType: upload.mimeType, fileName: upload.fileName });
      return SENT;
    },
  ),
];
