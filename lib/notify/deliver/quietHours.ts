/** Days as `days` names them, in `Date#getUTCDay` order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A recurring window of a route, in wall-clock time of an IANA zone: from `start` to `end` (minutes
 * after local midnight; `end` <= `start` means it ends the next day), on the `days` it starts on.
 */
export interface QuietWindow {
  readonly start: number;
  readonly end: number;
  readonly timeZone: string;
  /** Days the window starts on. @default every day */
  readonly days: readonly Weekday[];
}

const MINUTE = 60_000;
const DAY_MIN = 24 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows (Intl throws a RangeError otherwise). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `t` in `timeZone`, as if it were UTC (epoch ms of the local date and time). */
function wallClock(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * The instant at which the zone's wall clock reads `wall` (as-if-UTC epoch ms). Two passes over the
 * zone's offset; a wall time skipped by a daylight-saving change maps to just after the gap.
 */
function instantOf(wall: number, timeZone: string): number {
  const first = wall - (wallClock(wall, timeZone) - wall);
  const second = wall - (wallClock(first, timeZone) - first);
  return wallClock(second, timeZone) === wall ? second : Math.max(first, second);
}

/** When the window holding `now` ends (epoch ms), or `undefined` when `now` is outside it. */
export function windowEnd(w: QuietWindow, now: number): number | undefined {
  const wall = wallClock(now, w.timeZone);
  const midnight = wall - (wall % (DAY_MIN * MINUTE));
  const minuteOfDay = Math.floor((wall - midnight) / MINUTE);
  const wraps = w.end <= w.start;
  // The local date the window holding `now` started on, if one does.
  let startDay: number | undefined;
  if (!wraps && minuteOfDay >= w.start && minuteOfDay < w.end) startDay = midnight;
  if (wraps && minuteOfDay >= w.start) startDay = midnight;
  if (wraps && minuteOfDay < w.end) startDay = midnight - DAY_MIN * MINUTE;
  if (startDay === undefined) return undefined;
  const weekday = WEEKDAYS[new Date(startDay).getUTCDay()] as Weekday;
  if (w.days.length > 0 && !w.days.includes(weekday)) return undefined;
  const endWall = startDay + (wraps ? DAY_MIN + w.end : w.end) * MINUTE;
  return Math.max(instantOf(endWall, w.timeZone), now + 1);
}

/**
 * The end of the quiet time holding `now`: windows that overlap or touch are followed to the last
 * one's end. `undefined` when no window holds `now`.
 */
export function quietUntil(windows: readonly QuietWindow[], now: number): number | undefined {
  let until: number | undefined;
  for (let t = now, hops = 0; hops < 8; hops++) {
    const ends = windows.map((w) => windowEnd(w, t)).filter((e): e is number => e !== undefined);
    if (ends.length === 0) break;
    until = Math.max(...ends);
    t = until;
  }
  return until;
}

/** `"22:00"` as minutes after midnight, or `undefined` when it is not `HH:MM` (00:00-24:00). */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= DAY_MIN ? minutes : undefined;
}
