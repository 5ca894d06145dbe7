import { parseConfig } from '../../config/parseConfig';
import type { AppConfig } from '../../config/types';
import { parseNotifyConfig } from '../../notify/config/parseNotifyConfig';
import type { Resolver } from '../../notify/deliver/urlPolicy';
import { clientForProject } from '../../runtime/clientFor';
import { InvocationSecrets } from '../../secrets/invocationSecrets';
import { resolveSecret, type SsmReader } from '../../secrets/resolveSecret';
import type { Credentials } from '../../signing/credentials';
import { createStore } from '../../state/createStore';
import { describeStore } from '../../state/describeStore';
import type { StateStore } from '../../state/types';
import { platformFactsFrom } from '../../runtime/checkPlatform';
import type { DoctorInput, DoctorStore } from './runDoctor';

export interface DoctorWiring {
  /** Where `{"env"}` references and the platform facts are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The invocation context (FunctionGraph agency credentials); none on a workstation. */
  readonly context?: unknown;
  readonly ssm?: SsmReader;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly resolveHost?: Resolver;
  /** A store already open (the `ops` function's own); @default built from `notify.store` */
  readonly store?: StateStore;
}

const refused = (): Promise<never> => Promise.reject(new Error('the configuration did not load'));

/**
 * The self-check's input from a configuration document: secrets read as the functions read them
 * (`InvocationSecrets`, with `context` on FunctionGraph), DMS clients without a request budget (a
 * self-check makes a few calls), the configured store. Where the document does not parse, only the
 * configuration row can be judged: every reader refuses.
 */
export async function doctorInputFrom(document: unknown, wiring: DoctorWiring = {}): Promise<DoctorInput> {
  const env = wiring.env ?? process.env;
  const platform = platformFactsFrom(env);
  let app: AppConfig;
  try {
    app = parseConfig(document);
  } catch {
    return {
      document,
      env,
      platform,
      resolveSecret: refused,
      clientFor: () => {
        throw new Error('the configuration did not load');
      },
      credentials: () => undefined,
    };
  }
  const secrets = new InvocationSecrets(app, {
    env,
    ...(wiring.ssm ? { ssm: wiring.ssm } : {}),
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
    ...(wiring.now ? { now: wiring.now } : {}),
  });
  let current: Credentials | undefined;
  try {
    current = await secrets.begin(wiring.context);
  } catch {
    // The credentials' own references get their rows from the secret check; DMS rows then say it.
  }
  const read = (ref: Parameters<typeof resolveSecret>[0]): Promise<string> => resolveSecret(ref, secrets.options);
  let store: DoctorStore | undefined;
  if (app.notify !== undefined) {
    try {
      const spec = parseNotifyConfig(app, env).store;
      store = {
        name: describeStore(spec),
        open: async () =>
          wiring.store ?? createStore(spec, { resolveSecret: read, ...(wiring.now ? { now: wiring.now } : {}) }),
      };
    } catch {
      // The configuration row reports the notify section's problem.
    }
  }
  return {
    document,
    env,
    platform,
    resolveSecret: read,
    clientFor: (project, param) =>
      clientForProject(
        app,
        project,
        () => {
          if (!current) throw new Error('no credentials could be read (see the secret rows)');
          return current;
        },
        { offsetParam: param },
      ),
    credentials: () => current,
    ...(store ? { store } : {}),
    ...(wiring.now ? { now: wiring.now } : {}),
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
    ...(wiring.resolveHost ? { resolveHost: wiring.resolveHost } : {}),
  };
}
