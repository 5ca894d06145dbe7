import { describe, expect, it } from 'vitest';
import { parseClock, type QuietWindow, quietUntil, windowEnd } from '../../lib/notify/deliver/quietHours';

const night = (timeZone: string, days: QuietWindow['days'] = []): QuietWindow => ({
  start: 22 * 60,
  end: 7 * 60,
  timeZone,
  days,
});
const at = (iso: string): number => Date.parse(iso);
const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

describe('quiet hours in an IANA zone', () => {
  it('22:00-07:00 Asia/Shanghai (UTC+8, no daylight saving): inside and outside', () => {
    const w = night('Asia/Shanghai');
    expect(iso(windowEnd(w, at('2026-12-01T14:00:00Z')))).toBe('2026-12-01T23:00:00.000Z'); // 22:00 local
    expect(iso(windowEnd(w, at('2026-12-01T22:59:59Z')))).toBe('2026-12-01T23:00:00.000Z'); // 06:59:59
    expect(windowEnd(w, at('2026-12-01T23:00:00Z'))).toBeUndefined(); // 07:00: over
    expect(windowEnd(w, at('2026-12-01T13:59:00Z'))).toBeUndefined(); // 21:59
  });

  it('Europe/Berlin across the autumn change: the night of 24-25 Oct 2026 is 10 hours of UTC', () => {
    const w = night('Europe/Berlin');
    // 23:00 CEST (UTC+2) on 24 Oct; the window ends 07:00 CET (UTC+1) on 25 Oct.
    expect(iso(windowEnd(w, at('2026-10-24T21:00:00Z')))).toBe('2026-10-25T06:00:00.000Z');
    // 02:30 happens twice that night; both are inside and end at the same instant.
    expect(iso(windowEnd(w, at('2026-10-25T00:30:00Z')))).toBe('2026-10-25T06:00:00.000Z');
    expect(iso(windowEnd(w, at('2026-10-25T01:30:00Z')))).toBe('2026-10-25T06:00:00.000Z');
    expect(windowEnd(w, at('2026-10-25T06:00:00Z'))).toBeUndefined();
    // A night without a change: 07:00 CEST is 05:00 UTC.
    expect(iso(windowEnd(w, at('2026-10-23T21:00:00Z')))).toBe('2026-10-24T05:00:00.000Z');
    // The window starts at 22:00 local on each side: 20:00 UTC before, 21:00 UTC after.
    expect(windowEnd(w, at('2026-10-24T19:59:00Z'))).toBeUndefined();
    expect(windowEnd(w, at('2026-10-24T20:00:00Z'))).toBeDefined();
    expect(windowEnd(w, at('2026-10-25T20:59:00Z'))).toBeUndefined();
    expect(windowEnd(w, at('2026-10-25T21:00:00Z'))).toBeDefined();
  });

  it('America/New_York across the spring change: 22:00 EST to 07:00 EDT is 8 hours', () => {
    const w = night('America/New_York');
    // 8 Mar 2026, 02:00 EST -> 03:00 EDT. 22:00 EST on 7 Mar = 03:00Z; 07:00 EDT on 8 Mar = 11:00Z.
    expect(iso(windowEnd(w, at('2026-03-08T03:00:00Z')))).toBe('2026-03-08T11:00:00.000Z');
    expect(windowEnd(w, at('2026-03-08T02:59:00Z'))).toBeUndefined();
    expect(windowEnd(w, at('2026-03-08T11:00:00Z'))).toBeUndefined();
  });

  it('a window ending in the skipped hour ends just after the gap', () => {
    const w: QuietWindow = { start: 60, end: 150, timeZone: 'Europe/Berlin', days: [] }; // 01:00-02:30
    const end = windowEnd(w, at('2026-03-29T00:15:00Z')) as number; // 01:15 CET
    expect(end).toBeGreaterThan(at('2026-03-29T00:15:00Z'));
    expect(end).toBeLessThanOrEqual(at('2026-03-29T01:30:00Z')); // 03:30 CEST at the latest
    expect(windowEnd(w, end)).toBeUndefined();
  });

  it('days name the day a window starts on; touching windows are followed to the last end', () => {
    const fridayNight = night('UTC', ['fri']);
    expect(iso(windowEnd(fridayNight, at('2026-12-04T23:00:00Z')))).toBe('2026-12-05T07:00:00.000Z'); // Fri
    expect(iso(windowEnd(fridayNight, at('2026-12-05T06:00:00Z')))).toBe('2026-12-05T07:00:00.000Z'); // Sat am
    expect(windowEnd(fridayNight, at('2026-12-05T23:00:00Z'))).toBeUndefined(); // Sat night
    const weekend: QuietWindow = { start: 0, end: 24 * 60, timeZone: 'UTC', days: ['sat', 'sun'] };
    expect(iso(quietUntil([fridayNight, weekend], at('2026-12-04T23:00:00Z')))).toBe('2026-12-07T00:00:00.000Z');
    expect(quietUntil([fridayNight, weekend], at('2026-12-07T00:00:00Z'))).toBeUndefined();
  });

  it('reads HH:MM times of day', () => {
    expect(parseClock('22:00')).toBe(1320);
    expect(parseClock('24:00')).toBe(1440);
    for (const bad of ['24:01', '7:00', '25:00', '22:60', '22h']) expect(parseClock(bad)).toBeUndefined();
  });
});
