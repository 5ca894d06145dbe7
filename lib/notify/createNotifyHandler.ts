import { coldStart, type Runtime } from '../runtime/coldStart';
import { platformRequestId, type InvocationContextLike } from '../runtime/invocationContext';
import { resolveSecret, type SsmReader } from '../secrets/resolveSecret';
import { lazyOnce } from '../core/once';
import { remainingTimeOr } from '../runtime/remainingTime';
import { DmsClient } from '../dms/client';
import type { RequestBudgets } from '../dms/requestBudgets';
import type { OffsetBase, OffsetParam } from '../dms/types';
import { createStore } from '../state/createStore';
import { describeStore } from '../state/describeStore';
import type { StateStore } from '../state/types';
import type { LogFn } from './log';
import { parseNotifierConfig, type NotifierConfig } from './config/parseNotifierConfig';
import { resolveDestinations } from './deliver/resolveDestinations';
import { defaultLog, runNotifier, type RunSummary } from './runNotifier';
import { normalizeTrigger } from './triggerEvent';
import { coldStartCheck } from './coldStartCheck';
import { loadPagingRecord, pagingFromRecord } from './scan/pagingRecord';

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
/**
 * The paging each project's scan uses: what the self-check's probe found and kept in the store
 * (`GET /ops/v1/doctor`, `dms.paging`) where the document sets no value, one store read per project and
 * run. A store that cannot be read leaves the configured paging (the run goes on).
 */
async function probedPaging(
  rt: Runtime<NotifierConfig, DmsClient>,
  store: StateStore,
  log: LogFn,
): Promise<Map<string, { readonly offsetParam: OffsetParam; readonly offsetBase: OffsetBase }>> {
  const out = new Map<string, { readonly offsetParam: OffsetParam; readonly offsetBase: OffsetBase }>();
  const { config } = rt;
  if (config.pagingExplicit.param && config.pagingExplicit.base) return out;
  for (const project of config.projects.values()) {
    try {
      const host = new URL(rt.clientFor(project).origin).host;
      const paging = pagingFromRecord(config, await loadPagingRecord(store, host, project.projectId));
      if (paging) out.set(project.projectId, paging);
    } catch (err) {
      const error = err instanceof Error ? err.message : 'failed';
      log({ level: 'warn', msg: 'paging record unreadable', projectId: project.projectId, error });
    }
  }
  return out;
}

export function createNotifyHandler(
  options: NotifyHandlerOptions = {},
): (event: unknown, context?: InvocationContext) => Promise<RunSummary> {
  const env = options.env ?? process.env;
  // Parsed now (cold start) unless the document is a pointer (`configFrom`): a bad setting fails the init.
  const runtime = coldStart({
    parse: (doc) => parseNotifierConfig(doc, env),
    Client: DmsClient,
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
    ...(options.budgets && { budgets: options.budgets }),
    pacing: 'always',
  });
  const log = options.log ?? defaultLog;
  // No I/O until an invocation begins; kept while warm; a failure is not kept (the next invocation retries).
  const ready = lazyOnce(async ({ config, secrets }: Runtime<NotifierConfig, DmsClient>): Promise<Ready> => {
    const store =
      options.store ??
      (await createStore(config.notify.store, {
        ...(options.now ? { now: options.now } : {}),
        // The Redis password and CA, read like every other reference (on the store's first use).
        resolveSecret: (ref) => resolveSecret(ref, secrets.options),
      }));
    if (config.notify.destinations.size === 0)
      log({ level: 'warn', msg: 'notify has no destinations: failures are recorded but not sent' });
    if (config.notify.store.type === 'file' && env.AWS_LAMBDA_FUNCTION_NAME)
      log({
        level: 'warn',
        msg: 'file store in Lambda: state does not survive the instance; use notify.store dynamodb',
      });
    await coldStartCheck(store, describeStore(config.notify.store), env, options.now ?? Date.now, log);
    return { store };
  });

  return async (event, context) => {
    const rt = await runtime(context);
    const { config: app, secrets } = rt;
    const config = app.notify;
    // This invocation's credentials first (the clients and CSMS reads sign with them), then the rest.
    await secrets.begin(context);
    const r = await ready(rt);
    const destinations = await resolveDestinations(config, secrets.options);
    const runId = platformRequestId(context);
    // The platform's clock when the context has one, else a budget counted down from now.
    const remaining = remainingTimeOr(context, options.defaultRemainingMs ?? 60_000);
    const trigger = normalizeTrigger(event);
    const paging = await probedPaging(rt, r.store, log);
    return runNotifier(
      {
        app,
        config,
        store: r.store,
        destinations,
        clientFor: (projectId) => {
          const project = app.projects.get(projectId);
          if (!project) throw new Error(`no client for project ${projectId}`);
          return rt.clientFor(project, paging.get(projectId));
        },
        budgets: rt.budgets,
        ...(options.store ? {} : { storeLabel: describeStore(config.store) }),
        remainingMs: remaining,
        credentials: secrets.credentials,
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
