import { credentialsFromContext, type Credentials, type CredentialsProvider } from '../signing/credentials';
import { resolveCredentials } from './resolveCredentials';
import { createCsmsReader } from './csmsReader';
import type { SecretOptions, SsmReader } from './resolveSecret';
import { SecretCache } from './secretCache';
import type { SecretsConfig } from '../config/types';

/** What `InvocationSecrets` reads with. */
export interface InvocationSecretsOptions {
  /** Where `{"env": ...}` is read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reader of `{"ssm": ...}`. @default the AWS SDK's, loaded on first use */
  readonly ssm?: SsmReader;
  /** The clock of the secrets cache (tests). @default Date.now */
  readonly now?: () => number;
  /** The fetch of CSMS reads (tests). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * The secrets of a warm function instance, read per invocation: the cloud credentials (from the
 * FunctionGraph context on every invocation, or from the references through the cache) and every
 * other secret reference through one `SecretCache` of `secretsCacheSeconds`. Clients are built once
 * with `credentials`, a provider of the credentials of the latest invocation, so a rotated key is
 * signed with as soon as an invocation brings it.
 *
 * @example
 * const secrets = new InvocationSecrets(config, { env });
 * const credentials = await secrets.begin(context); // first thing in each invocation
 * const token = await resolveSecret(ref, secrets.options);
 */
export class InvocationSecrets {
  /** Options for `resolveSecret` and its callers: env, SSM, CSMS (signed with `credentials`), the cache. */
  readonly options: SecretOptions;
  #current: Credentials | undefined;
  readonly #config: SecretsConfig;

  constructor(config: SecretsConfig, options: InvocationSecretsOptions = {}) {
    this.#config = config;
    const cache = new SecretCache({
      ttlMs: config.secretsCacheSeconds * 1000,
      ...(options.now && { now: options.now }),
    });
    const csms =
      config.csms &&
      createCsmsReader({
        ...config.csms,
        credentials: this.credentials,
        timeoutMs: config.timeoutMs,
        ...(options.fetch && { fetch: options.fetch }),
      });
    this.options = {
      env: options.env ?? process.env,
      cache,
      ...(csms && { csms }),
      ...(options.ssm && { ssm: options.ssm }),
    };
  }

  /**
   * The credentials of the latest invocation (`begin`), for clients and CSMS reads to sign with.
   * Throws before the first `begin`.
   */
  readonly credentials: CredentialsProvider = () => {
    if (!this.#current) throw new Error('InvocationSecrets: no invocation has begun');
    return this.#current;
  };

  /**
   * Reads this invocation's credentials and makes them current: from the context with source
   * `functiongraph` (the platform rotates them; `MissingContextCredentialsError` when the context has
   * none), else from the references (cached). Call it first in every invocation.
   */
  async begin(context: unknown): Promise<Credentials> {
    const credentials =
      this.#config.credentials.source === 'functiongraph'
        ? credentialsFromContext(context)
        : await resolveCredentials(this.#config, this.options);
    this.#current = credentials;
    return credentials;
  }

  /** Never shows a secret. */
  toJSON(): string {
    return '[InvocationSecrets]';
  }
}
