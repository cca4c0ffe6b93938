import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet): nosniff, no framing, no referrer, the Content-Security-Policy
 * below, and HSTS when Parley is reached over HTTPS.
 *
 * The policy is the one the web app (a Vite-built SPA served from this origin, talking to /api/v1 and socket.io
 * on the same origin) works with: its own scripts and styles only, images and media also from data:/blob: URLs
 * (previews of attachments fetched with the token), nothing framing it, no plugins. The API reference page
 * (Swagger UI 5.17) works under it too: its initializer is a file, and it sets styles through the DOM, which a
 * style-src without 'unsafe-inline' allows (checked in Chromium: no violation while it renders and expands).
 */
export interface SecurityHeadersOptions {
  publicUrl: string;
  /** The browser origins Parley is served at: socket.io's WebSocket URLs are allowed for each. */
  allowedOrigins: readonly string[];
}

const BASE_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'font-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

export function securityHeaders(options: SecurityHeadersOptions): RequestHandler {
  const https = new URL(options.publicUrl).protocol === 'https:';
  // 'self' covers ws(s): on the same host in CSP Level 3 browsers; older ones (Safari < 15.4) need them named.
  const sockets = options.allowedOrigins.map((o) => o.replace(/^http/, 'ws'));
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...BASE_DIRECTIVES, 'connect-src': ["'self'", ...sockets], ...(https ? { 'upgrade-insecure-requests': [] } : {}) },
    },
    // Only over HTTPS: a browser that saw HSTS on http://localhost would refuse plain HTTP to it for a year.
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** Files served to a browser (downloads, signed media links) run nothing, even when opened directly. */
export const MEDIA_CSP = "default-src 'none'; sandbox";
