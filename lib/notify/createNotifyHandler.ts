import { clientForProject, requestBudgetsFor } from '../config/clientFor';
import { platformRequestId, type InvocationContextLike } from '../config/invocationContext';
import { InvocationSecrets } from '../config/invocationSecrets';
import { loadConfig } from '../config/loadConfig';
import { resolveSecret, type SsmReader } from '../config/resolveSecret';
import type { AppConfig } from '../config/types';
import { lazyOnce } from '../core/once';
import { remainingTimeOr } from '../core/remainingTime';
import type { DmsClient } from '../dms/client';
import type { RequestBudgets } from '../dms/requestBudgets';
import { createStore } from '../state/createStore';
import type { StateStore } from '../state/types';
import type { LogFn } from './log';
import { parseNotifyConfig } from './parseNotifyConfig';
import { resolveDestinations } from './resolveDestinations';
import { defaultLog, runNotifier, type RunSummary } from './runNotifier';
import { normalizeTrigger } from './triggerEvent';
import type { NotifyConfig } from './types';

/**
 * The part of a Lambda (or FunctionGraph) context the notifier reads: time left, request id (the
 * run id), and on FunctionGraph the agency's credentials.
 */
export type InvocationContext = InvocationContextLike;

export interface NotifyHandlerOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly ssm?: SsmReader;
  /** A ready store (tests); @default built from `notify.store` */
  readonly store?: StateStore;
  /** Business clock, and the clock of the secrets cache. @default Date.now */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly log?: LogFn;
  readonly fetch?: typeof fetch;
  /**
   * The request budgets of the DMS clients (tests: a budget with other pause or recovery settings).
   * @default one per access key and region at the configured `requestsPerSecond`
   */
  readonly budgets?: RequestBudgets;
  /** Used when the context gives no remaining time (local runs). @default 60000 */
  readonly defaultRemainingMs?: number;
}

interface Ready {
  readonly store: StateStore;
  readonly clients: ReadonlyMap<string, DmsClient>;
  /** One budget per access key and region, shared by the clients (and kept while warm). */
  readonly budgets: RequestBudgets;
}

/**
 * Builds the scheduled handler. The configuration is read and validated now (cold start), so a bad
 * setting fails the init with its path; the store and the clients are made on the first invocation
 * and kept while the instance is warm (a failure is retried by the next invocation). Secrets are read
 * on every invocation: the credentials from the FunctionGraph context (`credentials.source`
 * `"functiongraph"`) or the references, and the destinations' URLs and secrets, each reference read
 * kept for `secretsCacheSeconds`.
 *
 * @example
 * export const handler = createNotifyHandler();
 */
export function createNotifyHandler(
  options: NotifyHandlerOptions = {},
): (event: unknown, context?: InvocationContext) => Promise<RunSummary> {
  const env = options.env ?? process.env;
  const app: AppConfig = loadConfig(env);
  const config: NotifyConfig = parseNotifyConfig(app, env);
  const log = options.log ?? defaultLog;
  // No I/O until an invocation begins; kept while warm.
  const secrets = new InvocationSecrets(app, {
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
  });
  // Kept while warm; a failure is not kept, so the next invocation tries again.
  const ready = lazyOnce(async (): Promise<Ready> => {
    const store =
      options.store ??
      (await createStore(config.store, {
        ...(options.now ? { now: options.now } : {}),
        // The Redis password and CA, read like every other reference (on the store's first use).
        resolveSecret: (ref) => resolveSecret(ref, secrets.options),
      }));
    const clients = new Map<string, DmsClient>();
    const budgets = options.budgets ?? requestBudgetsFor(app);
    for (const p of app.projects.values()) {
      clients.set(p.projectId, clientForProject(app, p, secrets.credentials, {}, budgets));
    }
    if (config.destinations.size === 0)
      log({ level: 'warn', msg: 'notify has no destinations: failures are recorded but not sent' });
    if (config.store.type === 'file' && env.AWS_LAMBDA_FUNCTION_NAME)
      log({
        level: 'warn',
        msg: 'file store in Lambda: state does not survive the instance; use notify.store dynamodb',
      });
    return { store, clients, budgets };
  });

  return async (event, context) => {
    // This invocation's credentials first (the clients and CSMS reads sign with them), then the rest.
    await secrets.begin(context);
    const r = await ready();
    const destinations = await resolveDestinations(config, secrets.options);
    const runId = platformRequestId(context);
    // The platform's clock when the context has one, else a budget counted down from now.
    const remaining = remainingTimeOr(context, options.defaultRemainingMs ?? 60_000);
    const trigger = normalizeTrigger(event);
    return runNotifier(
      {
        app,
        config,
        store: r.store,
        destinations,
        clientFor: (projectId) => {
          const c = r.clients.get(projectId);
          if (!c) throw new Error(`no client for project ${projectId}`);
          return c;
        },
        budgets: r.budgets,
        remainingMs: remaining,
        log,
        ...(options.now ? { now: options.now } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.random ? { random: options.random } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(runId ? { runId } : {}),
      },
      trigger.kind,
    );
  };
}
