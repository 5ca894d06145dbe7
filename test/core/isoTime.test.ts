import { describe, expect, it } from 'vitest';
import { parseIsoTime } from '../../lib/core/isoTime';
import { IMPOSSIBLE_TIMES } from '../support/hostileTimes';

describe('parseIsoTime (the one strict reader of typed times)', () => {
  it.each(IMPOSSIBLE_TIMES)('refuses %j', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });

  it.each([
    ['2026-12-01T22:00Z', '2026-12-01T22:00:00.000Z'],
    ['2024-02-29T00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T23:59:59.999Z', '2000-02-29T23:59:59.999Z'],
    ['2026-12-01T22:00:05.5Z', '2026-12-01T22:00:05.500Z'],
    ['2026-12-01T23:30+02:00', '2026-12-01T21:30:00.000Z'],
    ['2026-12-31T23:30-01:00', '2027-01-01T00:30:00.000Z'],
    ['0050-06-01T00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %j as %s', (text, expected) => {
    expect(new Date(parseIsoTime(text) ?? Number.NaN).toISOString()).toBe(expected);
  });

  it('agrees with Date.parse on every valid time of a leap year, hour by hour', () => {
    for (let t = Date.UTC(2028, 0, 1); t < Date.UTC(2029, 0, 1); t += 3_600_000) {
      const text = new Date(t).toISOString();
      expect(parseIsoTime(text)).toBe(Date.parse(text));
    }
  });
});
