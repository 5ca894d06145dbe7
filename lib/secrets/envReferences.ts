import { isRecord } from '../core/isRecord';

/**
 * The variables a configuration reads by default when it names none (`credentials.ak`/`.sk`/
 * `.securityToken`, `http.tokens`; lib/config/parseCoreConfig.ts and parseHttpConfig.ts).
 */
export const DEFAULT_ENV_REFERENCES = [
  'CLOUD_SDK_AK',
  'CLOUD_SDK_SK',
  'CLOUD_SDK_SECURITY_TOKEN',
  'API_TOKENS',
] as const;

/** A variable name as `{"env": NAME}` takes it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every variable name a configuration document (parsed JSON, not yet validated) reads through an
 * `{"env": NAME}` reference, anywhere in it, plus {@link DEFAULT_ENV_REFERENCES}; sorted, once each.
 * Bounded: at most `limit` names and 10,000 nodes visited, so a hostile document cannot make it slow.
 */
export function envReferencesOf(doc: unknown, limit = 256): string[] {
  const names = new Set<string>(DEFAULT_ENV_REFERENCES);
  const stack: unknown[] = [doc];
  for (let visited = 0; stack.length > 0 && visited < 10_000 && names.size < limit; visited++) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isRecord(node)) {
      const keys = Object.keys(node);
      if (keys.length === 1 && typeof node.env === 'string' && ENV_NAME.test(node.env)) names.add(node.env);
      else stack.push(...Object.values(node));
    }
  }
  return [...names].sort();
}
