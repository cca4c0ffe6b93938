/**
 * Writes the API's OpenAPI document (the same one GET /api/v1/openapi.json serves) to a file, without a
 * server or a database. Run from the build: `npm run api:types` builds, then runs dist/scripts/write-openapi-document.js.
 * (Node 20 cannot run TypeScript itself, and the build is what production runs, so this is the same code.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from '../src/http/api-routes';

const out = process.argv[2];
if (!out) {
  console.error('usage: node dist/scripts/write-openapi-document.js <file.json>');
  process.exit(2);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${out}`);
