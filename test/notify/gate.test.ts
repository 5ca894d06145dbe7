import { describe, expect, it } from 'vitest';
import { parseNotifierConfig } from '../../lib/notify/config/parseNotifierConfig';
import { gate, heldUntil } from '../../lib/notify/deliver/gate';
import { parseSilence } from '../../lib/notify/silences/parseSilence';
import type { Notification } from '../../lib/notify/types';

const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** 23:30 UTC: inside `night` (22:00-07:00 UTC), outside `evening` (18:00-23:00 UTC). */
const NOW = Date.UTC(2026, 11, 5, 23, 30);
const hook = { type: 'webhook', url: { env: 'U' }, secrets: [{ env: 'S' }] };
const config = parseNotifierConfig(
  {
    projects: { [P]: { region: 'cn-north-4', instances: [{ id: 'i-1', engine: 'kafka', name: 'orders' }] } },
    notify: {
      destinations: { hook },
      routes: {
        night: { destinations: ['hook'], quietHours: [{ start: '22:00', end: '07:00', timeZone: 'UTC' }] },
        late: { destinations: ['hook'], quietHours: [{ start: '23:00', end: '06:00', timeZone: 'UTC' }] },
        evening: { destinations: ['hook'], quietHours: [{ start: '18:00', end: '23:00', timeZone: 'UTC' }] },
      },
    },
  },
  {},
).notify;
const ctx = { config };

function notification(routes?: readonly string[]): Notification {
  return {
    id: 'msg_1',
    destinationId: 'hook',
    event: 'failed',
    projectId: P,
    region: 'cn-north-4',
    instanceId: 'i-1',
    instanceName: 'orders',
    engine: 'kafka',
    task: {
      id: 't-1',
      name: 'modifySpec',
      status: 'FAILED',
      user_name: 'ops',
      created_at: '2026-12-05T23:00:00Z',
      updated_at: '2026-12-05T23:10:00Z',
    },
    detectedAt: new Date(NOW).toISOString(),
    ...(routes ? { routes } : {}),
  };
}

const silence = parseSilence(
  {
    startsAt: new Date(NOW - 60_000).toISOString(),
    endsAt: new Date(NOW + 3_600_000).toISOString(),
    matchers: { instances: ['orders'] },
    createdBy: 'me',
    comment: 'resize',
  },
  'test',
  { id: 'sil_1', source: 'api' },
);

describe('gate: what happens to a due item before it is claimed', () => {
  it('held while every route that led to it is quiet, until the first of them ends', () => {
    expect(heldUntil(ctx, notification(['night']), NOW)).toBe(Date.UTC(2026, 11, 6, 7, 0));
    expect(heldUntil(ctx, notification(['night', 'late']), NOW)).toBe(Date.UTC(2026, 11, 6, 6, 0));
    expect(gate(ctx, [], notification(['night', 'late']), NOW)).toEqual({
      kind: 'held',
      until: Date.UTC(2026, 11, 6, 6, 0),
    });
  });

  it('sent when one of its routes is not quiet, when it has no routes, or when its route is gone', () => {
    expect(gate(ctx, [], notification(['night', 'evening']), NOW)).toEqual({ kind: 'send' });
    expect(gate(ctx, [], notification(), NOW)).toEqual({ kind: 'send' });
    expect(gate(ctx, [], notification(['removed']), NOW)).toEqual({ kind: 'send' });
  });

  it('a silence wins over quiet hours (nothing would be sent later), and only while it is in force', () => {
    expect(gate(ctx, [silence], notification(['night']), NOW)).toEqual({ kind: 'silenced', silence });
    expect(gate(ctx, [silence], notification(['evening']), NOW + 2 * 3_600_000)).toEqual({ kind: 'send' });
  });
});
