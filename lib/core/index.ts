export { backoff } from './backoff';
export { isRecord } from './isRecord';
export { mapLimit } from './mapLimit';
export { lazyOnce } from './once';
export { remainingTimeOf, remainingTimeOr, type RemainingTimeContext } from './remainingTime';
export { sleep } from './sleep';
