import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Attribute, type GoFiles, resourceSchema } from '../../scripts/evidence/goSchema';
import { moduleTypes, type ProviderSchemaRecord } from '../../scripts/evidence/record-provider-schema';

/*
 * The FunctionGraph module held to the huaweicloud provider's own schema, recorded from its Go source at
 * the tag versions.tf pins (scripts/evidence/record-provider-schema.ts): every argument the module sets
 * exists there with a value of the right type, no computed-only attribute is set, and every required
 * argument (in nested blocks too) is set.
 */

const ROOT = resolve(__dirname, '..', '..');
const MODULE_DIR = join(ROOT, 'deploy', 'functiongraph');
const RECORD = JSON.parse(
  readFileSync(join(ROOT, 'evidence', 'terraform-provider-schema.json'), 'utf8'),
) as ProviderSchemaRecord;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
const { parse } = require('@cdktf/hcl2json') as { parse: (file: string, text: string) => Promise<Obj> };
const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Terraform's own arguments of every resource and data block, not the provider's. */
const META = new Set(['for_each', 'count', 'depends_on', 'lifecycle', 'provider', 'dynamic']);

type Files = Record<string, string>;
const moduleFiles = (): Files =>
  Object.fromEntries(
    readdirSync(MODULE_DIR)
      .filter((f) => f.endsWith('.tf'))
      .map((f) => [f, readFileSync(join(MODULE_DIR, f), 'utf8')]),
  );

/** Every `resource` and `data` block of the module: [kind, type, name, body]. */
async function blocks(files: Files): Promise<[kind: 'resources' | 'dataSources', string, string, Obj][]> {
  const out: [kind: 'resources' | 'dataSources', string, string, Obj][] = [];
  for (const [file, text] of Object.entries(files)) {
    const doc = await parse(file, text);
    for (const [key, kind] of [
      ['resource', 'resources'],
      ['data', 'dataSources'],
    ] as const) {
      for (const [type, byName] of Object.entries(isObj(doc[key]) ? doc[key] : {})) {
        for (const [name, list] of Object.entries(isObj(byName) ? byName : {})) {
          for (const body of Array.isArray(list) ? list : []) if (isObj(body)) out.push([kind, type, name, body]);
        }
      }
    }
  }
  return out;
}

const isExpression = (v: Json): boolean => typeof v === 'string' && v.includes('${');

/** Whether a literal value fits the attribute's type (an expression is left to Terraform). */
function fits(attr: Attribute, v: Json): boolean {
  if (isExpression(v)) return true;
  switch (attr.type) {
    case 'string':
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    case 'int':
    case 'float':
      return typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
    case 'bool':
      return typeof v === 'boolean' || v === 'true' || v === 'false';
    case 'list':
    case 'set':
      return Array.isArray(v);
    case 'map':
      return isObj(v);
    default:
      return false;
  }
}

/** The problems of one block body against its schema, with `where` naming the place. */
function checkBody(where: string, schema: Record<string, Attribute>, body: Obj): string[] {
  const problems: string[] = [];
  const dynamic = isObj(body.dynamic) ? body.dynamic : {};
  const set = new Set([...Object.keys(body).filter((k) => !META.has(k)), ...Object.keys(dynamic)]);
  for (const name of set) {
    const attr = schema[name];
    if (!attr) {
      problems.push(`${where}.${name}: no such argument`);
      continue;
    }
    if (attr.computed && !attr.optional && !attr.required) problems.push(`${where}.${name}: computed only`);
    if (name in dynamic) {
      const content = (Array.isArray(dynamic[name]) ? dynamic[name] : []).flatMap((d) =>
        isObj(d) && Array.isArray(d.content) ? d.content : [],
      );
      if (!attr.block) problems.push(`${where}.${name}: dynamic, but not a block`);
      for (const c of content)
        if (isObj(c) && attr.block) problems.push(...checkBody(`${where}.${name}`, attr.block, c));
      continue;
    }
    const v = body[name] ?? null;
    if (attr.block) {
      const items = Array.isArray(v) ? v : [];
      if (!Array.isArray(v) || !items.every(isObj))
        problems.push(`${where}.${name}: a block, given ${JSON.stringify(v)}`);
      if (attr.maxItems !== undefined && items.length > attr.maxItems) {
        problems.push(`${where}.${name}: ${items.length} blocks, at most ${attr.maxItems}`);
      }
      for (const item of items) if (isObj(item)) problems.push(...checkBody(`${where}.${name}`, attr.block, item));
    } else if (!fits(attr, v)) {
      problems.push(`${where}.${name}: a ${attr.type}, given ${JSON.stringify(v)}`);
    }
  }
  for (const [name, attr] of Object.entries(schema)) {
    if (attr.required && !set.has(name)) problems.push(`${where}.${name}: required, not set`);
  }
  return problems;
}

async function check(files: Files): Promise<string[]> {
  const problems: string[] = [];
  for (const [kind, type, name, body] of await blocks(files)) {
    const schema = RECORD[kind][type]?.attributes;
    if (!schema) problems.push(`${type}: not in the recorded ${kind}`);
    else problems.push(...checkBody(`${kind === 'dataSources' ? 'data.' : ''}${type}.${name}`, schema, body));
  }
  return problems;
}

function broken(file: string, from: string | RegExp, to: string): Files {
  const files = moduleFiles();
  const text = files[file] ?? '';
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: ${from} not found`);
  return { ...files, [file]: changed };
}

describe("deploy/functiongraph against the provider's schema (evidence/terraform-provider-schema.json)", () => {
  it('was recorded at the version versions.tf pins, from its tag and commit, for every type the module uses', () => {
    const pin = /version\s*=\s*"~> (\d+)\.(\d+)"/.exec(moduleFiles()['versions.tf'] ?? '');
    const tag = /^v(\d+)\.(\d+)\.(\d+)$/.exec(RECORD.source.tag);
    expect(pin && tag && [pin[1], pin[2]]).toEqual(tag && [tag[1], tag[2]]);
    expect(RECORD.source.commit).toMatch(/^[0-9a-f]{40}$/);
    const types = moduleTypes();
    expect(Object.keys(RECORD.resources).sort()).toEqual(types.resources);
    expect(Object.keys(RECORD.dataSources).sort()).toEqual(types.dataSources);
    expect(JSON.stringify(RECORD)).not.toContain('"unresolved"');
  });

  it('sets only arguments the provider has, with values of their types, and every required one', async () => {
    expect(await check(moduleFiles())).toEqual([]);
  });

  it.each([
    [
      'an argument the provider lacks',
      () => broken('main.tf', 'enable_lts_log = true', 'enable_lts_logs = true'),
      /no such argument/,
    ],
    ['a string where a bool goes', () => broken('main.tf', 'enable_lts_log = true', 'enable_lts_log = [1]'), /a bool/],
    [
      'a required argument missing',
      () => broken('main.tf', /\n\s*request_protocol = "HTTPS"/, ''),
      /request_protocol: required/,
    ],
    [
      'a required argument of a nested block',
      () => broken('main.tf', /\n\s*project = var\.region/, ''),
      /project_role\.project: required/,
    ],
    [
      'a computed-only attribute set',
      () => broken('main.tf', 'app         = var.app', 'app = var.app\n  urn = "x"'),
      /urn: computed only/,
    ],
    [
      'an unknown argument in a dynamic block',
      () => broken('main.tf', 'location = "QUERY"', 'locations = "QUERY"'),
      /request_params\.locations/,
    ],
  ])('finds %s', async (_what, files, problem) => {
    expect((await check(files())).join('\n')).toMatch(problem);
  });
});

describe('reading a schema from Go source (scripts/evidence/goSchema.ts)', () => {
  const files: GoFiles = new Map([
    [
      'huaweicloud/services/x/resource_x.go',
      [
        'package x',
        'func ResourceX() *schema.Resource {',
        '\treturn &schema.Resource{',
        '\t\tSchema: map[string]*schema.Schema{',
        '\t\t\t"name": {Type: schema.TypeString, Required: true, Description: `a {brace}, "quoted"`},',
        '\t\t\t// "commented": {Type: schema.TypeBool},',
        '\t\t\t"urn": {Type: schema.TypeString, Computed: true},',
        '\t\t\t"ids": {Type: schema.TypeList, Optional: true, Elem: &schema.Schema{Type: schema.TypeInt}},',
        '\t\t\t"rule": {Type: schema.TypeList, Optional: true, MaxItems: 1, Elem: ruleSchema()},',
        '\t\t\t"tags": common.TagsSchema(`x`),',
        '\t\t},',
        '\t}',
        '}',
        'func ruleSchema() *schema.Resource {',
        '\treturn &schema.Resource{Schema: map[string]*schema.Schema{"on": {Type: schema.TypeBool, Required: true}}}',
        '}',
      ].join('\n'),
    ],
    [
      'huaweicloud/common/schema.go',
      [
        'package common',
        'func TagsSchema(d ...string) *schema.Schema {',
        '\ts := schema.Schema{Type: schema.TypeMap, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}}',
        '\treturn &s',
        '}',
      ].join('\n'),
    ],
  ]);

  it('reads names, types, flags, element types, nested blocks and helpers, and skips comments', () => {
    expect(resourceSchema(files, 'huaweicloud/services/x', 'ResourceX()')).toEqual({
      ids: { type: 'list', optional: true, elem: 'int' },
      name: { type: 'string', required: true },
      rule: { type: 'list', optional: true, maxItems: 1, block: { on: { type: 'bool', required: true } } },
      tags: { type: 'map', optional: true, elem: 'string' },
      urn: { type: 'string', computed: true },
    });
  });
});
