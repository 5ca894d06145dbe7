/**
 * Records the schemas of the resources and data sources the FunctionGraph module uses from the
 * huaweicloud Terraform provider's Go source at a tag, without network or Go toolchain:
 *
 *   node --import tsx scripts/evidence/record-provider-schema.ts <provider checkout or git dir> <tag>
 *
 * The tag is the version `deploy/functiongraph/versions.tf` pins (`v1.97.1`). The resource types are
 * those the module's .tf files declare. Writes `evidence/terraform-provider-schema.json`: per type its
 * arguments (name, type, required/optional/computed, nested blocks) with the tag and its commit.
 * test/deploy/providerSchema.test.ts checks the module against it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Attribute, closing, type GoFiles, resourceSchema, topLevelParts } from './goSchema';

const ROOT = resolve(__dirname, '..', '..');
const MODULE_DIR = join(ROOT, 'deploy', 'functiongraph');
export const PROVIDER_SCHEMA_JSON = join(ROOT, 'evidence', 'terraform-provider-schema.json');

export interface ProviderSchemaRecord {
  readonly source: {
    readonly repository: 'huaweicloud/terraform-provider-huaweicloud';
    readonly tag: string;
    readonly commit: string;
    readonly recordedBy: 'scripts/evidence/record-provider-schema.ts';
  };
  readonly resources: Record<string, { readonly function: string; readonly attributes: Record<string, Attribute> }>;
  readonly dataSources: Record<string, { readonly function: string; readonly attributes: Record<string, Attribute> }>;
}

/** The `resource` and `data` types the module's .tf files declare. */
export function moduleTypes(dir: string = MODULE_DIR): { resources: string[]; dataSources: string[] } {
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const of = (kind: string) =>
    [
      ...new Set([...text.matchAll(new RegExp(`^${kind} "(huaweicloud_[a-z0-9_]+)"`, 'gm'))].map((m) => m[1] ?? '')),
    ].sort();
  return { resources: of('resource'), dataSources: of('data') };
}

/** `"huaweicloud_x": pkg.Func(),` entries of the provider's map named `mapName` (`ResourcesMap`, `DataSourcesMap`). */
function registrations(provider: string, mapName: string): Map<string, string> {
  const at = provider.indexOf(`${mapName}: map[string]*schema.Resource{`);
  if (at < 0) throw new Error(`provider.go: no ${mapName}`);
  const open = provider.indexOf('{', at);
  const out = new Map<string, string>();
  for (const part of topLevelParts(provider.slice(open + 1, closing(provider, open) - 1))) {
    const m = /^"([a-z0-9_]+)"\s*:\s*([a-z0-9]+\.[A-Za-z0-9_]+\(\))$/.exec(part);
    if (m?.[1] && m[2]) out.set(m[1], m[2]);
  }
  return out;
}

function main(): void {
  const [checkout, tag] = process.argv.slice(2);
  if (!checkout || !tag) throw new Error('usage: record-provider-schema.ts <provider checkout or git dir> <tag>');
  const gitDir = existsSync(join(checkout, '.git')) ? join(checkout, '.git') : checkout;
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const commit = git('rev-parse', `${tag}^{commit}`).trim();
  const provider = git('show', `${tag}:huaweicloud/provider.go`);
  const types = moduleTypes();
  const wanted = {
    resources: registrations(provider, 'ResourcesMap'),
    dataSources: registrations(provider, 'DataSourcesMap'),
  };
  const calls = [
    ...types.resources.map((t) => wanted.resources.get(t) ?? ''),
    ...types.dataSources.map((t) => wanted.dataSources.get(t) ?? ''),
  ];
  const packages = [...new Set(calls.map((c) => c.split('.')[0] ?? ''))].filter((p) => p !== '');
  const dirs = [...packages.map((p) => `huaweicloud/services/${p}`), 'huaweicloud/common'];
  const files = new Map<string, string>();
  for (const path of git('ls-tree', '-r', '--name-only', tag, ...dirs).split('\n')) {
    if (path.endsWith('.go') && !path.endsWith('_test.go')) files.set(path, git('show', `${tag}:${path}`));
  }
  const read = (kind: 'resources' | 'dataSources') =>
    Object.fromEntries(
      types[kind].map((type) => {
        const call = wanted[kind].get(type);
        if (!call) throw new Error(`${type}: not registered in provider.go ${kind} at ${tag}`);
        const [pkg = '', fn = ''] = call.split('.');
        const attributes = resourceSchema(files as GoFiles, `huaweicloud/services/${pkg}`, fn);
        if (!attributes) throw new Error(`${type}: cannot read the schema of ${call}`);
        return [type, { function: call, attributes }];
      }),
    );
  const record: ProviderSchemaRecord = {
    source: {
      repository: 'huaweicloud/terraform-provider-huaweicloud',
      tag,
      commit,
      recordedBy: 'scripts/evidence/record-provider-schema.ts',
    },
    resources: read('resources'),
    dataSources: read('dataSources'),
  };
  writeFileSync(PROVIDER_SCHEMA_JSON, `${JSON.stringify(record, null, 2)}\n`);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', PROVIDER_SCHEMA_JSON]);
  const unresolved = JSON.stringify(record).match(/"unresolved"/g)?.length ?? 0;
  console.log(
    `provider ${tag} @ ${commit}: ${types.resources.length} resources, ${types.dataSources.length} data sources` +
      ` (${unresolved} expressions left unresolved)`,
  );
}

if (require.main === module) main();
