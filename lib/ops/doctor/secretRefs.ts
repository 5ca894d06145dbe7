import type { SecretRef } from '../../config/types';
import { isRecord } from '../../core/isRecord';

/** One secret reference of a parsed configuration and the setting that holds it (`notify.destinations.ops.url`). */
export interface FoundRef {
  readonly path: string;
  readonly ref: SecretRef;
  /** An unset environment variable is fine here (the security token: only temporary credentials have one). */
  readonly optional?: boolean;
}

/** Settings whose `{"env"}` reference may be unset (`resolveCredentials` reads it only when present). */
const OPTIONAL_ENV_PATHS = new Set(['credentials.securityToken']);

function asRef(v: unknown): SecretRef | undefined {
  if (!isRecord(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  const value = key === undefined ? undefined : v[key];
  if (typeof value !== 'string') return undefined;
  if (key === 'env') return { env: value };
  if (key === 'ssm') return { ssm: value };
  if (key === 'csms') return { csms: value };
  return undefined;
}

/**
 * Every secret reference (`{"env"}`, `{"ssm"}`, `{"csms"}`) in a parsed configuration, with the path
 * of the setting that holds it, walking objects, arrays and maps. Bounded: at most `limit` references
 * and `maxDepth` levels (a parsed configuration is small; the bounds keep a hostile one cheap).
 */
export function secretRefsOf(value: unknown, path = '', limit = 500, maxDepth = 12): FoundRef[] {
  const out: FoundRef[] = [];
  const walk = (v: unknown, at: string, depth: number): void => {
    if (out.length >= limit || depth > maxDepth) return;
    const ref = asRef(v);
    if (ref) {
      out.push({ path: at, ref, ...('env' in ref && OPTIONAL_ENV_PATHS.has(at) ? { optional: true } : {}) });
      return;
    }
    const join = (k: string): string => (at === '' ? k : `${at}.${k}`);
    if (v instanceof Map) for (const [k, x] of v) walk(x, join(String(k)), depth + 1);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, `${at}[${i}]`, depth + 1);
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, join(k), depth + 1);
  };
  walk(value, path, 0);
  return out;
}
