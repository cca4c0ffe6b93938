import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { ConnectorError } from '../../../connectors/contract';
import { Channel, Message, Upload } from '../../database/entities';
import { mediaCacheKey, sha256 } from '../../media/upload-store';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { parse } from '../validate';

const uploadQuery = z.object({ filename: z.string().trim().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name, not a path') });
const attachmentParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(50) });

/**
 * Uploads (the bytes of a reply's attachment: raw body, Content-Type, ?filename=) and downloads of customer
 * media through the connector, so platform file URLs and bot tokens never reach the browser.
 */
export function mediaRoutes(ctx: AppContext): Router {
  const r = Router();

  r.post('/uploads', express.raw({ type: () => true, limit: ctx.config.maxUploadBytes }), async (req, res) => {
    const { filename } = parse(uploadQuery, req.query);
    const body = req.body as Buffer;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'the upload is empty: send the file as the request body');
    const mimeType = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim();
    const repo = ctx.ds.getRepository(Upload);
    const upload = repo.create({ agentId: sessionOf(req).agent.id, fileName: filename, mimeType, size: body.length, sha256: sha256(body) });
    await repo.save(upload);
    await ctx.uploads.put(upload.id, body);
    res.status(201).json({ upload: { id: upload.id, fileName: upload.fileName, mimeType, size: upload.size } });
  });

  r.get('/messages/:id/attachments/:index', async (req, res) => {
    const { id, index } = parse(attachmentParams, req.params);
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
    res.setHeader('content-type', attachment.mimeType ?? 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="${(attachment.fileName ?? `attachment-${index}`).replace(/["\r\n]/g, '')}"`);
    res.send(data);
  });
  return r;
}

/** Fetched once through the connector, then served from the local cache. */
async function fetchMedia(ctx: AppContext, channelId: string, mediaRef: string): Promise<Buffer> {
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
