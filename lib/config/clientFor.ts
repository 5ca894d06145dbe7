import { DmsClient, type DmsClientOptions } from '../dms/client';
import { RequestBudgets } from '../dms/requestBudgets';
import type { Credentials } from '../signing/credentials';
import { resolveSecret, type SsmReader } from './resolveSecret';
import type { CoreConfig, CoreProject } from './types';

/** Resolves the cloud credentials named by the configuration (once per cold start). */
export async function resolveCredentials(
  config: CoreConfig,
  options: { env?: NodeJS.ProcessEnv; ssm?: SsmReader } = {},
): Promise<Credentials> {
  const [accessKeyId, secretAccessKey] = await Promise.all([
    resolveSecret(config.credentials.ak, options),
    resolveSecret(config.credentials.sk, options),
  ]);
  const tokenRef = config.credentials.securityToken;
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
 * budget of its access key and region from `budgets`, when given).
 */
export function clientOptionsFor(
  config: CoreConfig,
  project: CoreProject,
  credentials: Credentials,
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
    ...(budgets ? { budget: budgets.for(credentials, project.region) } : {}),
    ...overrides,
  };
}

/** A DMS client for one configured project (drawing on `budgets`, when given). */
export function clientForProject(
  config: CoreConfig,
  project: CoreProject,
  credentials: Credentials,
  overrides: Partial<DmsClientOptions> = {},
  budgets?: RequestBudgets,
): DmsClient {
  return new DmsClient(clientOptionsFor(config, project, credentials, overrides, budgets));
}
