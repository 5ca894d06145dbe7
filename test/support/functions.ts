import { createNotifyHandler, type NotifyHandlerOptions } from '../../lib/notify/createNotifyHandler';
import { createOpsHandler, type OpsHandlerOptions } from '../../lib/ops/createOpsHandler';
import type { StateStore } from '../../lib/state/types';
import { createHttpHandler, listRoute, showRoute, type HttpHandler, type HttpHandlerOptions } from '../../lib/tasks';

/** Fast retries for tests: the same 3 attempts, without the production waits. */
export const FAST_CLIENT: HttpHandlerOptions['client'] = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

export interface FunctionsOptions {
  /** The environment every function reads (`DMS_TASKS_CONFIG`, credentials, tokens, destination secrets). */
  readonly env: Record<string, string>;
  /** The state store `ops` and the notifier share (tests hold it). @default built from `notify.store` */
  readonly store?: StateStore;
  /** The clock of every function (silences, history, sessions, the secrets cache). @default Date.now */
  readonly now?: () => number;
  /** Where the HTTP functions' log lines go. @default kept in `logs` */
  readonly log?: (line: string) => void;
  /** Options of `list` and `show` over the defaults (fast DMS retries). @default none */
  readonly http?: HttpHandlerOptions;
  /** Options of `ops` over the defaults. @default none */
  readonly ops?: Partial<OpsHandlerOptions>;
  /** Options of the notifier over the defaults. @default none */
  readonly notify?: Partial<NotifyHandlerOptions>;
}

/** The four functions of one test stack; each call is a fresh cold start. */
export interface Functions {
  list(): HttpHandler;
  show(): HttpHandler;
  ops(): HttpHandler;
  notify(extra?: Partial<NotifyHandlerOptions>): ReturnType<typeof createNotifyHandler>;
  /** The HTTP functions' request log lines, when no `log` was given. */
  readonly logs: string[];
}

/**
 * The one builder of a test stack's functions: `list`, `show`, `ops` and the notifier over one
 * environment and one store, the way the platforms build them (the handler factories of `lib/`), with
 * the test defaults. The emulator, sink and store around them are the caller's (`handlersFor`,
 * `createHarness`, `startPageStack` start theirs).
 */
export function functionsFor(options: FunctionsOptions): Functions {
  const logs: string[] = [];
  const log = options.log ?? ((line: string) => void logs.push(line));
  const shared = {
    env: options.env,
    ...(options.now && { now: options.now }),
  };
  const http = (): HttpHandlerOptions => ({ ...shared, client: FAST_CLIENT, log, ...options.http });
  return {
    logs,
    list: () => createHttpHandler(listRoute, http()),
    show: () => createHttpHandler(showRoute, http()),
    ops: () => createOpsHandler({ ...shared, log, ...(options.store && { store: options.store }), ...options.ops }),
    notify: (extra = {}) =>
      createNotifyHandler({ ...shared, ...(options.store && { store: options.store }), ...options.notify, ...extra }),
  };
}
