import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { createChannelSchema } from '../../channels/channel.service';
import { sessionCommandChannel, sessionStateKey } from '../../channels/whatsapp-web.runtime';
import { ConnectorError } from '../../../connectors/contract';
import { channelView } from '../../inbox/serializers';
import { HttpError } from '../errors';
import { requireAdmin } from '../middleware/auth';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

export function channelRoutes(ctx: AppContext): Router {
  const r = Router();
  const view = (c: Parameters<typeof channelView>[0]) => ({
    ...channelView(c, ctx.config.publicUrl),
    capabilities: ctx.channels.definition(c.type).capabilities,
  });

  r.get('/channels', async (_req, res) => {
    res.json({ channels: (await ctx.channels.list()).map(view) });
  });
  r.get('/channels/:id', async (req, res) => {
    res.json({ channel: view(await ctx.channels.get(parse(idParam, req.params).id)) });
  });
  r.post('/channels', requireAdmin, async (req, res) => {
    const { channel, generated } = await ctx.channels.create(parse(createChannelSchema, req.body));
    ctx.logger.info({ channelId: channel.id, type: channel.type }, 'channel created');
    // Shown this once (like an API key): the admin may need them in the platform's dashboard.
    res.status(201).json({ channel: view(channel), generatedCredentials: generated });
  });
  r.delete('/channels/:id', requireAdmin, async (req, res) => {
    await ctx.channels.remove(parse(idParam, req.params).id);
    res.status(204).end();
  });
  /** An explicit admin action: tell the platform to deliver to this channel's webhook URL. */
  r.post('/channels/:id/register-webhook', requireAdmin, async (req, res) => {
    const channel = await ctx.channels.get(parse(idParam, req.params).id);
    const connector = ctx.channels.connectorFor(channel);
    if (!connector.registerWebhook) throw new HttpError(422, `${channel.type} webhooks are configured on the platform's side: see the connector README`);
    const url = `${ctx.config.publicUrl}/webhooks/${channel.webhookId}`;
    try {
      await connector.registerWebhook(url);
    } catch (err) {
      if (err instanceof ConnectorError) throw new HttpError(502, `the platform refused: ${err.message}`);
      throw err;
    }
    res.json({ webhookUrl: url, registered: true });
  });

  /** WhatsApp Web: the session's state (pairing with the QR code to scan, ready, disconnected with the reason). */
  r.get('/channels/:id/session', requireAdmin, async (req, res) => {
    const channel = await ctx.channels.get(parse(idParam, req.params).id);
    if (channel.type !== 'whatsapp_web') throw new HttpError(422, 'only WhatsApp Web channels have a session');
    const raw = await ctx.redis.get(sessionStateKey(ctx.config.redisPrefix, channel.id));
    res.json({ session: raw ? JSON.parse(raw) : { status: 'starting' } });
  });
  /** WhatsApp Web: start the session again, e.g. to show a new QR code after the phone unlinked it. */
  r.post('/channels/:id/session/restart', requireAdmin, async (req, res) => {
    const channel = await ctx.channels.get(parse(idParam, req.params).id);
    if (channel.type !== 'whatsapp_web') throw new HttpError(422, 'only WhatsApp Web channels have a session');
    await ctx.redis.publish(sessionCommandChannel(ctx.config.redisPrefix), JSON.stringify({ action: 'restart', channelId: channel.id }));
    res.status(202).json({ restarting: true });
  });
  return r;
}
