import { lazyOnce } from '../core/once';
import type { CoreConfig, CoreProject } from '../config/types';
import type { Pacing } from '../dms/requestBudget';
import type { RequestBudgets } from '../dms/requestBudgets';
import type { DmsClientOptions, DmsTaskClient } from '../dms/taskClient';
import type { OffsetBase, OffsetParam } from '../dms/types';
import { InvocationSecrets, type InvocationSecretsOptions } from '../secrets/invocationSecrets';
import type { SsmReader } from '../secrets/resolveSecret';
import { clientOptionsFor, requestBudgetsFor } from './clientFor';
import { loadConfigWith } from './configLoader';

/** What one function's cold start is made of. */
export interface ColdStartOptions<C extends CoreConfig, K extends DmsTaskClient> {
  /** The function's own parser of the configuration document (only its sections are read). */
  readonly parse: (doc: unknown) => C;
  /** The DMS client class: `DmsTaskClient` (list, show, ops), `DmsClient` (the notifier lists instances too). */
  readonly Client: new (
    options: DmsClientOptions,
  ) => K;
  /** Where configuration, credentials and `{"env": ...}` references are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reader of `{"ssm": ...}`. @default the AWS SDK's, loaded on first use */
  readonly ssm?: SsmReader;
  /** The clock of the secrets cache (tests). @default Date.now */
  readonly now?: () => number;
  /** DMS client overrides (tests: retry timing, the transport `send`). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /**
   * The request budgets (tests: other pause or recovery settings).
   * @default one per access key and region at `requestsPerSecond`
   */
  readonly budgets?: RequestBudgets;
  /**
   * How the budgets pace calls (`requestBudgetsFor`): the HTTP functions answer a person waiting;
   * the notifier's scan walks the whole fleet (`always`).
   * @default 'after-throttle'
   */
  readonly pacing?: Pacing;
}

/** A paging parameter and base to use instead of the configured ones. */
export interface PagingOverride {
  readonly offsetParam: OffsetParam;
  readonly offsetBase: OffsetBase;
}

/** What a warm instance keeps: the configuration, the secrets of each invocation, the DMS clients. */
export interface Runtime<C extends CoreConfig, K extends DmsTaskClient = DmsTaskClient> {
  readonly config: C;
  /**
   * The credentials (current per invocation: call `secrets.begin(context)` first) and the cached reads
   * of every other secret.
   */
  readonly secrets: InvocationSecrets;
  /** One request budget per access key and region, shared by the clients (an `all=true` walk's pages too). */
  readonly budgets: RequestBudgets;
  /**
   * The DMS client of a configured project, built on first use and kept while warm; it signs with
   * `secrets.credentials`. `paging` overrides the configured paging parameter and base (the notifier:
   * what the self-check's probe found); one client is kept per project and paging.
   */
  readonly clientFor: (project: CoreProject, paging?: PagingOverride) => K;
}

/**
 * One function's cold start, the same for all four: the configuration is read and parsed now, so a bad
 * setting throws here with its path (`ConfigError`); a pointer (`configFrom`) is read on the first
 * invocation. The returned function gives the invocation its runtime: built on the first call and
 * kept while warm (a failure is not kept; the next invocation tries again). No store: a function that
 * keeps state builds its own over `secrets` (the store is injected, so `list` and `show` bundle none).
 *
 * @example
 * const runtime = coldStart({ parse: parseHttpAppConfig, Client: DmsTaskClient });
 * const rt = await runtime(context);
 * await rt.secrets.begin(context);
 */
export function coldStart<C extends CoreConfig, K extends DmsTaskClient>(
  options: ColdStartOptions<C, K>,
): (context: unknown) => Promise<Runtime<C, K>> {
  const env = options.env ?? process.env;
  const secretOptions: InvocationSecretsOptions = {
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
  };
  const loader = loadConfigWith(options.parse, env, secretOptions);
  return lazyOnce(async (context: unknown): Promise<Runtime<C, K>> => {
    const config = await loader.forInvocation(context);
    const secrets = new InvocationSecrets(config, secretOptions);
    const budgets = options.budgets ?? requestBudgetsFor(config, options.pacing);
    const clients = new Map<string, K>();
    const clientFor = (project: CoreProject, paging?: PagingOverride): K => {
      const key = paging ? `${project.projectId} ${paging.offsetParam} ${paging.offsetBase}` : project.projectId;
      let client = clients.get(key);
      if (!client) {
        const overrides = paging ? { ...options.client, ...paging } : options.client;
        client = new options.Client(clientOptionsFor(config, project, secrets.credentials, overrides, budgets));
        clients.set(key, client);
      }
      return client;
    };
    return { config, secrets, budgets, clientFor };
  });
}

/**
 * `coldStart` for an HTTP function: a configuration error does not throw at init but is thrown again
 * by every invocation, so each request gets the edge's generic 500 (and the log line its path).
 */
export function deferredColdStart<C extends CoreConfig, K extends DmsTaskClient>(
  options: ColdStartOptions<C, K>,
): (context: unknown) => Promise<Runtime<C, K>> {
  try {
    return coldStart(options);
  } catch (e) {
    return () => Promise.reject(e);
  }
}
