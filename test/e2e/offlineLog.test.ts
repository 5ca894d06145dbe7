import { describe, expect, it } from 'vitest';
import { offlineLineSource } from '../../dev/offlineLog';
import { LIST_ROUTE, SHOW_ROUTE } from '../../lib/http/constants';

describe('offlineLineSource (the prefix npm start gives a line of serverless-offline output)', () => {
  const logLine = (fields: Record<string, unknown>): string =>
    JSON.stringify({ level: 'info', msg: 'request', ...fields });

  it('names the function of a request log line by its route', () => {
    expect(offlineLineSource(logLine({ route: LIST_ROUTE, status: 200 }))).toBe('list');
    expect(offlineLineSource(logLine({ route: SHOW_ROUTE, status: 500 }))).toBe('show');
  });

  it('labels any other JSON log line "function"', () => {
    expect(offlineLineSource(JSON.stringify({ level: 'info', msg: 'notify run', sent: 1 }))).toBe('function');
    expect(offlineLineSource(logLine({ route: 'GET /elsewhere' }))).toBe('function');
  });

  it('labels serverless-offline\'s own lines (and anything not a JSON object) "offline"', () => {
    for (const line of [
      'GET /v2/p/instances/i/tasks (λ: list)',
      '(λ: list) RequestId: 0e01ad7d  Duration: 48.81 ms  Billed Duration: 49 ms',
      '{ StateStoreError: state store getMany',
      '[1, 2]',
      '{"unterminated": ',
    ]) {
      expect(offlineLineSource(line), line).toBe('offline');
    }
  });
});
