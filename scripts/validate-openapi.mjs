// Checks an OpenAPI document against the OpenAPI 3.1 schema: `node scripts/validate-openapi.mjs <file.json>`,
// or the document on stdin with `-`. Plain ESM (the validator is an ES module), so the Jest suite runs it
// in a child process (test/integration/openapi-document.test.ts) and `npm run api:types` after generating.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/validate-openapi.mjs <file.json | ->');
  process.exit(2);
}
const document = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8'));
const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
if (validator.version !== '3.1') {
  console.error(`expected an OpenAPI 3.1 document, got ${validator.version}`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version} document`);
