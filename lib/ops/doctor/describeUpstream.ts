import { DmsApiError, DmsNetworkError, DmsTimeoutError, isDmsError } from '../../dms/errors';

/** How an upstream failure reads in a self-check row: status, upstream code, request id; never a URL with a query. */
export function describeUpstream(err: unknown): string {
  if (err instanceof DmsApiError) {
    return `HTTP ${err.status} ${err.errorCode}${err.requestId ? `, request id ${err.requestId}` : ''}`;
  }
  if (err instanceof DmsTimeoutError) return 'no answer before the timeout';
  if (err instanceof DmsNetworkError) return `no connection (${err.message})`;
  if (isDmsError(err)) return `${err.message}${err.requestId ? `, request id ${err.requestId}` : ''}`;
  return err instanceof Error ? err.message : 'failed';
}

/** The upstream HTTP status of a failure, when one arrived. */
export function statusOf(err: unknown): number | undefined {
  return isDmsError(err) ? err.status : undefined;
}
