import { createHttpHandler } from '../lib/http/createHttpHandler';

/** `GET /v2/{project_id}/instances/{instance_id}/tasks` (see README, "HTTP functions"). Configuration is read here, at cold start. */
export const handler = createHttpHandler('list');
