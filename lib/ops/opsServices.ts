import { lazyOnce } from '../core/once';
import { parseHttpConfig } from '../config/parseHttpConfig';
import { readObject } from '../config/readers';
import type { HttpConfig, SecretRef } from '../config/types';
import { DmsTaskClient, type DmsClientOptions } from '../dms/taskClient';
import { parseNotifierConfig, type NotifierConfig } from '../notify/config/parseNotifierConfig';
import { deferredColdStart, type Runtime } from '../runtime/coldStart';
import { resolveSecret, type SsmReader } from '../secrets/resolveSecret';
import { createStore } from '../state/createStore';
import type { StateStore } from '../state/types';
import { DEFAULT_SESSION_SECONDS } from './page/constants';
import { LiveTasks, type LiveTasksOptions } from './page/liveTasks';
import { NotifierSilences, type SilenceApi } from './page/silences';

/** What `ops` reads: the notifier's settings (store, silences, destinations) and `http` (the tokens). */
export interface OpsConfig extends NotifierConfig {
  readonly http: HttpConfig;
}

/** Validates the document once with the notifier's and the HTTP functions' own parsers. */
export function parseOpsConfig(doc: unknown, env: NodeJS.ProcessEnv): OpsConfig {
  return { ...parseNotifierConfig(doc, env), http: parseHttpConfig(readObject(doc, '(root)').http) };
}

/** The fleet page's own settings. */
export interface FleetPageOptions {
  /** Session lifetime after sign-in. @default DEFAULT_SESSION_SECONDS (3600) */
  readonly sessionSeconds?: number;
  /** @default the LiveTasks defaults (30 s cache, 2 pages per instance) */
  readonly live?: LiveTasksOptions;
  /** DMS client overrides (tests: retry timing). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /**
   * The session key's secret. @default `{"env": "OPS_SESSION_KEY"}` when that variable is set, else a key
   * derived from the accepted bearer tokens
   */
  readonly sessionKey?: SecretRef;
}

export interface OpsServicesOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly ssm?: SsmReader;
  /** A ready store (tests); @default built from `notify.store`, like the notifier's */
  readonly store?: StateStore;
  /** Clock of silences, history and sessions (and of the secrets cache). @default Date.now */
  readonly now?: () => number;
  /** The fleet page's own settings (session lifetime, listing cache, DMS client overrides). @default none */
  readonly page?: FleetPageOptions;
}

/** What a warm `ops` instance keeps for the operator API and the fleet page: one runtime, one store. */
export interface OpsServices extends Runtime<OpsConfig> {
  /** The notifier's store, opened on first use (after the invocation's credentials) and kept while warm. */
  readonly store: () => Promise<StateStore>;
  /** The silences over that store (`NotifierSilences`). */
  readonly silences: () => Promise<SilenceApi>;
  /** The fleet page's cache of live listings. */
  readonly live: LiveTasks;
  readonly now: () => number;
  /** Where the configuration and `{"env"}` references are read (the self-check reads the document again). */
  readonly env: NodeJS.ProcessEnv;
  readonly sessionSeconds: number;
  /** The session key's secret reference, when one is set. */
  readonly sessionKey: SecretRef | undefined;
}

/**
 * The cold start of `ops`: the configuration parsed once (`parseOpsConfig`) at cold start, the one
 * store made on the first request that reads it, with the same secret resolution as the notifier's.
 */
export function opsServices(options: OpsServicesOptions = {}): (context: unknown) => Promise<OpsServices> {
  const env = options.env ?? process.env;
  const runtime = deferredColdStart({
    parse: (doc) => parseOpsConfig(doc, env),
    Client: DmsTaskClient,
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
    ...(options.page?.client && { client: options.page.client }),
  });
  const page = options.page ?? {};
  const sessionKey = page.sessionKey ?? (env.OPS_SESSION_KEY ? { env: 'OPS_SESSION_KEY' } : undefined);
  return lazyOnce(async (context: unknown): Promise<OpsServices> => {
    const rt = await runtime(context);
    const store = lazyOnce(
      async () =>
        options.store ??
        createStore(rt.config.notify.store, {
          ...(options.now ? { now: options.now } : {}),
          resolveSecret: (ref) => resolveSecret(ref, rt.secrets.options),
        }),
    );
    const silences = lazyOnce(
      async (): Promise<SilenceApi> => new NotifierSilences(await store(), rt.config.notify.silences),
    );
    return {
      ...rt,
      store,
      silences,
      live: new LiveTasks(page.live),
      now: options.now ?? Date.now,
      env,
      sessionSeconds: page.sessionSeconds ?? DEFAULT_SESSION_SECONDS,
      sessionKey,
    };
  });
}
