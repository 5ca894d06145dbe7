import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../notify/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("the notifier's cold-start self-check", () => {
  it('logs a problem once per warm instance (msg "self-check"), and nothing when all is well', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    h.addInstance('orders');
    const env = (extra: Record<string, string>) => ({
      ...(h?.env ?? {}),
      DMS_TASKS_CONFIG: JSON.stringify(h?.configDoc()),
      ...extra,
    });
    const tooShort = h.handler({
      env: env({ DTF_NOTIFY_TIMEOUT_SECONDS: '30', DTF_NOTIFY_SCHEDULE: 'rate(5 minutes)' }),
    });
    const event = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
    await tooShort(event);
    await tooShort(event);
    const checks = h.logs.filter((l) => l.msg === 'self-check');
    expect(checks).toEqual([
      expect.objectContaining({
        level: 'warn',
        check: 'platform.timeout',
        evidence: 'timeout 30 s, every 300 s',
        fix: expect.stringContaining('at least 60 s'),
      }),
    ]);
    h.logs.length = 0;
    await h.handler({ env: env({ DTF_NOTIFY_TIMEOUT_SECONDS: '300', DTF_NOTIFY_SCHEDULE: 'rate(5 minutes)' }) })(event);
    expect(h.logs.filter((l) => l.msg === 'self-check')).toEqual([]);
  });
});
