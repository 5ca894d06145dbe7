import { parseHttpAppConfig } from '../config/parseHttpConfig';
import { DmsTaskClient, type DmsClientOptions } from '../dms/taskClient';
import { DEFAULT_ALL_MAX_PAGES } from '../http/constants';
import { createEdge, type HttpHandler } from '../http/createEdge';
import { defaultVariablesRedactor } from '../http/redact';
import type { LogSink } from '../http/requestLog';
import { routeName, type Route } from '../http/routes';
import { deferredColdStart } from '../runtime/coldStart';
import type { SsmReader } from '../secrets/resolveSecret';
import type { TasksServices } from './route';

export type { ContextLike, HttpHandler } from '../http/createEdge';

export interface HttpHandlerOptions {
  /** Where configuration, credentials and env token references are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** SSM reader for `{"ssm": ...}` references. @default the AWS SDK's, loaded on first use */
  readonly ssm?: SsmReader;
  /** DMS client overrides (tests: retry timing, the transport `send`). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /** Pages `all=true` follows before it stops and says so. @default DEFAULT_ALL_MAX_PAGES (20) */
  readonly allMaxPages?: number;
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
  /** The clock of the secrets cache (`secretsCacheSeconds`; tests). @default Date.now */
  readonly now?: () => number;
}

/**
 * The handler of one task route (`listRoute` or `showRoute`) on the one HTTP edge (`createEdge`).
 * Configuration is read and validated here, once per cold start (a pointer, `configFrom`, on the first
 * invocation): only `http` and the shared settings, so a mistake in the notifier's does not take these
 * functions down. Secrets are read per request: the credentials from the FunctionGraph context
 * (`credentials.source` `"functiongraph"`) or the references, and the bearer tokens, each reference
 * read kept for `secretsCacheSeconds`. A configuration or secret error answers with a generic 500;
 * its message goes to the log only.
 *
 * @example
 * export const handler = createHttpHandler(listRoute);
 */
export function createHttpHandler(route: Route<TasksServices>, options: HttpHandlerOptions = {}): HttpHandler {
  const env = options.env ?? process.env;
  const runtime = deferredColdStart({
    parse: parseHttpAppConfig,
    Client: DmsTaskClient,
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
    ...(options.client && { client: options.client }),
  });
  const allMaxPages = options.allMaxPages ?? DEFAULT_ALL_MAX_PAGES;
  return createEdge({
    routes: [route],
    services: async (context) => ({ ...(await runtime(context)), allMaxPages }),
    // Until the configured references are known, redact the SDK's default variables.
    redactor: defaultVariablesRedactor(env),
    ...(options.log && { log: options.log }),
    // One route per function: every request is logged under it.
    unmatched: routeName(route),
  });
}
