import { parseConfig } from './parseConfig';
import { readConfigDocument } from './readConfigDocument';
import type { AppConfig } from './types';

/**
 * The notifier's configuration, read from `DMS_TASKS_CONFIG` or `DMS_TASKS_CONFIG_FILE` and validated
 * by `parseConfig` (its `notify` section then by `parseNotifyConfig`). Called once per cold start.
 * The HTTP functions load theirs with `loadHttpConfig`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseConfig(readConfigDocument(env));
}
