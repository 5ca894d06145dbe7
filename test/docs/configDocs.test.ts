import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../scripts/renderConfigDocs';

const root = join(__dirname, '../..');
const schema: unknown = JSON.parse(readFileSync(join(root, 'schema/config.schema.json'), 'utf8'));

describe('docs/configuration.md', () => {
  it('is what scripts/gen-config-docs.ts renders from the schema (run it after changing the schema)', () => {
    const committed = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
    expect(committed === renderConfigDocs(schema), 'stale: run node --import tsx scripts/gen-config-docs.ts').toBe(
      true,
    );
  });

  it('lists every setting of the schema, nested ones by their dotted path', () => {
    const page = renderConfigDocs(schema);
    for (const path of [
      '`requestsPerSecond`',
      '`credentials.source`',
      '`csms.projectId`',
      '`discover`',
      '`stuckAfterMinutes.tasks`',
      '`severity.failed`',
      '`tls.ca`',
      '`keyPrefix`',
      '`quietHours`',
      '`allowInsecureWebhooks`',
    ]) {
      expect(page).toContain(path);
    }
  });

  it('carries the descriptions, so a changed description changes the page', () => {
    const changed = structuredClone(schema);
    const page = renderConfigDocs(schema);
    expect(page).toContain('Timeout of one upstream attempt.');
    if (typeof changed === 'object' && changed !== null && 'properties' in changed) {
      const props = changed.properties;
      if (typeof props === 'object' && props !== null && 'timeoutMs' in props) {
        const t = props.timeoutMs;
        if (typeof t === 'object' && t !== null) Object.assign(t, { description: 'Something else.' });
      }
    }
    expect(renderConfigDocs(changed)).not.toContain('Timeout of one upstream attempt.');
    expect(renderConfigDocs(changed)).toContain('Something else.');
  });
});
