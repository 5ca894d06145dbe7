import { createHttpHandler } from '../lib/tasks/createHttpHandler';
import { showRoute } from '../lib/tasks/showRoute';

/**
 * `GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}` (README, "The HTTP functions").
 * Configuration is read here, at cold start.
 */
export const handler = createHttpHandler(showRoute);
