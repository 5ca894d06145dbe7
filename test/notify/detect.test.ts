import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DmsTask } from '../../lib/dms/types';
import { parseNotifierConfig } from '../../lib/notify/config/parseNotifierConfig';
import type { SeenRecord } from '../../lib/notify/records';
import { detect, mayNotify, stuckAfterFor } from '../../lib/notify/scan/detect';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** The notifier's settings as parsed: stuck after 60 min (restarts sooner), 2 reminders 30 min apart. */
const config = parseNotifierConfig(
  {
    projects: { [P]: { region: 'cn-north-4', instances: [{ id: 'i-1', engine: 'kafka', name: 'orders' }] } },
    notify: {
      stuckAfterMinutes: { default: 60, tasks: { 'restart*': 10, 'restartInstance*': 20 } },
      repeatAfterMinutes: 30,
      maxReminders: 2,
    },
  },
  {},
).notify;

function task(status: string, createdMinutesAgo: number, name = 'modifySpec', updatedMinutesAgo = 0): DmsTask {
  return {
    id: 't-1',
    name,
    status,
    created_at: new Date(T0 - createdMinutesAgo * MIN).toISOString(),
    updated_at: new Date(T0 - updatedMinutesAgo * MIN).toISOString(),
    user_name: 'ops',
    user_id: 'u-1',
    params: '{}',
  };
}

describe('detect: what a task calls for, given what was recorded', () => {
  it('a failure once', () => {
    expect(detect(task('FAILED', 5), undefined, config, T0)?.event).toBe('failed');
    expect(detect(task('FAILED', 5), { failed: 'FAILED' }, config, T0)).toBeUndefined();
  });

  it('stuck once past its threshold: the longest matching task glob wins over the default', () => {
    expect(stuckAfterFor(config, 'modifySpec')).toBe(60);
    expect(stuckAfterFor(config, 'restartInstanceNow')).toBe(20);
    expect(stuckAfterFor(config, 'restartBroker')).toBe(10);
    expect(detect(task('EXECUTING', 59), undefined, config, T0)).toBeUndefined();
    expect(detect(task('EXECUTING', 60), undefined, config, T0)).toMatchObject({ event: 'stuck', stuckMinutes: 60 });
    expect(detect(task('EXECUTING', 60), { stuck: true, stuckAt: T0 }, config, T0)).toBeUndefined();
  });

  it('reminders every repeatAfterMinutes after a queued stuck notice, up to maxReminders', () => {
    const stuckAt = T0 - 30 * MIN;
    expect(detect(task('EXECUTING', 90), { stuck: true, stuckAt }, config, T0)).toMatchObject({
      event: 'reminder',
      reminder: 1,
    });
    const once: SeenRecord = { stuck: true, stuckAt, reminders: 1, remindedAt: T0 - 29 * MIN };
    expect(detect(task('EXECUTING', 90), once, config, T0)).toBeUndefined();
    const twice: SeenRecord = { stuck: true, stuckAt, reminders: 2, remindedAt: T0 - 60 * MIN };
    expect(detect(task('EXECUTING', 150), twice, config, T0)).toBeUndefined();
    // A baselined stuck state (no stuckAt) is never reminded of.
    expect(detect(task('EXECUTING', 500), { stuck: true, baseline: true }, config, T0)).toBeUndefined();
  });

  it('recovered once, only after a queued stuck notice, with how long it ran', () => {
    const done = task('SUCCESS', 100, 'modifySpec', 10);
    expect(detect(done, { stuck: true, stuckAt: T0 - 40 * MIN }, config, T0)).toMatchObject({
      event: 'recovered',
      ranMinutes: 90,
    });
    expect(detect(done, { stuck: true }, config, T0)).toBeUndefined();
    expect(detect(done, { stuck: true, stuckAt: T0, recovered: true }, config, T0)).toBeUndefined();
    expect(detect(done, undefined, config, T0)).toBeUndefined();
  });

  it('mayNotify never rules out a task that detect would announce (no state yet)', () => {
    const statuses = fc.constantFrom('FAILED', 'EXECUTING', 'CREATED', 'SUCCESS', 'DELETED', 'RUNNING');
    const names = fc.constantFrom('modifySpec', 'restartBroker', 'restartInstanceNow');
    fc.assert(
      fc.property(statuses, fc.integer({ min: 0, max: 600 }), names, fc.integer({ min: 0, max: 600 }), (s, c, n, u) => {
        const t = task(s, c, n, Math.min(u, c));
        if (detect(t, undefined, config, T0) !== undefined) expect(mayNotify(t, config, T0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
