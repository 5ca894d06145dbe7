import { DmsClient, type DmsClientOptions } from '../dms/client';
import { RequestBudgets } from '../dms/requestBudgets';
import type { Credentials, CredentialsProvider } from '../signing/credentials';
import { resolveSecret, type SecretOptions } from './resolveSecret';
import type { CoreConfig, CoreProject } from './types';

/**
 * Resolves the cloud credentials named by the configuration's references (each read kept for
 * `options.cache`'s lifetime, when given). With `credentials.source` `"functiongraph"` there are no
 * references: those come from each invocation's context (`InvocationSecrets`).
 */
export async function resolveCredentials(
  config: Pick<CoreConfig, 'credentials'>,
  options: SecretOptions = {},
): Promise<Credentials> {
  const creds = config.credentials;
  if (creds.source !== 'references') {
    throw new TypeError('credentials.source "functiongraph": the credentials come from the invocation context');
  }
  const [accessKeyId, secretAccessKey] = await Promise.all([
    resolveSecret(creds.ak, options),
    resolveSecret(creds.sk, options),
  ]);
  const tokenRef = creds.securityToken;
  // The token is optional: only a reference that was set explicitly to SSM must resolve.
  const securityToken = !tokenRef
    ? undefined
    : 'env' in tokenRef
      ? (options.env ?? process.env)[tokenRef.env]
      : await resolveSecret(tokenRef, options);
  return securityToken ? { accessKeyId, secretAccessKey, securityToken } : { accessKeyId, secretAccessKey };
}

/**
 * The request budgets of one cold start at the configured `requestsPerSecond`: give the same
 * registry to every client built, so that clients of one account and region share one budget.
 */
export function requestBudgetsFor(config: CoreConfig): RequestBudgets {
  return new RequestBudgets({ requestsPerSecond: config.requestsPerSecond });
}

/**
 * The DMS client options of one configured project (endpoint, region, offset name, timeout, and the
 * budget of its access key and region from `budgets`, when given). With a credentials provider, the
 * budget is that of the access key current when the client is built: the platform's rotated
 * temporary keys of one agency are one account, so they keep drawing on one budget.
 */
export function clientOptionsFor(
  config: CoreConfig,
  project: CoreProject,
  credentials: Credentials | CredentialsProvider,
  overrides: Partial<DmsClientOptions> = {},
  budgets?: RequestBudgets,
): DmsClientOptions {
  return {
    projectId: project.projectId,
    credentials,
    region: project.region,
    endpoint: project.endpoint ?? config.endpoint,
    offsetParam: config.offsetParam,
    offsetBase: config.offsetBase,
    pageSize: config.pageSize,
    timeoutMs: config.timeoutMs,
    ...(budgets
      ? { budget: budgets.for(typeof credentials === 'function' ? credentials() : credentials, project.region) }
      : {}),
    ...overrides,
  };
}

/** A DMS client for one configured project (drawing on `budgets`, when given). */
export function clientForProject(
  config: CoreConfig,
  project: CoreProject,
  credentials: Credentials | CredentialsProvider,
  overrides: Partial<DmsClientOptions> = {},
  budgets?: RequestBudgets,
): DmsClient {
  return new DmsClient(clientOptionsFor(config, project, credentials, overrides, budgets));
}
