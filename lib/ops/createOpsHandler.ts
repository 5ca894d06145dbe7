import { createEdge, type HttpHandler } from '../http/createEdge';
import { defaultVariablesRedactor } from '../http/redact';
import type { LogSink } from '../http/requestLog';
import { DOCTOR_API_ROUTES } from './doctorRoutes';
import { OPS_API_ROUTES } from './opsRoutes';
import { opsServices, type OpsServicesOptions } from './opsServices';
import { PAGE_ROUTES } from './page/pageRoutes';

export { OPS_ROUTES } from './opsRoutes';

export interface OpsHandlerOptions extends OpsServicesOptions {
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
}

/**
 * The operator function `ops` on the one HTTP edge: the operator API (README, "Operator API": the
 * outbox history and the silences, behind the bearer check) and the fleet page (README, "The fleet
 * page": its own session sign-in). One cold start for both: the configuration (`http` for the tokens,
 * `notify` for the store and the configured silences) is parsed once; the one store is opened on the
 * first request that reads it and kept while warm.
 *
 * @example
 * export const handler = createOpsHandler();
 */
export function createOpsHandler(options: OpsHandlerOptions = {}): HttpHandler {
  const env = options.env ?? process.env;
  return createEdge({
    routes: [...OPS_API_ROUTES, ...DOCTOR_API_ROUTES, ...PAGE_ROUTES],
    services: opsServices(options),
    redactor: defaultVariablesRedactor(env, [env.OPS_SESSION_KEY]),
    ...(options.log && { log: options.log }),
  });
}
