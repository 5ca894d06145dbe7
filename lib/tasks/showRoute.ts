import type { Route } from '../http/routes';
import { taskRoute, upstreamOk, type TasksServices } from './route';
import { validateShowRequest, type ShowRequest } from './validateRequest';

/** `GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}`: one task, upstream's body as it is. */
export const showRoute: Route<TasksServices> = taskRoute<ShowRequest>({
  path: '/v2/{project_id}/instances/{instance_id}/tasks/{task_id}',
  validate: validateShowRequest,
  execute: async (input, ctx) => {
    const res = await ctx.client.showTask(input.instanceId, input.taskId, ctx.call);
    return upstreamOk(res.body, res.requestId, ctx);
  },
});
