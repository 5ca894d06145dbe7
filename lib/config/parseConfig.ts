import { isKnownRegion } from '../dms/endpoints';
import { isRecord } from '../core/isRecord';
import { ENGINES, OFFSET_PARAMS, type Engine, type OffsetParam } from '../dms/types';
import { ConfigError } from './errors';
import type { AppConfig, HttpConfig, ProjectConfig, SecretRef, WatchedInstance } from './types';

/** Ids as DMS issues them: letters, digits, `-` and `_`, 1 to 64 characters. Shared with the HTTP validation. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

type Raw = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new ConfigError(path, problem);
}

function obj(v: unknown, path: string): Raw {
  if (!isRecord(v)) fail(path, 'must be an object');
  return v;
}

function onlyKeys(v: Raw, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown setting (allowed: ${allowed.join(', ')})`);
  }
}

function str(v: unknown, path: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v === '') fail(path, 'must be a non-empty string');
  if (pattern && !pattern.test(v)) fail(path, `"${v}" does not match ${pattern}`);
  return v;
}

function endpoint(v: unknown, path: string): string {
  const s = str(v, path);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    fail(path, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(path, 'must be http(s)');
  if (url.pathname !== '/' || url.search || url.username || url.password) fail(path, 'must be an origin only (scheme, host, port)');
  return url.origin;
}

function optionalEndpoint(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : endpoint(v, path);
}

/** Parses `{ "env": "NAME" }` or `{ "ssm": "/param" }`. A plain string is refused: secrets are never inline. */
export function parseSecretRef(v: unknown, path: string): SecretRef {
  if (typeof v === 'string') fail(path, 'secrets are never inline: use {"env": "NAME"} or {"ssm": "/parameter/name"}');
  const o = obj(v, path);
  onlyKeys(o, path, ['env', 'ssm']);
  if (typeof o.env === 'string' && o.ssm === undefined) return { env: str(o.env, `${path}.env`, /^[A-Za-z_][A-Za-z0-9_]*$/) };
  if (typeof o.ssm === 'string' && o.env === undefined) return { ssm: str(o.ssm, `${path}.ssm`, /^[A-Za-z0-9_.\-/]+$/) };
  fail(path, 'must have exactly one of "env" or "ssm"');
}

/** A secret reference, or `{ env: fallback }` when not set. */
function secretRef(v: unknown, path: string, fallback: string): SecretRef {
  return v === undefined ? { env: fallback } : parseSecretRef(v, path);
}

function engine(v: unknown, path: string): Engine {
  if (typeof v !== 'string' || !(ENGINES as readonly string[]).includes(v)) fail(path, `must be one of ${ENGINES.join(', ')}`);
  return v as Engine;
}

function parseInstance(v: unknown, path: string): WatchedInstance {
  const o = obj(v, path);
  onlyKeys(o, path, ['id', 'engine', 'name', 'routes']);
  const id = str(o.id, `${path}.id`, ID_PATTERN);
  const routes = o.routes === undefined ? [] : o.routes;
  if (!Array.isArray(routes)) fail(`${path}.routes`, 'must be an array of route names');
  return {
    id,
    engine: engine(o.engine, `${path}.engine`),
    name: o.name === undefined ? id : str(o.name, `${path}.name`),
    routes: routes.map((r, i) => str(r, `${path}.routes[${i}]`)),
  };
}

function parseProject(projectId: string, v: unknown, path: string, defaultRegion: string | undefined): ProjectConfig {
  if (!ID_PATTERN.test(projectId)) fail(path, `project id "${projectId}" is not a valid id`);
  const o: Raw = typeof v === 'string' ? { region: v } : obj(v, path);
  onlyKeys(o, path, ['region', 'endpoint', 'instances', 'discover']);
  const region = o.region === undefined ? defaultRegion : str(o.region, `${path}.region`);
  if (region === undefined) fail(`${path}.region`, 'is required (or set a top-level "region")');
  const instancesRaw = o.instances ?? [];
  if (!Array.isArray(instancesRaw)) fail(`${path}.instances`, 'must be an array');
  const instances = instancesRaw.map((i, n) => parseInstance(i, `${path}.instances[${n}]`));
  const ids = new Set<string>();
  for (const [n, i] of instances.entries()) {
    if (ids.has(i.id)) fail(`${path}.instances[${n}].id`, `duplicate instance "${i.id}"`);
    ids.add(i.id);
    if (!isKnownRegion(region, i.engine)) fail(`${path}.region`, `"${region}" is not a DMS region for ${i.engine}`);
  }
  if (!isKnownRegion(region)) fail(`${path}.region`, `"${region}" is not a DMS region`);
  const discoverRaw = o.discover ?? [];
  if (!Array.isArray(discoverRaw) && typeof discoverRaw !== 'boolean') fail(`${path}.discover`, 'must be true, false or a list of engines');
  const discover: Engine[] = discoverRaw === true ? [...ENGINES] : discoverRaw === false ? [] : discoverRaw.map((e, n) => engine(e, `${path}.discover[${n}]`));
  return { projectId, region, instances, discover, endpoint: optionalEndpoint(o.endpoint, `${path}.endpoint`) };
}

function parseHttp(v: unknown): HttpConfig {
  const o = v === undefined ? {} : obj(v, 'http');
  onlyKeys(o, 'http', ['authRequired', 'tokens', 'allowInstances']);
  const authRequired = o.authRequired === undefined ? true : o.authRequired;
  if (typeof authRequired !== 'boolean') fail('http.authRequired', 'must be true or false');
  const tokensRaw = o.tokens === undefined ? [{ env: 'API_TOKENS' }] : o.tokens;
  if (!Array.isArray(tokensRaw)) fail('http.tokens', 'must be an array of secret references');
  const tokens = tokensRaw.map((t, i) => parseSecretRef(t, `http.tokens[${i}]`));
  if (authRequired && tokens.length === 0) fail('http.tokens', 'at least one token reference is required while authRequired is true');
  const allow = o.allowInstances ?? 'any';
  let allowInstances: HttpConfig['allowInstances'];
  if (allow === 'any' || allow === 'watched') allowInstances = allow;
  else if (Array.isArray(allow)) allowInstances = allow.map((id, i) => str(id, `http.allowInstances[${i}]`, ID_PATTERN));
  else fail('http.allowInstances', 'must be "any", "watched" or a list of instance ids');
  return { authRequired, tokens, allowInstances };
}

function positiveInt(v: unknown, path: string, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > max) fail(path, `must be an integer from 1 to ${max}`);
  return v;
}

/**
 * Validates the configuration document (see README, "Configuration"). Throws `ConfigError` naming
 * the first bad setting. Unknown settings are errors, so a typo never passes silently.
 */
export function parseConfig(raw: unknown): AppConfig {
  const o = obj(raw, '(root)');
  onlyKeys(o, '(root)', ['region', 'endpoint', 'offsetParam', 'timeoutMs', 'credentials', 'projects', 'http', 'notify']);
  const defaultRegion = o.region === undefined ? undefined : str(o.region, 'region');
  const projectsRaw = obj(o.projects, 'projects');
  const projects = new Map<string, ProjectConfig>();
  for (const [id, p] of Object.entries(projectsRaw)) projects.set(id, parseProject(id, p, `projects.${id}`, defaultRegion));
  if (projects.size === 0) fail('projects', 'must name at least one project');
  const offsetParam = o.offsetParam ?? 'start';
  if (typeof offsetParam !== 'string' || !(OFFSET_PARAMS as readonly string[]).includes(offsetParam)) fail('offsetParam', 'must be "start" or "offset"');
  const credsRaw = o.credentials === undefined ? {} : obj(o.credentials, 'credentials');
  onlyKeys(credsRaw, 'credentials', ['ak', 'sk', 'securityToken']);
  const credentials = {
    ak: secretRef(credsRaw.ak, 'credentials.ak', 'CLOUD_SDK_AK'),
    sk: secretRef(credsRaw.sk, 'credentials.sk', 'CLOUD_SDK_SK'),
    securityToken: secretRef(credsRaw.securityToken, 'credentials.securityToken', 'CLOUD_SDK_SECURITY_TOKEN'),
  };
  return {
    projects,
    offsetParam: offsetParam as OffsetParam,
    timeoutMs: positiveInt(o.timeoutMs, 'timeoutMs', 10_000, 60_000),
    credentials,
    http: parseHttp(o.http),
    notify: o.notify,
    endpoint: optionalEndpoint(o.endpoint, 'endpoint'),
  };
}
