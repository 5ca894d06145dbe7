import { isConfigPointer } from '../lib/config/parseConfigPointer';

/** Where a package is going: what works there is not the same. */
export type PackageTarget = 'lambda' | 'functiongraph';

/** The functions that open the notifier's state store (the notifier writes it, `ops` reads it). */
const STORE_USERS = new Set(['notify-on-failure', 'ops']);

/** The variable that turns the target check off, for a case it cannot see (`off`). */
export const TARGET_CHECK_VARIABLE = 'DMS_TASKS_TARGET_CHECK';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every `{"ssm": ...}` secret reference in the document, by path (`notify.destinations.hook.url`). */
function ssmReferences(v: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) ssmReferences(item, `${path}[${i}]`, out);
  } else if (isObject(v)) {
    if (typeof v.ssm === 'string' && Object.keys(v).length === 1) out.push(path || '(root)');
    else for (const [k, child] of Object.entries(v)) ssmReferences(child, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** The store the notifier would open with this document and no `NOTIFY_TABLE`: its `type`, or `file` (the default). */
function storeType(doc: Record<string, unknown>): string {
  const notify = doc.notify;
  const store = isObject(notify) ? notify.store : undefined;
  return isObject(store) && typeof store.type === 'string' ? store.type : 'file (the default)';
}

/**
 * What in an already valid configuration document cannot work on `target` for function `fn`, each as
 * `path: why` (empty: nothing). The parsers accept these, since each is right somewhere:
 * - FunctionGraph: `{"ssm": ...}` references (no SSM there, and no AWS SDK in the package), and for the
 *   notifier and `ops` a store other than Redis (the file store dies with the instance; DynamoDB is AWS's).
 * - Lambda: `credentials.source` `"functiongraph"` (Lambda gives no agency credentials), and for the
 *   notifier and `ops` the file store (lost with every instance; `serverless.yml` sets up DynamoDB).
 */
export function targetProblems(doc: unknown, fn: string, target: PackageTarget): string[] {
  if (!isObject(doc)) return [];
  const problems: string[] = [];
  const pointer = isConfigPointer(doc);
  if (target === 'functiongraph') {
    for (const path of ssmReferences(doc, '', [])) {
      problems.push(`${path}: an {"ssm": ...} reference cannot be read on FunctionGraph (no SSM): use {"csms": ...}`);
    }
    const type = storeType(doc);
    if (!pointer && STORE_USERS.has(fn) && type !== 'redis') {
      problems.push(
        `notify.store: ${type} cannot keep the notifier's state on FunctionGraph: use {"type": "redis", ...} (DCS)`,
      );
    }
  } else {
    const credentials = doc.credentials;
    if (isObject(credentials) && credentials.source === 'functiongraph') {
      problems.push('credentials.source: "functiongraph" needs a FunctionGraph agency; Lambda has none');
    }
    if (!pointer && STORE_USERS.has(fn) && storeType(doc) === 'file') {
      problems.push('notify.store: the file store is lost with every Lambda instance: leave it out (DynamoDB)');
    }
  }
  return problems;
}
