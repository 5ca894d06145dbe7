import { ID_PATTERN } from './constants';
import { parseCoreConfig } from './parseCoreConfig';
import { fail, onlyKeys, readBoolean, readObject, readOptionalObject, readSecretRefList, readString } from './readers';
import type { HttpAppConfig, HttpConfig } from './types';

/** The settings of the `http` section. */
export const HTTP_KEYS = ['authRequired', 'tokens', 'allowInstances'] as const;

/** Validates the `http` section (absent: the defaults) of the HTTP functions. */
export function parseHttpConfig(v: unknown): HttpConfig {
  const o = readOptionalObject(v, 'http');
  onlyKeys(o, 'http', HTTP_KEYS);
  const authRequired = readBoolean(o.authRequired, 'http.authRequired', true);
  const tokens = readSecretRefList(o.tokens, 'http.tokens', [{ env: 'API_TOKENS' }]);
  if (authRequired && tokens.length === 0) {
    fail('http.tokens', 'at least one token reference is required while authRequired is true');
  }
  const allow = o.allowInstances ?? 'any';
  let allowInstances: HttpConfig['allowInstances'];
  if (allow === 'any' || allow === 'watched') allowInstances = allow;
  else if (Array.isArray(allow)) {
    allowInstances = allow.map((id, i) => readString(id, `http.allowInstances[${i}]`, ID_PATTERN));
  } else fail('http.allowInstances', 'must be "any", "watched" or a list of instance ids');
  return { authRequired, tokens, allowInstances };
}

/**
 * Validates what `list` and `show` read: the shared settings (`parseCoreConfig`) and `http`. The
 * notifier's settings (`notify`, `discover`, instance `routes`) are left to the notifier, so a
 * mistake there does not take the HTTP functions down, nor does their code ship in these bundles.
 */
export function parseHttpAppConfig(raw: unknown): HttpAppConfig {
  const core = parseCoreConfig(raw);
  return { ...core, http: parseHttpConfig(readObject(raw, '(root)').http) };
}
