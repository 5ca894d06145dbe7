import { DmsClient, type DmsClientOptions } from '../dms/client';
import type { Pacing } from '../dms/requestBudget';
import { RequestBudgets } from '../dms/requestBudgets';
import type { Credentials, CredentialsProvider } from '../signing/credentials';
import type { CoreConfig, CoreProject } from '../config/types';

/**
 * The request budgets of one cold start at the configured `requestsPerSecond`: give the same
 * registry to every client built, so that clients of one account and region share one budget.
 * `pacing`: the HTTP functions (list, show, ops and the fleet page) answer a person waiting, so their
 * calls go at once and are paced only after upstream throttled (the pause and the lowered rate then
 * hold for every call of the instance); the notifier's scan walks the whole fleet and paces itself
 * (`always`).
 * @default 'after-throttle'
 */
export function requestBudgetsFor(config: CoreConfig, pacing: Pacing = 'after-throttle'): RequestBudgets {
  return new RequestBudgets({ requestsPerSecond: config.requestsPerSecond, pacing });
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
