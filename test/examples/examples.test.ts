import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { validatePackagedConfig } from '../../build/validatePackagedConfig';
import { parseConfig } from '../../lib/config/parseConfig';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';

/**
 * Every configuration in `examples/` is what the README tells a new user to copy: each must pass the
 * JSON Schema (what an editor checks) and the parsers every function runs at cold start (what the
 * build checks with DMS_TASKS_PACKAGE_CONFIG), as it is, with no placeholder left to fill in.
 */

const dir = join(__dirname, '../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const schema: unknown = JSON.parse(readFileSync(join(__dirname, '../../schema/config.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(typeof schema === 'object' && schema !== null ? schema : {});
const FUNCTIONS = ['list', 'show', 'ops', 'notify-on-failure'];

function read(file: string): { text: string; doc: unknown } {
  const text = readFileSync(join(dir, file), 'utf8');
  return { text, doc: JSON.parse(text) };
}

describe('examples/', () => {
  it('holds the three documented cases, and a README naming each file', () => {
    expect(files.sort()).toEqual([
      'aws-slack-webhook.json',
      'discovery-smn-pagerduty.json',
      'functiongraph-csms-dcs.json',
    ]);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const f of files) expect(readme).toContain(f);
  });

  for (const file of files) {
    describe(file, () => {
      it('passes the JSON Schema', () => {
        const { doc } = read(file);
        expect(validate(doc) ? '' : ajv.errorsText(validate.errors)).toBe('');
      });

      it('passes the parsers of every function, as the packaged-config check runs them', () => {
        const { text } = read(file);
        for (const fn of FUNCTIONS) expect(() => validatePackagedConfig(text, fn, {}), fn).not.toThrow();
      });

      it('points its $schema at the schema file, relative to examples/', () => {
        const { doc } = read(file);
        expect(doc).toMatchObject({ $schema: '../schema/config.schema.json' });
      });
    });
  }

  it('the FunctionGraph example signs with the agency and keeps state in DCS', () => {
    const app = parseConfig(read('functiongraph-csms-dcs.json').doc);
    expect(app.credentials.source).toBe('functiongraph');
    expect(parseNotifyConfig(app, {}).store.type).toBe('redis');
  });

  it('the discovery example discovers in two projects and routes to SMN and PagerDuty', () => {
    const app = parseConfig(read('discovery-smn-pagerduty.json').doc);
    expect(app.projects.size).toBe(2);
    const types = [...parseNotifyConfig(app, { NOTIFY_TABLE: 'dtf-prod' }).destinations.values()].map((d) => d.type);
    expect(types.sort()).toEqual(['pagerduty', 'smn']);
  });

  it('the AWS example sends to a signed webhook and Slack, under the 4 KB Lambda environment', () => {
    const { text, doc } = read('aws-slack-webhook.json');
    const types = [...parseNotifyConfig(parseConfig(doc), { NOTIFY_TABLE: 'dtf-prod' }).destinations.values()].map(
      (d) => d.type,
    );
    expect(types.sort()).toEqual(['slack', 'webhook']);
    expect(JSON.stringify(JSON.parse(text)).length).toBeLessThan(4096);
  });
});
