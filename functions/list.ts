import { createHttpHandler } from '../lib/tasks/createHttpHandler';
import { listRoute } from '../lib/tasks/listRoute';

/**
 * `GET /v2/{project_id}/instances/{instance_id}/tasks` (README, "The HTTP functions").
 * Configuration is read here, at cold start.
 */
export const handler = createHttpHandler(listRoute);
