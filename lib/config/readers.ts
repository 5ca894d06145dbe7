import { GLOB_LIMITS, globProblem } from '../core/glob';
import { isRecord } from '../core/isRecord';
import { ENV_NAME_PATTERN, SSM_NAME_PATTERN } from './constants';
import { ConfigError } from './errors';
import { CSMS_NAME_PATTERN } from './secretSettings';
import type { SecretRef } from './types';

/**
 * Typed readers of the configuration document, shared by every section's parser so that a setting
 * of one kind is checked, and its error worded, the same way everywhere. Each takes the raw value and
 * its path (`projects.abc.region`) and throws `ConfigError(path, problem)` when the value is wrong;
 * readers with a fallback return it for an absent (`undefined`) value.
 */

/** One object of the document, before its settings are read. */
export type RawSection = Record<string, unknown>;

/** Throws the `ConfigError` of one setting. */
export function fail(path: string, problem: string): never {
  throw new ConfigError(path, problem);
}

/** A JSON object (not null, not an array). */
export function readObject(v: unknown, path: string): RawSection {
  if (!isRecord(v)) fail(path, 'must be an object');
  return v;
}

/** An optional object: `{}` when absent. */
export function readOptionalObject(v: unknown, path: string): RawSection {
  return v === undefined ? {} : readObject(v, path);
}

/** Refuses settings not in `allowed`, so a typo never passes silently. */
export function onlyKeys(v: RawSection, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown setting (allowed: ${allowed.join(', ')})`);
  }
}

/** A non-empty string, matching `pattern` when one is given. */
export function readString(v: unknown, path: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v === '') fail(path, 'must be a non-empty string');
  if (pattern && !pattern.test(v)) fail(path, `"${v}" does not match ${pattern}`);
  return v;
}

/** An array of non-empty strings; `fallback` (copied) when absent. */
export function readStringList(v: unknown, path: string, fallback: readonly string[] = []): string[] {
  if (v === undefined) return [...fallback];
  if (!Array.isArray(v)) fail(path, 'must be an array of strings');
  return v.map((s, i) => readString(s, `${path}[${i}]`));
}

/** A glob pattern (`*` any run of characters) within {@link GLOB_LIMITS}. */
export function readGlob(v: unknown, path: string): string {
  const pattern = readString(v, path);
  const problem = globProblem(pattern);
  if (problem) fail(path, problem);
  return pattern;
}

/** A list of at most `GLOB_LIMITS.maxPatterns` globs ({@link readGlob}); empty when absent. */
export function readGlobList(v: unknown, path: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, 'must be an array of strings');
  if (v.length > GLOB_LIMITS.maxPatterns) fail(path, `must have at most ${GLOB_LIMITS.maxPatterns} patterns`);
  return v.map((s, i) => readGlob(s, `${path}[${i}]`));
}

/** The range of a number setting. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. @default true */
  readonly integer?: boolean;
}

/** A finite number within `range` (inclusive); `fallback` when absent. */
export function readNumber(v: unknown, path: string, fallback: number, range: NumberRange): number {
  if (v === undefined) return fallback;
  const integer = range.integer ?? true;
  const inRange = typeof v === 'number' && Number.isFinite(v) && v >= range.min && v <= range.max;
  if (!inRange || (integer && !Number.isInteger(v))) {
    fail(path, `must be ${integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}`);
  }
  return v;
}

/** `true` or `false`; `fallback` when absent. */
export function readBoolean(v: unknown, path: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
  return v;
}

/**
 * One member of `members` (an `as const` list). `problem` words the error when the list reads
 * better spelled out. @default problem `must be one of a, b, c`
 */
export function readMember<T extends string>(v: unknown, path: string, members: readonly T[], problem?: string): T {
  if (typeof v !== 'string' || !(members as readonly string[]).includes(v)) {
    fail(path, problem ?? `must be one of ${members.join(', ')}`);
  }
  return v as T;
}

/** A list of members of `members`; `fallback` when absent. */
export function readMemberList<T extends string>(
  v: unknown,
  path: string,
  members: readonly T[],
  fallback: readonly T[],
  problem?: string,
): T[] {
  if (v === undefined) return [...fallback];
  return readStringList(v, path).map((s, i) => readMember(s, `${path}[${i}]`, members, problem));
}

/** An http(s) origin (scheme, host, port), returned normalised (`URL.origin`). */
export function readOrigin(v: unknown, path: string): string {
  const s = readString(v, path);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    fail(path, 'must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(path, 'must be http(s)');
  if (url.pathname !== '/' || url.search || url.username || url.password) {
    fail(path, 'must be an origin only (scheme, host, port)');
  }
  return url.origin;
}

/**
 * `{ "env": "NAME" }`, `{ "ssm": "/param" }` or `{ "csms": "secret-name" }`. A plain string is
 * refused, without echoing it: secrets are never inline.
 */
export function readSecretRef(v: unknown, path: string): SecretRef {
  if (typeof v === 'string') {
    fail(path, 'secrets are never inline: use {"env": "NAME"}, {"ssm": "/parameter/name"} or {"csms": "secret-name"}');
  }
  const o = readObject(v, path);
  onlyKeys(o, path, ['env', 'ssm', 'csms']);
  const given = Object.keys(o);
  if (given.length === 1 && typeof o.env === 'string') {
    return { env: readString(o.env, `${path}.env`, ENV_NAME_PATTERN) };
  }
  if (given.length === 1 && typeof o.ssm === 'string') {
    return { ssm: readString(o.ssm, `${path}.ssm`, SSM_NAME_PATTERN) };
  }
  if (given.length === 1 && typeof o.csms === 'string') {
    return { csms: readString(o.csms, `${path}.csms`, CSMS_NAME_PATTERN) };
  }
  fail(path, 'must have exactly one of "env", "ssm" or "csms"');
}

/** An array of secret references; `fallback` when absent. */
export function readSecretRefList(v: unknown, path: string, fallback: readonly SecretRef[] = []): SecretRef[] {
  if (v === undefined) return [...fallback];
  if (!Array.isArray(v)) fail(path, 'must be an array of secret references');
  return v.map((s, i) => readSecretRef(s, `${path}[${i}]`));
}
