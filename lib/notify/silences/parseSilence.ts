import { NAME_PATTERN } from '../../config/constants';
import { ISO_TIME_RULE, parseIsoTime } from '../../core/isoTime';
import {
  fail,
  onlyKeys,
  readGlobList,
  readMemberList,
  readObject,
  readString,
  readStringList,
} from '../../config/readers';
import type { Silence, SilenceMatchers } from './silences';
import { EVENT_KINDS } from '../types';

/** The settings of a silence and of its matchers (the JSON Schema's test compares its own with these). */
export const SILENCE_KEYS = {
  silence: ['id', 'startsAt', 'endsAt', 'matchers', 'createdBy', 'comment'],
  matchers: ['instances', 'tasks', 'projects', 'events'],
} as const;

/** Longest silence: 90 days. */
const MAX_SILENCE_MS = 90 * 24 * 3600_000;
const TEXT_MAX = 500;
/** A time that exists on the calendar, returned normalised (`toISOString`); an impossible date is refused. */
function readTime(v: unknown, path: string): string {
  const t = parseIsoTime(readString(v, path));
  if (t === undefined) fail(path, ISO_TIME_RULE);
  return new Date(t).toISOString();
}

/** Free text up to 500 characters; required when there is no `fallback`. */
function readText(v: unknown, path: string, fallback?: string): string {
  if (v === undefined && fallback !== undefined) return fallback;
  const text = readString(v, path);
  if (text.length > TEXT_MAX) fail(path, `must be at most ${TEXT_MAX} characters`);
  return text;
}

function parseMatchers(v: unknown, path: string): SilenceMatchers {
  const o = readObject(v, path);
  onlyKeys(o, path, SILENCE_KEYS.matchers);
  const m: SilenceMatchers = {
    instances: readGlobList(o.instances, `${path}.instances`),
    tasks: readGlobList(o.tasks, `${path}.tasks`),
    projects: readStringList(o.projects, `${path}.projects`),
    events: readMemberList(o.events, `${path}.events`, EVENT_KINDS, []),
  };
  if (m.instances.length + m.tasks.length + m.projects.length + m.events.length === 0) {
    fail(path, 'needs at least one of instances, tasks, projects, events (a silence of everything is refused)');
  }
  return m;
}

/**
 * One silence, from the configuration (`notify.silences[i]`, `id` required) or the operator API
 * (`id` given by the caller: generated). Throws `ConfigError` naming the first bad setting.
 */
export function parseSilence(v: unknown, path: string, defaults: { id?: string; source: Silence['source'] }): Silence {
  const o = readObject(v, path);
  onlyKeys(o, path, defaults.source === 'config' ? SILENCE_KEYS.silence : SILENCE_KEYS.silence.slice(1));
  const id = defaults.source === 'config' ? readString(o.id, `${path}.id`, NAME_PATTERN) : (defaults.id ?? '');
  const startsAt = readTime(o.startsAt, `${path}.startsAt`);
  const endsAt = readTime(o.endsAt, `${path}.endsAt`);
  const span = Date.parse(endsAt) - Date.parse(startsAt);
  if (span <= 0) fail(`${path}.endsAt`, 'must be after startsAt');
  if (span > MAX_SILENCE_MS) fail(`${path}.endsAt`, 'must be at most 90 days after startsAt');
  return {
    id,
    startsAt,
    endsAt,
    matchers: parseMatchers(o.matchers, `${path}.matchers`),
    createdBy: readText(o.createdBy, `${path}.createdBy`, defaults.source === 'config' ? 'configuration' : undefined),
    comment: readText(o.comment, `${path}.comment`, ''),
    source: defaults.source,
  };
}
