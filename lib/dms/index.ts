export { DmsClient } from './client';
export { DmsTaskClient, type DmsClientOptions, type CallOptions, type RetryInfo } from './taskClient';
export {
  iterateTaskPages,
  collectTasks,
  type IterateTasksOptions,
  type TaskPage,
  type IterationResult,
  type StopReason,
} from './paginate';
export { OffsetParamMemory, sharedOffsetParamMemory, otherOffsetParam } from './offsetParamMemory';
export { DMS_REGIONS, endpointForRegion, isKnownRegion, RABBITMQ_REGIONS, REGIONS_BY_ENGINE } from './endpoints';
export {
  DmsError,
  DmsAbortedError,
  DmsThrottledError,
  DmsApiError,
  DmsResponseError,
  DmsNetworkError,
  DmsTimeoutError,
  UnknownRegionError,
  isDmsError,
  type DmsErrorDetails,
} from './errors';
export { parseRetryAfter } from './retryAfter';
export {
  RequestBudget,
  DEFAULT_REQUESTS_PER_SECOND,
  PACINGS,
  type Pacing,
  THROTTLED_ERROR_CODE,
  type RequestBudgetOptions,
  type RequestBudgetStats,
} from './requestBudget';
export { RequestBudgets, budgetKey } from './requestBudgets';
export {
  DEFAULT_RETRY,
  backoffDelay,
  classifyFailure,
  isRetryableStatus,
  retryDelay,
  type Failure,
  type RetryOptions,
  type RetryState,
} from './retryPolicy';
export * from './types';
