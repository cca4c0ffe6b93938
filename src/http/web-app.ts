import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/**
 * Where `vite build` put the agent app (web/vite.config.ts: dist/web). Compiled, this file is
 * dist/src/http/web-app.js (the app is ../../web); under ts-jest it is src/http/web-app.ts (../../dist/web).
 * The Vite manifest marks a build, as opposed to web/'s sources.
 */
export function findWebAppDir(): string | null {
  for (const dir of [resolve(__dirname, '../../web'), resolve(__dirname, '../../dist/web')]) {
    if (existsSync(join(dir, '.vite', 'manifest.json')) && existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/** Paths that belong to the API, the platforms or socket.io: never answered with the app's page. */
const NOT_THE_APP = /^\/(api|webhooks|socket\.io|media|sandbox)(\/|$)/;

/**
 * The built agent app: hashed assets cached for a year (a new build has new names), and index.html, never
 * cached, for any other GET that is not the API's, so that the app's own routes (/conversations/…) load on a
 * reload. Without a build (a server started before `npm run build`), it serves nothing.
 */
export function webApp(dir: string | null = findWebAppDir()): Router {
  const router = Router();
  if (!dir) return router;
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  const indexHtml = join(dir, 'index.html');
  router.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
