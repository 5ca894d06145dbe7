import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/parseConfig';
import { GLOB_LIMITS } from '../../lib/core/glob';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { stuckAfterFor } from '../../lib/notify/scan/detect';
import { passes } from '../../lib/notify/scan/filters';
import type { InstanceTarget } from '../../lib/notify/types';

const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const app = (notify: unknown) =>
  parseConfig({
    projects: { [P]: { region: 'cn-north-4', instances: [{ id: 'i-1', engine: 'kafka', name: 'orders' }] } },
    notify,
  });
const base = {
  destinations: { hook: { type: 'webhook', url: { env: 'U' }, secrets: [{ env: 'S' }] } },
  routes: { ops: { destinations: ['hook'] } },
};
const silence = (matchers: unknown) => ({
  id: 's1',
  startsAt: '2026-12-01T00:00Z',
  endsAt: '2026-12-02T00:00Z',
  matchers,
});

const tooLong = 'a'.repeat(GLOB_LIMITS.maxLength + 1);
const tooWild = `${'*'.repeat(GLOB_LIMITS.maxWildcards + 1)}#`;
const tooMany = Array.from({ length: GLOB_LIMITS.maxPatterns + 1 }, (_, i) => `kafka-${i}-*`);

/** Every place the configuration holds a glob, with each way a pattern can break the limits. */
const HOSTILE: [string, unknown, string, RegExp][] = [
  [
    'a filter include too long',
    { ...base, filter: { tasks: { include: [tooLong] } } },
    'notify.filter.tasks.include[0]',
    /at most 128 characters/,
  ],
  [
    'a filter exclude too wild',
    { ...base, filter: { instances: { exclude: ['x', tooWild] } } },
    'notify.filter.instances.exclude[1]',
    /at most 16 "\*" wildcards/,
  ],
  [
    'a filter with too many patterns',
    { ...base, filter: { instances: { include: tooMany } } },
    'notify.filter.instances.include',
    /at most 32 patterns/,
  ],
  [
    'an empty filter pattern',
    { ...base, filter: { tasks: { include: [''] } } },
    'notify.filter.tasks.include[0]',
    /non-empty/,
  ],
  [
    'a route filter too wild',
    { ...base, routes: { ops: { destinations: ['hook'], filter: { tasks: { include: [tooWild] } } } } },
    'notify.routes.ops.filter.tasks.include[0]',
    /wildcards/,
  ],
  [
    'a stuck threshold glob too long',
    { ...base, stuckAfterMinutes: { default: 60, tasks: { [tooLong]: 10 } } },
    'notify.stuckAfterMinutes.tasks',
    /task-name glob must be at most 128/,
  ],
  [
    'a stuck threshold glob too wild',
    { ...base, stuckAfterMinutes: { tasks: { [tooWild]: 10 } } },
    'notify.stuckAfterMinutes.tasks',
    /wildcards/,
  ],
  [
    'too many stuck threshold globs',
    { ...base, stuckAfterMinutes: { tasks: Object.fromEntries(tooMany.map((p) => [p, 5])) } },
    'notify.stuckAfterMinutes.tasks',
    /at most 32 task-name globs/,
  ],
  [
    'a silence instance pattern too wild',
    { ...base, silences: [silence({ instances: [tooWild] })] },
    'notify.silences[0].matchers.instances[0]',
    /wildcards/,
  ],
  [
    'a silence task pattern too long',
    { ...base, silences: [silence({ tasks: [tooLong] })] },
    'notify.silences[0].matchers.tasks[0]',
    /128 characters/,
  ],
  [
    'a silence with too many instance patterns',
    { ...base, silences: [silence({ instances: tooMany })] },
    'notify.silences[0].matchers.instances',
    /at most 32 patterns/,
  ],
  [
    'a silence pattern that is not a string',
    { ...base, silences: [silence({ instances: [42] })] },
    'notify.silences[0].matchers.instances[0]',
    /non-empty string/,
  ],
];

describe('pattern limits in the configuration', () => {
  it.each(HOSTILE)('refuses %s, naming the field', (_label, notify, path, problem) => {
    expect(() => parseNotifyConfig(app(notify), {})).toThrow(
      expect.objectContaining({ name: 'ConfigError', path, message: expect.stringMatching(problem) }),
    );
  });

  it('accepts patterns at the limits, and the issue’s "********#"', () => {
    const atLimit = '*'.repeat(GLOB_LIMITS.maxWildcards);
    const notify = {
      ...base,
      filter: { tasks: { include: [atLimit, 'a'.repeat(GLOB_LIMITS.maxLength)] } },
      stuckAfterMinutes: { tasks: { '********#': 5 } },
      silences: [silence({ instances: ['********#'], tasks: tooMany.slice(1) })],
    };
    expect(parseNotifyConfig(app(notify), {}).filter.tasksInclude).toHaveLength(2);
  });
});

describe('filters and thresholds match with the linear matcher', () => {
  const target: InstanceTarget = {
    projectId: P,
    region: 'cn-north-4',
    instanceId: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
    name: 'kafka-orders',
    engine: 'kafka',
    routes: [],
  };

  it('an adversarial exclude only excludes what it matches', () => {
    const c = parseNotifyConfig(app({ ...base, filter: { instances: { exclude: ['*********#', '*-orders'] } } }), {});
    expect(passes(c.filter, target, 'restartInstance', 'failed')).toBe(false);
    const other = { ...target, name: 'kafka-billing' };
    expect(passes(c.filter, other, 'restartInstance', 'failed')).toBe(true);
  });

  it('the longest matching stuck glob wins; an adversarial one that never matches is ignored', () => {
    const c = parseNotifyConfig(
      app({
        ...base,
        stuckAfterMinutes: { default: 90, tasks: { '****************#': 1, 'modify*': 30, '*Spec': 45 } },
      }),
      {},
    );
    expect(stuckAfterFor(c, 'modifyInstanceSpec')).toBe(30);
    expect(stuckAfterFor(c, 'resizeSpec')).toBe(45);
    expect(stuckAfterFor(c, 'restartInstance')).toBe(90);
  });
});
