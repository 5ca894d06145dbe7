import { parseCredentials, parseCsms } from './parseCoreConfig';
import { fail, onlyKeys, readNumber, readObject, readSecretRef, readString } from './readers';
import type { SecretRef, SecretsConfig } from './types';

/** The settings a configuration pointer may hold: where the document is, and how to read it. */
export const POINTER_KEYS = ['$schema', 'configFrom', 'region', 'credentials', 'csms', 'timeoutMs'] as const;

/**
 * A small document that names where the whole configuration is kept (an SSM parameter or a CSMS
 * secret), with what reading it needs: the credentials (for CSMS) and the CSMS project and region.
 *
 * @example
 * {"configFrom": {"csms": "dms-tasks-config"}, "credentials": {"source": "functiongraph"},
 *  "csms": {"projectId": "0f5c...", "region": "ap-southeast-1"}}
 */
export interface ConfigPointer {
  /** The secret whose text is the whole configuration document (JSON). */
  readonly configFrom: SecretRef;
  /** How the pointed-to secret is read (`InvocationSecrets`); nothing of it is kept afterwards. */
  readonly secrets: SecretsConfig;
}

/** True when a configuration document is a pointer (it has `configFrom`), to be read with `parseConfigPointer`. */
export function isConfigPointer(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'configFrom' in doc;
}

/**
 * Validates a configuration pointer (README, "Configuration from a file or a secret"): `configFrom`
 * (`{"ssm": ...}` or `{"csms": ...}`; an environment variable would gain nothing over
 * `DMS_TASKS_CONFIG`), `credentials` and `csms` as in the full document (`csms.projectId` and a region
 * required for a CSMS secret, as no project is configured here), `timeoutMs`. Throws `ConfigError`.
 */
export function parseConfigPointer(raw: unknown): ConfigPointer {
  const o = readObject(raw, '(root)');
  onlyKeys(o, '(root)', POINTER_KEYS);
  const configFrom = readSecretRef(o.configFrom, 'configFrom');
  if ('env' in configFrom)
    fail('configFrom', 'must be an SSM parameter or a CSMS secret (not an environment variable)');
  if ('ssm' in configFrom && o.csms !== undefined) fail('csms', 'is read only when configFrom is a CSMS secret');
  const region = o.region === undefined ? undefined : readString(o.region, 'region');
  return {
    configFrom,
    secrets: {
      credentials: parseCredentials(o.credentials),
      ...('csms' in configFrom && { csms: parseCsms(o.csms, new Map(), region) }),
      timeoutMs: readNumber(o.timeoutMs, 'timeoutMs', 10_000, { min: 1, max: 60_000 }),
      // Read once per warm instance; nothing to keep.
      secretsCacheSeconds: 0,
    },
  };
}
