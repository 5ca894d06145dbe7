import { describe, expect, it } from 'vitest';
import type { CoreInstance, CoreProject } from '../../lib/config/types';
import { EVENT_KINDS } from '../../lib/notify/types';
import { allInstances, matchesQuery, outboxKeysOf, silencesFor } from '../../lib/ops/page/fleetData';
import { parseSilence } from '../../lib/notify/silences/parseSilence';

const project = (
  projectId: string,
  region: string,
  names: readonly [CoreInstance['engine'], string][],
): CoreProject => ({
  projectId,
  region,
  instances: names.map(([engine, name], i) => ({ id: `${projectId.slice(0, 2)}-i${i}`, engine, name })),
});

const PROJECTS = new Map<string, CoreProject>([
  ['p2', project('p2', 'cn-north-4', [['kafka', 'orders']])],
  [
    'p1',
    project('p1', 'cn-north-4', [
      ['rocketmq', 'billing'],
      ['kafka', 'payments'],
      ['kafka', 'audit'],
    ]),
  ],
]);

const silence = (matchers: Record<string, readonly string[]>) =>
  parseSilence(
    {
      startsAt: '2026-12-05T00:00:00Z',
      endsAt: '2026-12-06T00:00:00Z',
      matchers,
      createdBy: 'me',
      comment: 'x',
    },
    'test',
    { id: 'sil_1', source: 'api' },
  );

describe('the fleet view’s data, before any call', () => {
  it('lists every configured instance in a stable order: project, region, engine, name', () => {
    expect(allInstances(PROJECTS).map((i) => `${i.projectId}/${i.engine}/${i.name}`)).toEqual([
      'p1/kafka/audit',
      'p1/kafka/payments',
      'p1/rocketmq/billing',
      'p2/kafka/orders',
    ]);
  });

  it('filters case-insensitively over id, name, project, region and engine; empty keeps all', () => {
    const all = allInstances(PROJECTS);
    expect(all.filter((i) => matchesQuery(i, 'PAY')).map((i) => i.name)).toEqual(['payments']);
    expect(all.filter((i) => matchesQuery(i, 'rocket')).map((i) => i.name)).toEqual(['billing']);
    expect(all.filter((i) => matchesQuery(i, '')).length).toBe(4);
    expect(all.filter((i) => matchesQuery(i, 'nothing-like-it')).length).toBe(0);
  });

  it('shows a silence on the instances it covers (by name or id), one for every instance on all', () => {
    const byName = silence({ instances: ['orders'] });
    const everywhere = silence({ events: ['failed'] });
    expect(silencesFor([byName, everywhere], 'p2', 'p2-i0', 'orders')).toEqual([byName, everywhere]);
    expect(silencesFor([byName, everywhere], 'p1', 'p1-i0', 'billing')).toEqual([everywhere]);
  });

  it('reads a task’s notices by key (no scan): one per event kind but reminders, per destination', () => {
    const keys = outboxKeysOf('p1', 'p1-i0', 't-1', ['hook', 'chat']);
    expect(keys).toHaveLength(2 * EVENT_KINDS.filter((e) => e !== 'reminder').length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(outboxKeysOf('p1', 'p1-i0', 't-2', ['hook'])).not.toContain(keys[0]);
    // A stuck task's reminders, numbered 1 to maxReminders, are read too (the counts then match the history).
    const stuck = outboxKeysOf('p1', 'p1-i0', 't-1', ['hook', 'chat'], 3);
    expect(stuck).toHaveLength(keys.length + 2 * 3);
    expect(stuck).toEqual(expect.arrayContaining(keys));
    expect(new Set(stuck).size).toBe(stuck.length);
  });
});
