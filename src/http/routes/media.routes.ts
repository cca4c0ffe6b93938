import express from 'express';
import { z } from 'zod';
import { ConnectorError } from '../../../connectors/contract';
import type { HttpContext } from '../context';
import { Channel, Message, Upload } from '../../database/entities';
import { mediaCacheKey, sha256 } from '../../media/upload-store';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { defineRoute, SENT } from '../openapi/define-route';
import { error, rawBody } from '../openapi/responses';
import { safeContentType, sendStoredFile } from '../send-file';
import { uploadSchema } from '../views';

const uploadQuery = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'a file name, not a path'),
});
const attachmentParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(50) });

/**
 * Uploads (the bytes of a reply's attachment: raw body, Content-Type, ?filename=) and downloads of customer
 * media through the connector, so platform file URLs and bot tokens never reach the browser.
 */
export const mediaRoutes = [
  defineRoute(
    {
      method: 'post',
      path: '/uploads',
      operationId: 'createUpload',
      tag: 'Media',
      summary: 'Upload a file to attach to a reply: the raw bytes as the body, its type as Content-Type',
      access: 'agent',
      query: uploadQuery,
      rawBody: { contentType: '*/*', description: "The file's bytes; Content-Type says its type." },
      // The JSON parser skips /uploads (app.ts): the bytes may well be a .json file.
      before: (ctx) => [express.raw({ type: () => true, limit: ctx.config.maxUploadBytes })],
      responses: { 201: z.object({ upload: uploadSchema }), 400: error('No file name, or an empty body'), 413: error('Larger than MAX_UPLOAD_BYTES') },
    },
    async (ctx, { query: { filename }, req }) => {
      const body = req.body as Buffer;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'the upload is empty: send the file as the request body');
      const given = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
      const mimeType = safeContentType(given);
      // A type the downloads would not send back as given (garbage, overlong) is refused rather than stored.
      if (given && mimeType !== given) {
        throw new HttpError(400, 'Content-Type must be a media type such as image/png (at most 64 characters on each side of the slash)');
      }
      const repo = ctx.ds.getRepository(Upload);
      const upload = repo.create({ agentId: sessionOf(req).agent.id, fileName: filename, mimeType, size: body.length, sha256: sha256(body) });
      await repo.save(upload);
      await ctx.uploads.put(upload.id, body);
      return { status: 201, body: { upload: { id: upload.id, fileName: upload.fileName, mimeType, size: upload.size } } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/messages/:id/attachments/:index',
      operationId: 'downloadAttachment',
      tag: 'Media',
      summary: "Download a message's attachment (fetched from the platform on first use)",
      access: 'agent',
      params: attachmentParams,
      responses: {
        200: rawBody('The file, with its type as Content-Type', 'application/octet-stream'),
        404: error('No such message or attachment, not yours to see, or a location or contact card (no file)'),
        422: error("This platform's media cannot be downloaded"),
        502: error('The platform did not give the file'),
        503: error('The platform did not give the file this time: try again later'),
      },
    },
    async (ctx, { params: { id, index }, req, res }) => {
      const message = await ctx.ds.getRepository(Message).findOneBy({ id });
      if (!message) throw new HttpError(404, 'message not found');
      await ctx.conversations.get(sessionOf(req).viewer, message.conversationId);
      const attachment = message.attachments[index];
      if (!attachment) throw new HttpError(404, 'no such attachment');

      let data: Buffer | null;
      if (attachment.uploadId) data = await ctx.uploads.get(attachment.uploadId);
      else if (attachment.mediaRef) data = await fetchMedia(ctx, message.channelId, attachment.mediaRef);
      else throw new HttpError(404, 'this attachment has no file (a location or a contact card)');
      if (!data) throw new HttpError(404, 'the file is no longer stored');
      sendStoredFile(res, { data, contentType: attachment.mimeType, fileName: attachment.fileName ?? `attachment-${index}` });
      return SENT;
    },
  ),
];

/** Fetched once through the connector, then served from the local cache. */
async function fetchMedia(ctx: HttpContext, channelId: string, mediaRef: string): Promise<Buffer> {
  const key = mediaCacheKey(channelId, mediaRef);
  const cached = await ctx.mediaCache.get(key);
  if (cached) return cached;
  const channel = await ctx.ds.getRepository(Channel).findOneByOrFail({ id: channelId });
  const connector = ctx.channels.connectorFor(channel);
  if (!connector.downloadMedia) throw new HttpError(422, `${channel.type} media cannot be downloaded`);
  try {
    const media = await connector.downloadMedia(mediaRef);
    await ctx.mediaCache.put(key, media.data);
    return media.data;
  } catch (err) {
    if (err instanceof ConnectorError) throw new HttpError(err.retryable ? 503 : 502, `the platform did not give the file: ${err.message}`);
    throw err;
  }
}
