import { dirname, join } from 'node:path';
import type { RequestHandler } from 'express';

/**
 * The browsable API reference: Swagger UI from the swagger-ui-dist package, served from Parley's own origin
 * (no CDN), with its initializer as a file rather than an inline script so a `script-src 'self'` policy holds.
 * swagger-ui-dist is pinned to 5.17.14: later versions depend on @scarf/scarf, whose install script reports
 * installs to a third party (and Parley allows no install scripts; see the README).
 */
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui.css.map', 'swagger-ui-bundle.js', 'swagger-ui-bundle.js.map', 'favicon-32x32.png']);

// validatorUrl: null, or Swagger UI sends the document to validator.swagger.io for its badge.
const INITIALIZER = `// Parley's API reference: Swagger UI on the document this server generates (src/http/openapi/reference-page.ts).
(function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true, validatorUrl: null });
})();
`;

/** The page, for a reference mounted at `base` (e.g. /api/v1): its assets are under `${base}/docs/assets`. */
export function referencePageHtml(base: string): string {
  const assets = `${base}/docs/assets`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Parley API reference</title>
  <link rel="icon" type="image/png" href="${assets}/favicon-32x32.png">
  <link rel="stylesheet" href="${assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-spec-url="${base}/openapi.json"></div>
  <script src="${assets}/swagger-ui-bundle.js"></script>
  <script src="${assets}/init.js"></script>
</body>
</html>
`;
}

/** Serves the page's assets (mount at `/docs/assets`): the few Swagger UI files it uses, and the initializer. */
export function referencePageAssets(): RequestHandler {
  return (req, res, next) => {
    const name = req.path.slice(1);
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (name === 'init.js') {
      res.type('text/javascript').setHeader('cache-control', 'no-cache');
      res.send(INITIALIZER);
      return;
    }
    if (!ASSETS.has(name)) return next();
    res.sendFile(join(SWAGGER_UI_DIR, name), { maxAge: '1d' });
  };
}
