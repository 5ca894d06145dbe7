/** One structured log entry per call; the notifier's log lines are its operating interface. */
export type LogFn = (entry: Record<string, unknown>) => void;

/** One JSON line per entry: warnings and errors on stderr (where platforms flag them), the rest on stdout. */
export function defaultLog(entry: Record<string, unknown>): void {
  const line = JSON.stringify(entry);
  if (entry.level === 'error' || entry.level === 'warn') console.error(line);
  else console.log(line);
}

/**
 * A short, secret-free name for a failure (`DmsApiError 503 DMS.00400123`): the error's class plus the
 * HTTP status and API error code when it has them, never its message (which may quote a URL).
 */
export function errorName(e: unknown): string {
  if (e instanceof Error) {
    const status = 'status' in e && typeof e.status === 'number' ? ` ${e.status}` : '';
    const code = 'errorCode' in e && typeof e.errorCode === 'string' ? ` ${e.errorCode}` : '';
    return `${e.name}${status}${code}`;
  }
  return 'error';
}
