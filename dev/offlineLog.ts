import { ROUTES } from '../lib/http/constants';
import { OPS_ROUTES } from '../lib/ops/createOpsHandler';

/** The function each logged `route` belongs to (`route` in the HTTP functions' request log line). */
const FUNCTION_OF_ROUTE: ReadonlyMap<string, string> = new Map([
  ...Object.entries(ROUTES).map(([fn, route]): [string, string] => [route, fn]),
  ...Object.values(OPS_ROUTES).map((route): [string, string] => [route, 'ops']),
]);

/**
 * Where a line of serverless-offline's output comes from, as a label for `npm start`:
 *
 * - a handler's JSON log line: the function, read from its `route` field (`list`, `show`). serverless-offline
 *   passes the handlers' console output through untagged and runs them in worker threads, so the
 *   line itself is the only reliable clue. A JSON line without a known route is labelled `function`
 *   (in practice notify-on-failure, the one function without a route, run through the Lambda port);
 * - anything else: `offline` (serverless-offline's own lines: routes, `(λ: list) RequestId: ...`, errors).
 */
export function offlineLineSource(line: string): string {
  if (!line.startsWith('{')) return 'offline';
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'offline';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'offline';
  const route = 'route' in parsed && typeof parsed.route === 'string' ? parsed.route : undefined;
  return (route !== undefined ? FUNCTION_OF_ROUTE.get(route) : undefined) ?? 'function';
}
