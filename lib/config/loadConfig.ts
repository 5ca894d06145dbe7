import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';
import { parseConfig } from './parseConfig';
import type { AppConfig } from './types';

/**
 * Reads the configuration from `DMS_TASKS_CONFIG` (the JSON document itself) or `DMS_TASKS_CONFIG_FILE`
 * (a path to it), then validates it. Called once per cold start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const inline = env.DMS_TASKS_CONFIG;
  const file = env.DMS_TASKS_CONFIG_FILE;
  let text: string;
  if (inline) text = inline;
  else if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError('DMS_TASKS_CONFIG_FILE', `cannot read "${file}"`);
    }
  } else throw new ConfigError('DMS_TASKS_CONFIG', 'is not set (nor DMS_TASKS_CONFIG_FILE)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(inline ? 'DMS_TASKS_CONFIG' : 'DMS_TASKS_CONFIG_FILE', `is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
  return parseConfig(raw);
}
