import { describe, expect, it } from 'vitest';
import { keys } from '../../lib/notify/records';
import { coverageOf, coverageWarning, scanCapacity, type Plan } from '../../lib/notify/scan/plan';
import { TimeBudget } from '../../lib/notify/timeBudget';
import type { InstanceTarget } from '../../lib/notify/types';
import type { Versioned } from '../../lib/state/types';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const target = (instanceId: string): InstanceTarget => ({
  projectId: 'p',
  region: 'cn-north-4',
  instanceId,
  name: instanceId,
  engine: 'kafka',
  routes: [],
});

/** A plan of instances a..d: a scanned 10 min ago, b 30 min ago, c 2 min ago, d never. */
function plan(): Plan {
  const scannedAgo = { a: 10, b: 30, c: 2 };
  const cursors = new Map<string, Versioned>(
    Object.entries(scannedAgo).map(([id, minutes]) => {
      const key = keys.cursor('p', id);
      const value = { lastScanAt: new Date(NOW - minutes * 60_000).toISOString(), baselineDone: true };
      return [key, { key, version: 1, value }];
    }),
  );
  return { queue: ['d', 'b', 'a', 'c'].map(target), cursors };
}

describe('a run’s coverage of the watched fleet', () => {
  it('the oldest scan among the instances this run did not scan, and those never scanned', () => {
    const scanned = new Set([keys.cursor('p', 'b')]);
    expect(coverageOf(plan(), scanned, NOW)).toEqual({
      instancesWatched: 4,
      neverScanned: 1,
      oldestScanAgeSeconds: 600,
    });
    const all = new Set(['a', 'b', 'c', 'd'].map((id) => keys.cursor('p', id)));
    expect(coverageOf(plan(), all, NOW)).toEqual({ instancesWatched: 4, neverScanned: 0, oldestScanAgeSeconds: 0 });
  });

  it('the capacity of a run: the time before the delivery reserve at the request rate', () => {
    // The shipped settings: a 300 s run (the 5-minute schedule), 20 requests/s, no backlog.
    const budget = new TimeBudget(() => 300_000);
    expect(scanCapacity(budget, 20)).toBe(Math.floor(((300_000 - 10_000 - 3000) / 1000) * 20));
    budget.noteBacklog(100);
    expect(scanCapacity(budget, 20)).toBe(Math.floor(((300_000 - 60_000 - 3000) / 1000) * 20));
  });

  it('warns with what to change only when instances were left for the next run', () => {
    const coverage = { instancesWatched: 8000, neverScanned: 0, oldestScanAgeSeconds: 420 };
    expect(coverageWarning(coverage, 0, 5740, 20)).toBeUndefined();
    const warning = coverageWarning(coverage, 2260, 5740, 20);
    expect(warning).toMatchObject({
      level: 'warn',
      instancesSkipped: 2260,
      oldestScanAgeSeconds: 420,
      scanCapacity: 5740,
      requestsPerSecond: 20,
    });
    expect(String(warning?.advice)).toMatch(/timeout.*requestsPerSecond/);
  });
});
