/** Times that do not exist or are not of the shape: each is refused, none shifted to a neighbour. */
export const IMPOSSIBLE_TIMES = [
  '2027-02-30T00:00Z', // the issue's: Date.parse answers 2 March
  '2026-02-29T00:00Z', // not a leap year
  '2100-02-29T00:00Z', // divisible by 100, not by 400
  '2026-04-31T12:00Z',
  '2026-06-31T12:00Z',
  '2026-09-31T12:00Z',
  '2026-11-31T12:00Z',
  '2026-01-32T00:00Z',
  '2026-00-10T00:00Z',
  '2026-13-01T00:00Z',
  '2026-12-00T00:00Z',
  '2026-12-01T24:00Z',
  '2026-12-01T23:60Z',
  '2026-12-01T23:59:60Z', // no leap seconds
  '2026-12-01T22:00+24:00',
  '2026-12-01T22:00+05:60',
  '2026-12-01T22:00', // no zone
  '2026-12-01 22:00Z',
  '2026-12-1T22:00Z',
  '2026-12-01T22Z',
  '2026-12-01T22:00:00.1234Z',
  '2026-12-01T22:00z',
  '+002026-12-01T22:00Z',
  '2026-12-01T22:00Z ',
  'December 1, 2026 22:00 UTC',
  '1764626400000',
  '',
] as const;
