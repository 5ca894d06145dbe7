import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './errors';

/** What a packaged configuration file beside a bundle is named: `functions/list.js` -> `functions/list.config.json`. */
export function packagedConfigFileFor(bundleFile: string): string {
  return bundleFile.replace(/\.[cm]?[jt]s$/, '') + PACKAGED_CONFIG_SUFFIX;
}

/** The suffix of a packaged configuration file (`DMS_TASKS_PACKAGE_CONFIG` at build time). */
export const PACKAGED_CONFIG_SUFFIX = '.config.json';

/**
 * The packaged configuration file of the running bundle: inside a deployed function `__filename` is
 * the bundle (`functions/list.js` on Lambda, `index.js` on FunctionGraph), so the file built beside it
 * is found without a setting. In the sources (tests, `npm start`) no such file exists.
 */
function defaultPackagedFile(): string | undefined {
  return typeof __filename === 'string' ? packagedConfigFileFor(__filename) : undefined;
}

/** Where `readConfigDocument` looks. */
export interface ConfigDocumentOptions {
  /** The packaged file to fall back on. @default the one beside the running bundle */
  readonly packagedFile?: string;
}

function readText(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(setting, `cannot read "${file}"`);
  }
}

/**
 * The configuration document as JSON, not yet validated (each function's loader parses the settings
 * it reads), from the first of: `DMS_TASKS_CONFIG` (the document itself), `DMS_TASKS_CONFIG_FILE` (a
 * path to it), the file packaged beside the bundle at build time (`DMS_TASKS_PACKAGE_CONFIG`, checked
 * then). The document may be a pointer to one secret holding the whole document (`configFrom`,
 * resolved by `resolveConfigDocument`).
 */
export function readConfigDocument(env: NodeJS.ProcessEnv = process.env, options: ConfigDocumentOptions = {}): unknown {
  const inline = env.DMS_TASKS_CONFIG;
  const file = env.DMS_TASKS_CONFIG_FILE;
  const packaged = 'packagedFile' in options ? options.packagedFile : defaultPackagedFile();
  let text: string;
  let setting: string;
  if (inline) [text, setting] = [inline, 'DMS_TASKS_CONFIG'];
  else if (file) [text, setting] = [readText(file, 'DMS_TASKS_CONFIG_FILE'), 'DMS_TASKS_CONFIG_FILE'];
  else if (packaged && existsSync(packaged))
    [text, setting] = [readText(packaged, 'packaged config'), 'packaged config'];
  else throw new ConfigError('DMS_TASKS_CONFIG', 'is not set (nor DMS_TASKS_CONFIG_FILE, nor a packaged config file)');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(setting, `is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
}
