export { backoff } from './backoff';
export { isRecord } from './isRecord';
export { mapLimit } from './mapLimit';
export { lazyOnce } from './once';
export { sleep } from './sleep';
