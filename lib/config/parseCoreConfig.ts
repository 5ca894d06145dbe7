import { isKnownRegion } from '../dms/endpoints';
import { DEFAULT_REQUESTS_PER_SECOND } from '../dms/requestBudget';
import {
  DEFAULT_OFFSET_BASE,
  DEFAULT_PAGE_SIZE,
  ENGINES,
  LIMIT_RANGE,
  OFFSET_PARAMS,
  type OffsetBase,
} from '../dms/types';
import { ID_PATTERN } from './constants';
import {
  fail,
  onlyKeys,
  readMember,
  readNumber,
  readObject,
  readOptionalObject,
  readOrigin,
  readSecretRef,
  readString,
  type RawSection,
} from './readers';
import {
  CREDENTIAL_SOURCES,
  csmsEndpointForRegion,
  DEFAULT_SECRETS_CACHE_SECONDS,
  REGION_NAME_PATTERN,
  SECRETS_CACHE_RANGE,
} from './secretSettings';
import type { CoreConfig, CoreInstance, CoreProject, CredentialsConfig, CsmsSettings, SecretRef } from './types';

/**
 * The settings of each level of the document: those the shared parser reads (`core`) and those that
 * belong to one function's own parser (`others`): `http` to `parseHttpConfig`, `notify` to
 * `parseNotifyConfig`, `discover` and `routes` to the notifier's `parseConfig`.
 */
export const CONFIG_KEYS = {
  root: {
    core: [
      '$schema',
      'region',
      'endpoint',
      'offsetParam',
      'offsetBase',
      'pageSize',
      'timeoutMs',
      'requestsPerSecond',
      'credentials',
      'csms',
      'secretsCacheSeconds',
      'projects',
    ],
    others: ['http', 'notify'],
  },
  project: { core: ['region', 'endpoint', 'instances'], others: ['discover'] },
  instance: { core: ['id', 'engine', 'name'], others: ['routes'] },
  credentials: { core: ['source', 'ak', 'sk', 'securityToken'], others: [] },
  csms: { core: ['projectId', 'region', 'endpoint'], others: [] },
} as const satisfies Record<string, { core: readonly string[]; others: readonly string[] }>;

function allowed(level: keyof typeof CONFIG_KEYS): string[] {
  return [...CONFIG_KEYS[level].core, ...CONFIG_KEYS[level].others];
}

/** A project's raw object: the string shorthand `"cn-north-4"` stands for `{ "region": "cn-north-4" }`. */
export function rawProject(v: unknown, path: string): RawSection {
  return typeof v === 'string' ? { region: v } : readObject(v, path);
}

/** The raw entries of `projects.{id}.instances` (an array; absent is none). */
export function rawInstances(project: RawSection, path: string): unknown[] {
  const instances = project.instances ?? [];
  if (!Array.isArray(instances)) fail(`${path}.instances`, 'must be an array');
  return instances;
}

function parseInstance(v: unknown, path: string): CoreInstance {
  const o = readObject(v, path);
  onlyKeys(o, path, allowed('instance'));
  const id = readString(o.id, `${path}.id`, ID_PATTERN);
  return {
    id,
    engine: readMember(o.engine, `${path}.engine`, ENGINES),
    name: o.name === undefined ? id : readString(o.name, `${path}.name`),
  };
}

function parseProject(projectId: string, v: unknown, path: string, defaultRegion: string | undefined): CoreProject {
  if (!ID_PATTERN.test(projectId)) fail(path, `project id "${projectId}" is not a valid id`);
  const o = rawProject(v, path);
  onlyKeys(o, path, allowed('project'));
  const region = o.region === undefined ? defaultRegion : readString(o.region, `${path}.region`);
  if (region === undefined) fail(`${path}.region`, 'is required (or set a top-level "region")');
  const instances = rawInstances(o, path).map((i, n) => parseInstance(i, `${path}.instances[${n}]`));
  const ids = new Set<string>();
  for (const [n, i] of instances.entries()) {
    if (ids.has(i.id)) fail(`${path}.instances[${n}].id`, `duplicate instance "${i.id}"`);
    ids.add(i.id);
    if (!isKnownRegion(region, i.engine)) fail(`${path}.region`, `"${region}" is not a DMS region for ${i.engine}`);
  }
  if (!isKnownRegion(region)) fail(`${path}.region`, `"${region}" is not a DMS region`);
  const endpoint = o.endpoint === undefined ? undefined : readOrigin(o.endpoint, `${path}.endpoint`);
  return { projectId, region, instances, endpoint };
}

/**
 * A credentials reference, or `{ env: fallback }` when not set. Not a CSMS secret: the CSMS read is
 * signed with these very credentials.
 */
function secretRefOr(v: unknown, path: string, fallback: string): SecretRef {
  const ref = v === undefined ? { env: fallback } : readSecretRef(v, path);
  if ('csms' in ref) fail(path, 'cannot be a CSMS secret (reading CSMS needs these credentials): use env or ssm');
  return ref;
}

/** `credentials`: `{"source": "functiongraph"}` alone, or references (each defaulting to its variable). */
export function parseCredentials(v: unknown): CredentialsConfig {
  const creds = readOptionalObject(v, 'credentials');
  onlyKeys(creds, 'credentials', allowed('credentials'));
  const source = readMember(creds.source ?? 'references', 'credentials.source', CREDENTIAL_SOURCES);
  if (source === 'functiongraph') {
    const extra = Object.keys(creds).find((k) => k !== 'source');
    if (extra) fail(`credentials.${extra}`, 'is not read with source "functiongraph" (no AK/SK anywhere)');
    return { source };
  }
  return {
    source,
    ak: secretRefOr(creds.ak, 'credentials.ak', 'CLOUD_SDK_AK'),
    sk: secretRefOr(creds.sk, 'credentials.sk', 'CLOUD_SDK_SK'),
    securityToken: secretRefOr(creds.securityToken, 'credentials.securityToken', 'CLOUD_SDK_SECURITY_TOKEN'),
  };
}

/**
 * `csms`: the project whose secrets `{"csms": ...}` names, by default the first configured one (its
 * region; a project not configured needs `region` or a top-level `region`), and the endpoint.
 */
export function parseCsms(
  v: unknown,
  projects: ReadonlyMap<string, CoreProject>,
  defaultRegion?: string,
): CsmsSettings {
  const o = readOptionalObject(v, 'csms');
  onlyKeys(o, 'csms', allowed('csms'));
  const first = [...projects.keys()][0] ?? '';
  if (o.projectId === undefined && first === '') fail('csms.projectId', 'is required when no project is configured');
  const projectId = o.projectId === undefined ? first : readString(o.projectId, 'csms.projectId', ID_PATTERN);
  const region =
    o.region === undefined
      ? (projects.get(projectId)?.region ?? defaultRegion)
      : readString(o.region, 'csms.region', REGION_NAME_PATTERN);
  if (region === undefined) fail('csms.region', 'is required for a project not configured (or set "region")');
  const endpoint = o.endpoint === undefined ? csmsEndpointForRegion(region) : readOrigin(o.endpoint, 'csms.endpoint');
  return { projectId, region, endpoint };
}

/**
 * Validates the settings every function reads (README, "Configuration"): projects with their
 * instances (id, engine, name), credentials, `csms`, `secretsCacheSeconds`, `offsetParam`,
 * `offsetBase`, `pageSize`, `timeoutMs`, `requestsPerSecond`, `endpoint`. Throws
 * `ConfigError` naming the first bad setting.
 *
 * Unknown settings are errors at every level, so a typo never passes silently. Settings that belong
 * to one function (`http`, `notify`, a project's `discover`, an instance's `routes`; see
 * `CONFIG_KEYS`) are known here but not read: each function's own parser checks them, so `list` and
 * `show` neither carry nor fail on the notifier's settings, and the other way round. A top-level
 * `$schema` (the JSON Schema an editor validates the file with) is accepted and ignored.
 */
export function parseCoreConfig(raw: unknown): CoreConfig {
  const o = readObject(raw, '(root)');
  onlyKeys(o, '(root)', allowed('root'));
  const defaultRegion = o.region === undefined ? undefined : readString(o.region, 'region');
  const projects = new Map<string, CoreProject>();
  for (const [id, p] of Object.entries(readObject(o.projects, 'projects'))) {
    projects.set(id, parseProject(id, p, `projects.${id}`, defaultRegion));
  }
  if (projects.size === 0) fail('projects', 'must name at least one project');
  const offsetParam = readMember(o.offsetParam ?? 'start', 'offsetParam', OFFSET_PARAMS, 'must be "start" or "offset"');
  // An integer from 0 to 1 is one of OFFSET_BASES.
  const offsetBase = readNumber(o.offsetBase, 'offsetBase', DEFAULT_OFFSET_BASE, { min: 0, max: 1 }) as OffsetBase;
  return {
    projects,
    offsetParam,
    offsetBase,
    pagingExplicit: { param: o.offsetParam !== undefined, base: o.offsetBase !== undefined },
    pageSize: readNumber(o.pageSize, 'pageSize', DEFAULT_PAGE_SIZE, LIMIT_RANGE),
    timeoutMs: readNumber(o.timeoutMs, 'timeoutMs', 10_000, { min: 1, max: 60_000 }),
    requestsPerSecond: readNumber(o.requestsPerSecond, 'requestsPerSecond', DEFAULT_REQUESTS_PER_SECOND, {
      min: 0.1,
      max: 10_000,
      integer: false,
    }),
    credentials: parseCredentials(o.credentials),
    csms: parseCsms(o.csms, projects, defaultRegion),
    secretsCacheSeconds: readNumber(
      o.secretsCacheSeconds,
      'secretsCacheSeconds',
      DEFAULT_SECRETS_CACHE_SECONDS,
      SECRETS_CACHE_RANGE,
    ),
    endpoint: o.endpoint === undefined ? undefined : readOrigin(o.endpoint, 'endpoint'),
  };
}
