import * as HEADERS from './headers';
import type { ListRequest } from './validateRequest';
import type { OffsetParam } from '../dms/types';

/** Path prefixes (an API Gateway stage such as `/prod`) kept in `Link`: plain segments only. */
const SAFE_PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/**
 * Whether another page may follow one that held `received` tasks at `offset`. Upstream does not say
 * what `task_count` means (REFERENCE), so: more pages when `task_count`, read as a total, says more
 * remain, or when the page came back full. An empty page never has a next one.
 */
export function nextOffsetAfter(
  offset: number,
  received: number,
  taskCount: string,
  limit: number | undefined,
): number | undefined {
  if (received === 0) return undefined;
  const total = Number(taskCount);
  const next = offset + received;
  if (Number.isSafeInteger(total) && total > next) return next;
  if (limit !== undefined && received >= limit) return next;
  return undefined;
}

/**
 * `Link: <...>; rel="next"` and `X-Next-Offset` for the page at `nextOffset`. The link keeps the
 * caller's parameters (and their name for the offset) and is relative to the request's host; it is
 * built from validated values only, never from raw input.
 */
export function nextPageHeaders(
  req: ListRequest,
  requestPath: string,
  nextOffset: number,
  defaultOffsetName: OffsetParam,
): Record<string, string> {
  const route = `/v2/${req.projectId}/instances/${req.instanceId}/tasks`;
  const at = requestPath.lastIndexOf('/v2/');
  const prefix = at > 0 ? requestPath.slice(0, at) : '';
  const base = (SAFE_PREFIX.test(prefix) ? prefix : '') + route;
  const q = new URLSearchParams();
  q.set(req.offsetName ?? defaultOffsetName, String(nextOffset));
  for (const [name, v] of [
    ['limit', req.limit],
    ['begin_time', req.beginTime],
    ['end_time', req.endTime],
    ['all', req.all || undefined],
  ] as const) {
    if (v !== undefined) q.set(name, String(v));
  }
  return { Link: `<${base}?${q.toString()}>; rel="next"`, [HEADERS.nextOffset]: String(nextOffset) };
}
