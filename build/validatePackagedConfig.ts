import { parseNotifyConfig } from '../lib/notify/config/parseNotifyConfig';
import { ConfigError } from '../lib/config/errors';
import { isConfigPointer, parseConfigPointer } from '../lib/config/parseConfigPointer';
import { parseConfig } from '../lib/config/parseConfig';
import { parseHttpAppConfig } from '../lib/config/parseHttpConfig';
import { type PackageTarget, TARGET_CHECK_VARIABLE, targetProblems } from './checkTarget';

/** The functions that read only the shared settings and `http`; every other one is checked by every parser. */
const HTTP_ONLY = new Set(['list', 'show']);

/** The notifier's table name comes from its environment at run time; a stand-in lets the build check the rest. */
const TABLE_STAND_IN = 'dms-task-functions-build-check';

/**
 * Checks, at build time, the configuration document packaged with function `fn`
 * (`DMS_TASKS_PACKAGE_CONFIG`), with the parsers that function runs at cold start: `list` and `show`
 * the shared settings and `http`, the notifier the shared settings and `notify` (and any other function
 * both). A pointer (`configFrom`) is checked as a pointer; the document it names is read only at run
 * time. Secret references are checked for shape, not read. With a `target`, then what cannot work
 * there (`checkTarget.ts`: SSM references and the file store on FunctionGraph, ...), unless
 * `DMS_TASKS_TARGET_CHECK=off`. Throws `ConfigError` naming the setting; `source` names where the
 * document came from in a JSON error.
 */
export function validatePackagedConfig(
  text: string,
  fn: string,
  env: NodeJS.ProcessEnv = process.env,
  target?: PackageTarget,
  source = 'DMS_TASKS_PACKAGE_CONFIG',
): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(source, `is not valid JSON (${e instanceof Error ? e.message : 'error'})`);
  }
  if (isConfigPointer(doc)) parseConfigPointer(doc);
  else if (HTTP_ONLY.has(fn)) parseHttpAppConfig(doc);
  else {
    if (fn !== 'notify-on-failure') parseHttpAppConfig(doc);
    parseNotifyConfig(parseConfig(doc), { NOTIFY_TABLE: TABLE_STAND_IN, ...env });
  }
  if (target === undefined || env[TARGET_CHECK_VARIABLE] === 'off') return;
  const [first, ...more] = targetProblems(doc, fn, target);
  if (first === undefined) return;
  const at = first.indexOf(': ');
  const extra = more.length > 0 ? `; and ${more.length} more (${more.map((m) => m.split(': ')[0]).join(', ')})` : '';
  throw new ConfigError(
    first.slice(0, at),
    `${first.slice(at + 2)}${extra} [${TARGET_CHECK_VARIABLE}=off packages it anyway]`,
  );
}
