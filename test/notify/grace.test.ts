import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/loadConfig';
import type { DmsTask } from '../../lib/dms/types';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { withinGrace } from '../../lib/notify/scan/findings';

const MIN = 60_000;
const now = Date.UTC(2026, 10, 20, 12, 0, 0);
const configWith = (notify: Record<string, unknown>) => {
  const doc = { projects: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': 'cn-north-4' }, notify };
  const env = { DMS_TASKS_CONFIG: JSON.stringify(doc) };
  return parseNotifyConfig(loadConfig(env), env);
};
const task = (minutesAgoCreated: number, minutesAgoUpdated: number, status = 'FAILED'): DmsTask => ({
  id: 't',
  name: 'kafkaResetConsumerOffset',
  user_name: 'u',
  user_id: 'u',
  params: '',
  status,
  created_at: new Date(now - minutesAgoCreated * MIN).toISOString(),
  updated_at: new Date(now - minutesAgoUpdated * MIN).toISOString(),
});

describe('withinGrace: what a first scan still announces', () => {
  const config = configWith({ stuckAfterMinutes: { default: 120, tasks: { kafkaResetConsumerOffset: 30 } } });

  it.each([
    ['a failure updated 59 min ago', { task: task(300, 59), event: 'failed' as const }, true],
    ['a failure updated 61 min ago', { task: task(300, 61), event: 'failed' as const }, false],
    // Stuck since created + its threshold (30 min for this name).
    ['stuck for 50 min (created 80 min ago)', { task: task(80, 80, 'EXECUTING'), event: 'stuck' as const }, true],
    ['stuck for 70 min (created 100 min ago)', { task: task(100, 100, 'EXECUTING'), event: 'stuck' as const }, false],
    ['a reminder is never a first-scan event', { task: task(40, 40, 'EXECUTING'), event: 'reminder' as const }, false],
  ])('%s', (_name, d, expected) => {
    expect(withinGrace(d, config, now)).toBe(expected);
  });

  it('baselineGraceMinutes 0 announces nothing; the setting is checked', () => {
    expect(withinGrace({ task: task(1, 1), event: 'failed' }, configWith({ baselineGraceMinutes: 0 }), now)).toBe(
      false,
    );
    expect(configWith({}).baselineGraceMinutes).toBe(60);
    expect(() => configWith({ baselineGraceMinutes: -1 })).toThrow(/notify\.baselineGraceMinutes/);
  });
});
