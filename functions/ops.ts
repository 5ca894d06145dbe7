import { createOpsHandler } from '../lib/ops/createOpsHandler';

/**
 * The operator API: `GET /ops/v1/history`, `GET|POST /ops/v1/silences`, `DELETE /ops/v1/silences/{silence_id}`
 * (README, "Operator API: ops"). Configuration is read here, at cold start.
 */
export const handler = createOpsHandler();
