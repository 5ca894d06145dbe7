import * as HEADERS from '../http/headers';
import type { ListRequest } from './validateRequest';
import type { OffsetBase, OffsetParam } from '../dms/types';

/** Path prefixes (an API Gateway stage such as `/prod`) kept in `Link`: plain segments only. */
const SAFE_PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/;

/**
 * Where the page after one that held `received` tasks at `offset` starts, if another page may follow.
 * `offset` is what the caller sent (absent: `base`, the first task); one below `base` reads as
 * `base`, as the emulator reads it (what the real server does with `start=0` is not known). More
 * pages when `task_count`, read as the total (as Huawei's Terraform provider reads it), says tasks
 * remain past the next offset, or when the page came back full (`task_count` may mean something
 * else). An empty page never has a next one.
 */
export function nextOffsetAfter(
  offset: number | undefined,
  received: number,
  taskCount: string,
  limit: number | undefined,
  base: OffsetBase,
): number | undefined {
  if (received === 0) return undefined;
  const total = Number(taskCount);
  const next = Math.max(offset ?? base, base) + received;
  if (Number.isSafeInteger(total) && total > next - base) return next;
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
  if (req.limit !== undefined) q.set('limit', String(req.limit));
  if (req.beginTime !== undefined) q.set('begin_time', req.beginTime);
  if (req.endTime !== undefined) q.set('end_time', req.endTime);
  if (req.all) q.set('all', 'true');
  return { Link: `<${base}?${q.toString()}>; rel="next"`, [HEADERS.nextOffset]: String(nextOffset) };
}
