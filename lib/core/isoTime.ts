/**
 * The one reader of ISO 8601 times that people type (a silence's `startsAt`/`endsAt`, the history's
 * `since`): `YYYY-MM-DDTHH:mm[:ss[.sss]]` and a zone (`Z` or `±hh:mm`). Strict where `Date.parse` is
 * lenient: `Date.parse('2027-02-30T00:00Z')` answers 2 March, and an operator who meant the end of
 * February would silence two days too long without being told. Here every field is checked against
 * the calendar (leap years included) and an impossible date is refused, never shifted.
 */

/** The accepted shape, with its parts captured; the ranges are checked after. */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** What {@link ISO_TIME_RULE} says, for error messages that name their field. */
export const ISO_TIME_RULE = 'must be an ISO 8601 time with a zone that exists on the calendar, e.g. 2026-12-01T22:00Z';

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch ms of `text`, or `undefined` when it is not of the shape or names a time that does not exist. */
export function parseIsoTime(text: string): number | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const part = (i: number): number => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = part(10);
    const om = part(11);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0 to 99 onto 1900 to 1999.
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMinutes * 60_000;
}
