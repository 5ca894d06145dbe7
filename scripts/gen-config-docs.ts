import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDocs } from './renderConfigDocs';

/**
 * Writes docs/configuration.md from the JSON Schema's titles and descriptions
 * (`node --import tsx scripts/gen-config-docs.ts`). Run it after changing schema/config.schema.json;
 * test/docs/configDocs.test.ts fails while the committed page is stale.
 */
const root = join(__dirname, '..');
const schema: unknown = JSON.parse(readFileSync(join(root, 'schema/config.schema.json'), 'utf8'));
const out = join(root, 'docs/configuration.md');
writeFileSync(out, renderConfigDocs(schema));
console.log(`wrote ${out}`);
