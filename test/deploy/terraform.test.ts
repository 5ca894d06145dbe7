import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../bench/bundles';
import {
  FUNCTIONGRAPH_HANDLER,
  FUNCTIONGRAPH_OUT_DIR,
  FUNCTIONGRAPH_RUNTIME,
  functiongraphZipName,
} from '../../build/functiongraphLayout';

const ROOT_DIR = resolve(__dirname, '..', '..');

/*
 * No Terraform binary is reachable here, so this checks what HashiCorp's own HCL parser
 * (@cdktf/hcl2json) can: the module parses, and what it names agrees with the packaging layout, the
 * OpenAPI contract and its README. Each check is a function returning problems, and is also run on
 * broken copies of the module, so a check that cannot fail would fail here.
 */

const ROOT = ROOT_DIR;
const MODULE_DIR = join(ROOT, 'deploy', 'functiongraph');

/** The agency's actions, exactly: adding one is a conscious change here and in the module's README. */
const LEAST_ACTIONS = {
  always: ['dms:instance:getBackgroundTask', 'csms:secretVersion:get', 'kms:dek:decrypt', 'kms:cmk:decryptDataKey'],
  discovery: ['dms:instance:list'],
  smn: ['smn:topic:publish', 'smn:topic:list'],
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Huawei's permission names with the model that accepts each and its page (the witness, not our picture). */
interface PermissionRow {
  readonly action: string;
  readonly models: readonly ('role' | 'identity-policy')[];
  readonly page: string;
}
const PERMISSIONS = (
  JSON.parse(readFileSync(join(ROOT_DIR, 'evidence', 'huawei-permissions.json'), 'utf8')) as {
    actions: PermissionRow[];
  }
).actions;
type Obj = { [key: string]: Json };
type Files = Record<string, string>;

const { parse } = require('@cdktf/hcl2json') as { parse: (file: string, text: string) => Promise<Obj> };

function moduleFiles(): Files {
  const names = readdirSync(MODULE_DIR).filter((f) => f.endsWith('.tf') || f === 'README.md');
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(MODULE_DIR, f), 'utf8')]));
}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every .tf file parsed, their top-level blocks merged (`locals` blocks into one object). */
interface Module {
  readonly resources: Record<string, Record<string, Obj[]>>;
  readonly locals: Obj;
  readonly variables: Record<string, Obj>;
  readonly outputs: Record<string, Obj>;
  readonly terraform: Obj[];
  readonly readme: string;
}

async function loadModule(files: Files): Promise<Module> {
  const resources: Record<string, Record<string, Obj[]>> = {};
  const locals: Obj = {};
  const variables: Record<string, Obj> = {};
  const outputs: Record<string, Obj> = {};
  const terraform: Obj[] = [];
  for (const [name, text] of Object.entries(files)) {
    if (!name.endsWith('.tf')) continue;
    const doc = await parse(name, text);
    for (const [type, byName] of Object.entries(isObj(doc.resource) ? doc.resource : {})) {
      for (const [rname, blocks] of Object.entries(byName as Record<string, Obj[]>)) {
        resources[type] = { ...resources[type], [rname]: blocks };
      }
    }
    for (const block of (doc.locals ?? []) as Obj[]) Object.assign(locals, block);
    for (const [v, blocks] of Object.entries((doc.variable ?? {}) as Record<string, Obj[]>))
      variables[v] = blocks[0] ?? {};
    for (const [o, blocks] of Object.entries((doc.output ?? {}) as Record<string, Obj[]>)) outputs[o] = blocks[0] ?? {};
    terraform.push(...((doc.terraform ?? []) as Obj[]));
  }
  return { resources, locals, variables, outputs, terraform, readme: files['README.md'] ?? '' };
}

/** The one block of resource `type.name`, or undefined. */
function resource(m: Module, type: string, name: string): Obj | undefined {
  return m.resources[type]?.[name]?.[0];
}

/** The first backticked names of each row of the README table under `## heading`. */
function tableNames(readme: string, heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((x) => x[1] ?? ''));
}

/** An HCL interpolation as hcl2json writes it: `hcl('var.x')` is the text `${var.x}`. */
const hcl = (expr: string): string => `\${${expr}}`;

const squash = (s: Json | undefined): string => String(s).replace(/\s+/g, ' ');

/** Functions, handler, runtime and zips as the packager writes them. */
function checkFunctions(m: Module): string[] {
  const problems: string[] = [];
  const fns = m.resources.huaweicloud_fgs_function ?? {};
  if (Object.keys(fns).join() !== 'this') problems.push(`function resources: ${Object.keys(fns).join()}`);
  const fn = fns.this?.[0] ?? {};
  const table = isObj(m.locals.functions) ? m.locals.functions : {};
  if (fn.for_each !== hcl('local.functions')) problems.push(`for_each: ${fn.for_each}`);
  if (Object.keys(table).sort().join() !== [...FUNCTIONS].sort().join()) {
    problems.push(`functions: ${Object.keys(table).join()} (packaged: ${FUNCTIONS.join()})`);
  }
  if (fn.handler !== hcl('local.handler') || m.locals.handler !== FUNCTIONGRAPH_HANDLER) {
    problems.push(`handler: ${fn.handler} = ${m.locals.handler}`);
  }
  if (fn.runtime !== hcl('local.runtime') || m.locals.runtime !== FUNCTIONGRAPH_RUNTIME) {
    problems.push(`runtime: ${fn.runtime} = ${m.locals.runtime}`);
  }
  if (fn.code_type !== 'zip') problems.push(`code_type: ${fn.code_type}`);
  if (fn.agency !== hcl('huaweicloud_identity_agency.functions.name')) problems.push(`agency: ${fn.agency}`);
  const dir = /^\$\{var\.package_dir == null \? "\$\{path\.module\}\/([^"]+)" : var\.package_dir\}$/.exec(
    String(m.locals.package_dir),
  );
  if (!dir || resolve(MODULE_DIR, dir[1] ?? '') !== resolve(ROOT, FUNCTIONGRAPH_OUT_DIR)) {
    problems.push(`package_dir: ${m.locals.package_dir}`);
  }
  // The module's README says how many functions it deploys, and names each zip (issue 18 item 12).
  const count = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'][FUNCTIONS.length];
  if (!m.readme.includes(`Deploys the ${count} functions`))
    problems.push(`README: not "Deploys the ${count} functions"`);
  for (const name of FUNCTIONS) {
    if (!m.readme.includes(`\`${functiongraphZipName(name)}\``)) problems.push(`README: ${name}'s zip not named`);
    const code = String(fn.func_code).replaceAll(hcl('each.key'), name);
    if (code !== `\${filebase64("\${local.package_dir}/${functiongraphZipName(name)}")}`) {
      problems.push(`func_code of ${name}: ${code}`);
    }
    const file = String(fn.code_filename).replaceAll(hcl('each.key'), name);
    if (file !== functiongraphZipName(name)) problems.push(`code_filename of ${name}: ${file}`);
  }
  return problems;
}

interface Operation {
  readonly path: string;
  readonly query: string[];
}

/** The routes of the OpenAPI contract (`openapi/openapi.json`), each with its query parameters. */
function contractRoutes(): Operation[] {
  const api = JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  return Object.entries(api.paths).map(([path, item]) => ({
    path,
    query: Object.values(item)
      .flatMap((op) => op.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name),
  }));
}

/** A route as text, to compare sets of them. */
const routeKey = (r: { path?: Json; query?: Json }): string => `${r.path} ?${JSON.stringify(r.query)}`;

/** The notifier's TIMER, list and show behind API Gateway on the contract's routes. */
function checkTriggers(m: Module): string[] {
  const problems: string[] = [];
  const triggers = Object.values(m.resources.huaweicloud_fgs_function_trigger ?? {}).map((b) => b[0] ?? {});
  const timers = triggers.filter((t) => t.type === 'TIMER');
  if (
    timers.length !== 1 ||
    timers[0]?.function_urn !== hcl('huaweicloud_fgs_function.this["notify-on-failure"].urn')
  ) {
    problems.push(`TIMER triggers: ${timers.map((t) => t.function_urn).join()}`);
  }
  if (!/schedule_type\s*=\s*"Rate"/.test(String(timers[0]?.event_data))) problems.push('TIMER: no Rate schedule');
  const table = isObj(m.locals.functions) ? m.locals.functions : {};
  // The HTTP functions serve exactly the contract's routes, with its query parameters; list and show
  // the two task routes (the URL outputs name them); the notifier is not behind the gateway.
  // A Prefix function (`ops`) serves every contract route under its path, with their query parameters.
  const prefixes = Object.values(table).flatMap((f) => (isObj(f) && f.matching === 'Prefix' ? [String(f.path)] : []));
  const underPrefix = (path: string): boolean => prefixes.some((p) => path.startsWith(`${p}/`));
  const served = Object.values(table).flatMap((f) =>
    isObj(f) && f.path !== '' && f.matching !== 'Prefix' ? [routeKey(f)] : [],
  );
  const prefixQuery = Object.values(table).flatMap((f) =>
    isObj(f) && f.matching === 'Prefix' ? (f.query as string[]) : [],
  );
  // The fleet page's JSON (`/ops/v1/fleet.json`) is one of them: `ops` serves the page too.
  const all = contractRoutes();
  const contract = all.filter((r) => !underPrefix(r.path)).map(routeKey);
  const wantedQuery = [...new Set(all.filter((r) => underPrefix(r.path)).flatMap((r) => r.query))].sort();
  if ([...prefixQuery].sort().join() !== wantedQuery.join()) {
    problems.push(`prefix query parameters: ${prefixQuery.join()}; contract: ${wantedQuery.join()}`);
  }
  if (served.sort().join('\n') !== contract.sort().join('\n')) {
    problems.push(`routes: ${served.join(', ')}; contract: ${contract.join(', ')}`);
  }
  const pathOf = (name: string): Json | undefined => (isObj(table[name]) ? table[name].path : undefined);
  if (!String(pathOf('show')).endsWith('/tasks/{task_id}') || !String(pathOf('list')).endsWith('/tasks')) {
    problems.push(`list ${pathOf('list')}, show ${pathOf('show')}`);
  }
  if (pathOf('notify-on-failure') !== '') problems.push(`notifier path: ${pathOf('notify-on-failure')}`);
  if (squash(m.locals.http_functions) !== hcl('{ for name, f in local.functions : name => f if f.path != "" }')) {
    problems.push(`http_functions: ${m.locals.http_functions}`);
  }
  const api = resource(m, 'huaweicloud_apig_api', 'this') ?? {};
  const backend = ((api.func_graph ?? []) as Obj[])[0] ?? {};
  if (api.for_each !== hcl('local.http_functions') || api.request_path !== hcl('each.value.path')) {
    problems.push(`APIG api: for_each ${api.for_each}, path ${api.request_path}`);
  }
  if (backend.function_urn !== hcl('huaweicloud_fgs_function.this[each.key].urn')) {
    problems.push(`APIG backend: ${backend.function_urn}`);
  }
  // An output for the operator API and one for the fleet page it serves (issue 18 item 12).
  const ops = `${hcl('local.api_origin')}${hcl('local.functions.ops.path')}`;
  const outputs = { ops_url: ops, fleet_url: `${ops}/fleet` };
  for (const [name, value] of Object.entries(outputs)) {
    if (m.outputs[name]?.value !== value) problems.push(`output ${name}: ${m.outputs[name]?.value}`);
  }
  const published = resource(m, 'huaweicloud_apig_api_publishment', 'this') ?? {};
  if (
    published.for_each !== hcl('local.http_functions') ||
    published.api_id !== hcl('huaweicloud_apig_api.this[each.key].id')
  ) {
    problems.push(`APIG publishment: ${published.for_each} ${published.api_id}`);
  }
  // Republished when the API changes (issue 18 item 8): its description hashes the whole API resource,
  // and no version_id pins it (the provider republishes on a description change only without one).
  const republish = /\$\{sha256\(jsonencode\(huaweicloud_apig_api\.this\[each\.key\]\)\)\}/;
  if (!republish.test(String(published.description)) || 'version_id' in published) {
    problems.push(`APIG publishment not republished on change: description ${published.description}`);
  }
  return problems;
}

/** The agency trusts FunctionGraph and its policy allows exactly LEAST_ACTIONS. */
function checkAgency(m: Module): string[] {
  const problems: string[] = [];
  for (const [key, want] of Object.entries(LEAST_ACTIONS)) {
    const got = m.locals[`agency_actions_${key}`];
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`agency_actions_${key}: ${JSON.stringify(got)}`);
  }
  const combined = hcl(
    'concat( local.agency_actions_always, var.instance_discovery ? local.agency_actions_discovery : [], ' +
      'var.smn_publish ? local.agency_actions_smn : [], )',
  );
  if (squash(m.locals.agency_actions) !== combined) problems.push(`agency_actions: ${m.locals.agency_actions}`);
  const policy = squash(resource(m, 'huaweicloud_identity_role', 'agency')?.policy);
  const statements = policy.match(/Effect = "Allow" Action = ([^ }]+)/g) ?? [];
  if (statements.join() !== 'Effect = "Allow" Action = local.agency_actions' || /Deny|Resource/.test(policy)) {
    problems.push(`policy: ${policy}`);
  }
  if (Object.keys(m.resources.huaweicloud_identity_role ?? {}).length !== 1)
    problems.push('more than one custom policy');
  const agency = resource(m, 'huaweicloud_identity_agency', 'functions') ?? {};
  if (agency.delegated_service_name !== 'op_svc_cff') problems.push(`agency trusts ${agency.delegated_service_name}`);
  const roles = String(((agency.project_role ?? []) as Obj[])[0]?.roles);
  if (!roles.includes('huaweicloud_identity_role.agency.name')) problems.push(`agency roles: ${roles}`);
  return problems;
}

/**
 * Every action the agency's policy can grant is one Huawei names for the policy model the module uses:
 * a `huaweicloud_identity_role` with `Version = "1.1"` is role/policy-based (`role`), an IAM v5
 * `huaweicloud_identityv5_policy` is `identity-policy` (evidence/huawei-permissions.json).
 */
function checkActionNames(m: Module): string[] {
  const problems: string[] = [];
  const role = squash(resource(m, 'huaweicloud_identity_role', 'agency')?.policy);
  const v5 = Object.keys(m.resources.huaweicloud_identityv5_policy ?? {}).length > 0;
  const model = /Version = "1\.1"/.test(role) ? 'role' : v5 ? 'identity-policy' : undefined;
  if (!model) return [`policy model unknown: ${role}`];
  const granted = Object.entries(m.locals)
    .filter(([k]) => k.startsWith('agency_actions_'))
    .flatMap(([, v]) => (Array.isArray(v) ? v.map(String) : []));
  if (granted.length === 0) problems.push('no agency actions');
  for (const action of granted) {
    const row = PERMISSIONS.find((r) => r.action === action);
    if (!row) problems.push(`${action}: not in evidence/huawei-permissions.json`);
    else if (!row.models.includes(model))
      problems.push(`${action}: a ${row.models.join('/')} name, the policy is ${model}`);
  }
  return problems;
}

/** Every variable and output has a description and a row in the README's tables, and nothing more. */
function checkDocs(m: Module): string[] {
  const problems: string[] = [];
  for (const [kind, entries, heading] of [
    ['variable', m.variables, 'Variables'],
    ['output', m.outputs, 'Outputs'],
  ] as const) {
    for (const [name, block] of Object.entries(entries)) {
      if (typeof block.description !== 'string' || block.description.length < 10) {
        problems.push(`${kind} ${name}: no description`);
      }
    }
    const documented = tableNames(m.readme, heading).sort().join();
    if (documented !== Object.keys(entries).sort().join()) {
      problems.push(`${heading} table: ${documented} vs ${Object.keys(entries).sort().join()}`);
    }
  }
  return problems;
}

/** The provider is pinned, and the config the functions get signs with the agency's credentials. */
function checkProviderAndConfig(m: Module): string[] {
  const problems: string[] = [];
  const providers = m.terraform.flatMap((t) => (t.required_providers ?? []) as Obj[]);
  const hw = isObj(providers[0]?.huaweicloud) ? providers[0].huaweicloud : {};
  if (hw.source !== 'huaweicloud/huaweicloud' || !/^~> 1\.\d+$/.test(String(hw.version))) {
    problems.push(`provider: ${JSON.stringify(hw)}`);
  }
  if (!squash(m.locals.config_document).includes('{ credentials = { source = "functiongraph" } }')) {
    problems.push('config: credentials.source is not functiongraph');
  }
  if (!squash(m.locals.user_data).includes('{ DMS_TASKS_CONFIG = jsonencode(local.config_document) }')) {
    problems.push('user_data: no DMS_TASKS_CONFIG');
  }
  // The shapes of lib/config: a Redis store with a CSMS password reference, CSMS token references.
  const store = squash(m.locals.redis_store);
  if (!store.includes('{ type = "redis", host = var.dcs_host, port = var.dcs_port, tls = var.dcs_tls }')) {
    problems.push(`redis_store: ${store}`);
  }
  if (!store.includes('{ password = { csms = var.dcs_password_secret } }')) problems.push(`store password: ${store}`);
  if (!squash(m.locals.http_override).includes('{ tokens = [{ csms = var.api_tokens_secret }] }')) {
    problems.push(`http tokens: ${m.locals.http_override}`);
  }
  if (!squash(m.locals.notify_override).includes('{ store = local.redis_store }')) {
    problems.push(`notify store: ${m.locals.notify_override}`);
  }
  return problems;
}

const CHECKS = { checkFunctions, checkTriggers, checkAgency, checkActionNames, checkDocs, checkProviderAndConfig };

/** The module with one file's text replaced (the replacement must apply). */
function broken(file: string, from: string | RegExp, to: string): Files {
  const files = moduleFiles();
  const text = files[file] ?? '';
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${file}: ${from} not found`);
  return { ...files, [file]: changed };
}

/** The module with two names swapped in one file (both must occur). */
function swapped(file: string, a: string, b: string): Files {
  const files = moduleFiles();
  const text = files[file] ?? '';
  if (!text.includes(a) || !text.includes(b)) throw new Error(`${file}: ${a} or ${b} not found`);
  return { ...files, [file]: text.replaceAll(a, '\0').replaceAll(b, a).replaceAll('\0', b) };
}

describe('deploy/functiongraph (Terraform module)', () => {
  it('every .tf file parses, and a broken one does not', async () => {
    const files = moduleFiles();
    expect(Object.keys(files).sort()).toEqual(['README.md', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf']);
    for (const [name, text] of Object.entries(files))
      if (name.endsWith('.tf')) await expect(parse(name, text)).resolves.toBeTruthy();
    await expect(parse('bad.tf', 'resource "huaweicloud_fgs_function" "x" {\n')).rejects.toBeTruthy();
  });

  it.each(Object.keys(CHECKS))('%s: the module passes', async (check) => {
    const m = await loadModule(moduleFiles());
    expect(CHECKS[check as keyof typeof CHECKS](m)).toEqual([]);
  });

  const mutations: [keyof typeof CHECKS, string, Files | (() => Files)][] = [
    ['checkFunctions', 'a function missing', () => broken('main.tf', /\n {4}show {16}=.*\n/, '\n')],
    [
      'checkFunctions',
      'another handler',
      () => broken('main.tf', 'handler     = "index.handler"', 'handler = "main.handler"'),
    ],
    ['checkFunctions', 'another runtime', () => broken('main.tf', '"Node.js20.15"', '"Node.js18.15"')],
    ['checkFunctions', 'another zip', () => broken('main.tf', `/\${each.key}.zip")`, `/\${each.key}-fg.zip")`)],
    ['checkFunctions', 'another folder', () => broken('main.tf', '../../dist/functiongraph', '../../dist/fg')],
    [
      'checkFunctions',
      'a second function resource',
      () => broken('main.tf', /$/, '\nresource "huaweicloud_fgs_function" "x" {}\n'),
    ],
    [
      'checkFunctions',
      'a README counting three',
      () => broken('README.md', 'the four functions', 'the three functions'),
    ],
    [
      'checkTriggers',
      'a publishment that ignores API changes',
      () => broken('main.tf', /\n\s*description = "dms-task-functions \$\{sha256[^\n]*/, ''),
    ],
    [
      'checkTriggers',
      'a publishment hashing only the id',
      () =>
        broken('main.tf', 'jsonencode(huaweicloud_apig_api.this[each.key])', 'huaweicloud_apig_api.this[each.key].id'),
    ],
    ['checkTriggers', 'no fleet output', () => broken('outputs.tf', '.path}/fleet"', '.path}/fleet/"')],
    ['checkTriggers', 'no timer', () => broken('main.tf', 'type         = "TIMER"', 'type = "APIG"')],
    ['checkTriggers', 'a cron timer', () => broken('main.tf', 'schedule_type  = "Rate"', 'schedule_type = "Cron"')],
    ['checkTriggers', 'another route', () => broken('main.tf', '/tasks/{task_id}"', '/task/{task_id}"')],
    ['checkTriggers', 'a query parameter missing', () => broken('main.tf', ', "all"]', ']')],
    ['checkTriggers', 'the notifier behind the gateway', () => broken('main.tf', 'if f.path != ""', 'if true')],
    ['checkTriggers', 'list and show swapped', () => swapped('main.tf', '\n    list ', '\n    show ')],
    ['checkTriggers', 'a backend to one function', () => broken('main.tf', 'this[each.key].urn', 'this["list"].urn')],
    [
      'checkAgency',
      'an extra action',
      () => broken('main.tf', '"kms:cmk:decryptDataKey",\n  ]', '"kms:cmk:decryptDataKey", "dms:*"]'),
    ],
    [
      'checkActionNames',
      'the identity-policy name in a 1.1 role (issue 18 item 2)',
      () => broken('main.tf', '"csms:secretVersion:get"', '"csms:secret:getVersion"'),
    ],
    [
      'checkActionNames',
      'a name Huawei does not list',
      () => broken('main.tf', '"kms:dek:decrypt"', '"kms:dek:decryptx"'),
    ],
    ['checkActionNames', 'no policy version', () => broken('main.tf', 'Version = "1.1"', 'Version = "9"')],
    ['checkAgency', 'discovery always', () => broken('main.tf', 'var.instance_discovery ? ', 'true ? ')],
    [
      'checkAgency',
      'a second statement',
      () => broken('main.tf', '    }]\n  })', '    }, { Effect = "Allow"\n Action = ["*"] }]\n  })'),
    ],
    ['checkAgency', 'another trusted service', () => broken('main.tf', '"op_svc_cff"', '"op_svc_ecs"')],
    [
      'checkDocs',
      'an undocumented variable',
      () => broken('variables.tf', /$/, '\nvariable "extra" {\n  description = "An extra one."\n}\n'),
    ],
    ['checkDocs', 'a variable without description', () => broken('variables.tf', /description = "Memory[^\n]*/, '')],
    ['checkDocs', 'a row for nothing', () => broken('README.md', '| `tags` |', '| `tags`, `gone` |')],
    ['checkDocs', 'an undocumented output', () => broken('README.md', /\n\| `api_group_id` \|[^\n]*/, '')],
    ['checkProviderAndConfig', 'an unpinned provider', () => broken('versions.tf', /\n\s*version = "~> 1\.97"/, '')],
    [
      'checkProviderAndConfig',
      'AK/SK credentials',
      () => broken('main.tf', 'source = "functiongraph"', 'source = "references"'),
    ],
    [
      'checkProviderAndConfig',
      'a password in clear',
      () => broken('main.tf', '{ csms = var.dcs_password_secret }', 'var.x'),
    ],
    ['checkProviderAndConfig', 'no store', () => broken('main.tf', '{ store = local.redis_store }', '{}')],
  ];

  it.each(mutations)('%s finds %s', async (check, _what, files) => {
    const m = await loadModule(typeof files === 'function' ? files() : files);
    expect(CHECKS[check](m)).not.toEqual([]);
  });
});

describe('evidence/huawei-permissions.json (Huawei permission names, the page per row)', () => {
  it('names each action once, with the models that accept it and a Huawei page', () => {
    expect(new Set(PERMISSIONS.map((r) => r.action)).size).toBe(PERMISSIONS.length);
    for (const r of PERMISSIONS) {
      expect(r.action).toMatch(/^(dms|csms|kms|smn):[a-zA-Z]+:[a-zA-Z]+$/);
      expect(r.models.length, r.action).toBeGreaterThan(0);
      expect(r.page, r.action).toMatch(
        /^https:\/\/support\.huaweicloud\.com\/intl\/en-us\/(api|usermanual)-[a-z]+\/[\w.-]+\.html$/,
      );
    }
    // The pair behind issue 18 item 2: one CSMS read, two names, two models.
    const models = (a: string) => PERMISSIONS.find((r) => r.action === a)?.models;
    expect([models('csms:secret:getVersion'), models('csms:secretVersion:get')]).toEqual([
      ['identity-policy'],
      ['role'],
    ]);
  });
});

describe('terraform fmt', () => {
  /** `terraform` on PATH, or undefined (it cannot be installed from the registries here: REFERENCE.md). */
  const terraform = (() => {
    const found = spawnSync('terraform', ['version'], { encoding: 'utf8', timeout: 30_000 });
    return found.status === 0 ? 'terraform' : undefined;
  })();

  it('the module is formatted as `terraform fmt` writes it (checked where a terraform binary is on PATH)', () => {
    if (!terraform) {
      console.log('terraform fmt -check: skipped, no terraform binary on PATH');
      return;
    }
    const run = spawnSync(terraform, ['fmt', '-check', '-recursive', '-diff', MODULE_DIR], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, `terraform fmt -check:\n${run.stdout}${run.stderr}`).toBe(0);
    // And it does see a misformatted file: one copy of main.tf with its alignment broken.
    const dir = mkdtempSync(join(tmpdir(), 'dtf-tf-fmt-'));
    try {
      writeFileSync(join(dir, 'main.tf'), (moduleFiles()['main.tf'] ?? '').replace('handler     =', 'handler ='));
      expect(spawnSync(terraform, ['fmt', '-check', dir], { encoding: 'utf8', timeout: 60_000 }).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
