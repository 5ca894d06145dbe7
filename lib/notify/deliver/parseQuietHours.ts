import { ConfigError } from '../../config/errors';
import { onlyKeys, readMemberList, readObject, readString } from '../../config/readers';
import { isTimeZone, parseClock, type QuietWindow, WEEKDAYS } from './quietHours';

/** The settings of one quiet window (the JSON Schema's test compares its own with these). */
export const QUIET_WINDOW_KEYS = ['start', 'end', 'timeZone', 'days'] as const;

function readClock(v: unknown, path: string): number {
  const minutes = parseClock(readString(v, path));
  if (minutes === undefined) throw new ConfigError(path, 'must be a time of day HH:MM (00:00 to 24:00)');
  return minutes;
}

/** A route's `quietHours`: `[{"start": "22:00", "end": "07:00", "timeZone": "Asia/Shanghai", "days"?: [...]}]`. */
export function parseQuietHours(v: unknown, path: string): QuietWindow[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError(path, 'must be an array of windows');
  return v.map((w, i) => {
    const at = `${path}[${i}]`;
    const o = readObject(w, at);
    onlyKeys(o, at, QUIET_WINDOW_KEYS);
    const start = readClock(o.start, `${at}.start`);
    const end = readClock(o.end, `${at}.end`);
    const timeZone = readString(o.timeZone, `${at}.timeZone`);
    if (!isTimeZone(timeZone)) throw new ConfigError(`${at}.timeZone`, `"${timeZone}" is not an IANA time zone`);
    const days = readMemberList(o.days, `${at}.days`, WEEKDAYS, []);
    const wholeDay = start === end || (start === 0 && end === 24 * 60);
    if (wholeDay && (days.length === 0 || WEEKDAYS.every((d) => days.includes(d)))) {
      throw new ConfigError(`${at}.end`, 'a whole-day window on every day would hold notifications forever');
    }
    return { start, end, timeZone, days };
  });
}
