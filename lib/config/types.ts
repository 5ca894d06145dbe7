import type { Engine, OffsetBase, OffsetParam } from '../dms/types';

/**
 * A secret is never written inline in the configuration: it names an environment variable, an SSM
 * parameter (SecureString, decrypted) or a secret of Huawei's CSMS (its latest version). Each read
 * is kept for `secretsCacheSeconds`.
 */
export type SecretRef = { readonly env: string } | { readonly ssm: string } | { readonly csms: string };

/** AK/SK (and optional security token) from secret references: the default, and the way on Lambda. */
export interface ReferenceCredentials {
  readonly source: 'references';
  /** @default `{ env: 'CLOUD_SDK_AK' }` */
  readonly ak: SecretRef;
  /** @default `{ env: 'CLOUD_SDK_SK' }` */
  readonly sk: SecretRef;
  /** Optional: an unset variable means none. @default `{ env: 'CLOUD_SDK_SECURITY_TOKEN' }` */
  readonly securityToken?: SecretRef;
}

/**
 * The FunctionGraph agency's temporary credentials, read from each invocation's context
 * (`getSecurityAccessKey()`, `getSecuritySecretKey()`, `getSecurityToken()`): no AK/SK anywhere.
 */
export interface FunctionGraphCredentials {
  readonly source: 'functiongraph';
  /** Never set with this source (declared so `credentials.ak` reads as absent on either source). */
  readonly ak?: never;
  readonly sk?: never;
  readonly securityToken?: never;
}

/** Where the cloud credentials come from. @default `{ source: 'references', ... }` */
export type CredentialsConfig = ReferenceCredentials | FunctionGraphCredentials;

/** Where `{"csms": ...}` references are read: a project of a region and its CSMS endpoint. */
export interface CsmsSettings {
  /** @default the first configured project */
  readonly projectId: string;
  /** @default that project's region (else the top-level `region`) */
  readonly region: string;
  /** Endpoint override (the emulator, a proxy). @default `https://kms.{region}.myhuaweicloud.com` */
  readonly endpoint: string;
}

/** An instance named in the configuration: what every function knows of it. */
export interface CoreInstance {
  readonly id: string;
  readonly engine: Engine;
  /** Friendly name used in notifications. @default the id */
  readonly name: string;
}

/** A watched instance as the notifier reads it: the shared part plus its routes. */
export interface WatchedInstance extends CoreInstance {
  /** Names of notification routes for this instance (interpreted by the notifier). @default [] (the default routes) */
  readonly routes: readonly string[];
}

/** A project as every function reads it. */
export interface CoreProject {
  readonly projectId: string;
  readonly region: string;
  /** Endpoint override for this project. @default the top-level `endpoint`, else the region's */
  readonly endpoint?: string;
  /** Instances watched by the notifier (and allowed by `http.allowInstances: "watched"`). @default [] */
  readonly instances: readonly CoreInstance[];
}

/** A project as the notifier reads it: the shared part plus routes per instance and discovery. */
export interface ProjectConfig extends CoreProject {
  readonly instances: readonly WatchedInstance[];
  /** Engines whose instances are discovered through the instance listing API. @default [] */
  readonly discover: readonly Engine[];
}

export interface HttpConfig {
  /** Callers must send a bearer token. @default true */
  readonly authRequired: boolean;
  /** Accepted bearer tokens (several at once, for rotation). Each reference may hold a comma-separated list. */
  readonly tokens: readonly SecretRef[];
  /**
   * Instances the HTTP functions may read: `"any"` (every instance of a configured project),
   * `"watched"` (only those listed under `projects.*.instances`), or an explicit list of ids.
   * @default "any"
   */
  readonly allowInstances: 'any' | 'watched' | readonly string[];
}

/** The settings every function reads: projects, credentials and how the DMS API is called. */
export interface CoreConfig {
  readonly projects: ReadonlyMap<string, CoreProject>;
  /** Endpoint override for every project (the emulator, a proxy). */
  readonly endpoint?: string;
  /** @default 'start' */
  readonly offsetParam: OffsetParam;
  /**
   * Offset of the first task upstream: where the pager and `all=true` start, and what an absent
   * `start` means for `Link`. @default 1 (Huawei's Terraform provider: "`start` counts from `1`")
   */
  readonly offsetBase: OffsetBase;
  /**
   * Whether the document sets `offsetParam` and `offsetBase` itself: an explicit value wins over what the
   * self-check's paging probe found (`dms.paging`); a default gives way to it in the notifier's scan.
   */
  readonly pagingExplicit: { readonly param: boolean; readonly base: boolean };
  /**
   * Tasks asked per page by the pager (the notifier's scan, `all=true` without `limit`), 1 to 100.
   * @default 100 (what Huawei's RocketMQ data source sends: the fewest round trips)
   */
  readonly pageSize: number;
  /** @default 10000 */
  readonly timeoutMs: number;
  /**
   * DMS requests per second per account (access key) and region, shared by every call of an
   * invocation; lowered for a while after a throttled answer. A tenth of the per-API default in
   * Huawei's API signing guide, so several deployments can share one account.
   * @default 20 (`DEFAULT_REQUESTS_PER_SECOND`)
   */
  readonly requestsPerSecond: number;
  /**
   * Where the credentials come from: secret references, or the FunctionGraph invocation context.
   * @default source `references`, ak `{ env: 'CLOUD_SDK_AK' }`, sk `{ env: 'CLOUD_SDK_SK' }`,
   *   securityToken `{ env: 'CLOUD_SDK_SECURITY_TOKEN' }`
   */
  readonly credentials: CredentialsConfig;
  /** Where `{"csms": ...}` references are read. @default see `CsmsSettings` */
  readonly csms: CsmsSettings;
  /**
   * How long a secret read (env, SSM, CSMS) is kept before it is read again, so a rotated secret is
   * picked up without a cold start; a failed read is not kept. @default 300
   * (`DEFAULT_SECRETS_CACHE_SECONDS`)
   */
  readonly secretsCacheSeconds: number;
}

/** What the secret readers of an invocation need (`InvocationSecrets`): credentials, CSMS, timeouts, cache. */
export type SecretsConfig = Pick<CoreConfig, 'credentials' | 'timeoutMs' | 'secretsCacheSeconds'> & {
  /** Absent: no CSMS reader (a `{"csms": ...}` reference then fails to resolve, naming itself). */
  readonly csms?: CsmsSettings;
};

/** What the HTTP functions (`list`, `show`) read: the shared settings and the `http` section. */
export interface HttpAppConfig extends CoreConfig {
  readonly http: HttpConfig;
}

/**
 * What the notifier reads before its own section: the shared settings, with routes and discovery per
 * project, and the raw `notify` section that `parseNotifyConfig` validates.
 */
export interface AppConfig extends CoreConfig {
  readonly projects: ReadonlyMap<string, ProjectConfig>;
  /** The raw `notify` section, validated by the notifier's own parser. */
  readonly notify: unknown;
}
