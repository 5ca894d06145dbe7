import { parseHttpAppConfig } from './parseHttpConfig';
import { readConfigDocument } from './readConfigDocument';
import type { HttpAppConfig } from './types';

/**
 * The configuration of `list` and `show`, read from `DMS_TASKS_CONFIG` or `DMS_TASKS_CONFIG_FILE`
 * and validated by `parseHttpAppConfig` (shared settings and `http` only). Called once per cold start.
 */
export function loadHttpConfig(env: NodeJS.ProcessEnv = process.env): HttpAppConfig {
  return parseHttpAppConfig(readConfigDocument(env));
}
