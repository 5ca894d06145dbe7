import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';

/**
 * The configuration document as JSON, from `DMS_TASKS_CONFIG` (the document itself) or
 * `DMS_TASKS_CONFIG_FILE` (a path to it), not yet validated: each function's loader parses the
 * settings it reads.
 */
export function readConfigDocument(env: NodeJS.ProcessEnv = process.env): unknown {
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
  try {
    return JSON.parse(text);
  } catch (e) {
    const problem = `is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`;
    throw new ConfigError(inline ? 'DMS_TASKS_CONFIG' : 'DMS_TASKS_CONFIG_FILE', problem);
  }
}
