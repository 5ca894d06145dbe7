import { iterateTaskPages } from '../dms/paginate';
import type { DmsTask, TaskListBody } from '../dms/types';
import * as HEADERS from '../http/headers';
import { nextOffsetAfter, nextPageHeaders } from './pagingHeaders';
import { jsonResponse } from '../http/response';
import type { Route, RouteOutcome } from '../http/routes';
import { taskRoute, upstreamOk, type RouteContext, type TasksServices } from './route';
import { validateListRequest, type ListRequest } from './validateRequest';

/** One upstream page, with `Link`/`X-Next-Offset` when another page may follow. */
async function listPage(input: ListRequest, ctx: RouteContext): Promise<RouteOutcome> {
  // A ListRequest is a ListTasksParams (instance, offset, limit, times); the client reads only those.
  const res = await ctx.client.listTasks(input, ctx.call);
  const { offsetBase } = ctx.config;
  const next = nextOffsetAfter(input.offset, res.body.tasks.length, res.body.task_count, input.limit, offsetBase);
  const paging = next === undefined ? {} : nextPageHeaders(input, ctx.req.path, next, ctx.config.offsetParam);
  return upstreamOk(res.body, res.requestId, ctx, paging);
}

/**
 * `all=true`: every page (bounded by `allMaxPages`), de-duplicated by the pager of `lib/dms`, from the
 * caller's offset (as given) or the configured base, `limit` or the configured `pageSize` per page.
 * `X-Dtf-Truncated: true` when the walk is incomplete: cut by `allMaxPages` (with a `Link` to go on
 * from), or stalled because neither paging name advanced upstream (no `Link`: asking again would
 * stall again).
 */
async function listAll(input: ListRequest, ctx: RouteContext): Promise<RouteOutcome> {
  const tasks: DmsTask[] = [];
  const upstreamIds: string[] = [];
  const pages = iterateTaskPages(ctx.client, {
    instanceId: input.instanceId,
    beginTime: input.beginTime,
    endTime: input.endTime,
    ...ctx.call,
    pageSize: input.limit ?? ctx.config.pageSize,
    offsetBase: ctx.config.offsetBase,
    startOffset: input.offset ?? ctx.config.offsetBase,
    maxPages: ctx.allMaxPages,
  });
  let step = await pages.next();
  while (!step.done) {
    tasks.push(...step.value.tasks);
    if (step.value.requestId) upstreamIds.push(step.value.requestId);
    step = await pages.next();
  }
  const result = step.value;
  const body: TaskListBody = { task_count: String(tasks.length), tasks };
  const headers: Record<string, string> = {
    [HEADERS.pages]: String(result.pages),
    // Also when the walk stalled (neither paging name advanced): the answer is short, and says so.
    [HEADERS.truncated]: String(result.incomplete),
  };
  if (upstreamIds.length > 0) headers[HEADERS.upstreamRequestId] = upstreamIds.join(', ');
  if (result.truncated)
    Object.assign(headers, nextPageHeaders(input, ctx.req.path, result.nextOffset, ctx.config.offsetParam));
  return {
    response: jsonResponse(200, body, ctx.requestId, headers),
    upstreamRequestIds: upstreamIds,
    upstreamPages: result.pages,
  };
}

/** `GET /v2/{project_id}/instances/{instance_id}/tasks`: one page, or every page with `all=true`. */
export const listRoute: Route<TasksServices> = taskRoute<ListRequest>({
  path: '/v2/{project_id}/instances/{instance_id}/tasks',
  validate: validateListRequest,
  execute: (input, ctx) => (input.all ? listAll(input, ctx) : listPage(input, ctx)),
});
