import { SHOW_ROUTE } from '../http/constants';
import { upstreamOk, type HttpRoute } from './route';
import { validateShowRequest, type ShowRequest } from './validateRequest';

/** `GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}`: one task, upstream's body as it is. */
export const showRoute: HttpRoute<ShowRequest> = {
  name: SHOW_ROUTE,
  validate: validateShowRequest,
  execute: async (input, ctx) => {
    const res = await ctx.client.showTask(input.instanceId, input.taskId, ctx.call);
    return upstreamOk(res.body, res.requestId, ctx);
  },
};
