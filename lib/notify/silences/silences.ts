import type { StateStore } from '../../state/types';
import { globMatch } from '../../core/glob';
import { keys } from '../records';
import type { EventKind, Notification } from '../types';

/** What a silence applies to; an absent or empty list matches everything on that side. */
export interface SilenceMatchers {
  /** Globs matched against the instance id or its name. */
  readonly instances: readonly string[];
  /** Globs matched against the task name. */
  readonly tasks: readonly string[];
  /** Project ids. */
  readonly projects: readonly string[];
  readonly events: readonly EventKind[];
}

/**
 * A silence: notifications it matches that come due between `startsAt` and `endsAt` are recorded as
 * silenced instead of sent (and never sent later).
 */
export interface Silence {
  readonly [k: string]: unknown;
  readonly id: string;
  /** ISO times. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly matchers: SilenceMatchers;
  readonly createdBy: string;
  readonly comment: string;
  /** Where it comes from: the configuration or the operator API. */
  readonly source: 'config' | 'api';
  /** ISO time it was created (API silences). */
  readonly createdAt?: string;
  /** ISO time it was expired early through the API (then `endsAt` is that time too). */
  readonly expiredAt?: string;
}

/** The silences the API created, in one store record (a handful at a time; updated conditionally). */
export interface SilenceIndex {
  readonly [k: string]: unknown;
  readonly silences: readonly Silence[];
}

/** How long a silence is kept after it ended (listed by the API, then dropped). */
export const SILENCE_KEEP_MS = 7 * 24 * 3600_000;

export function isActive(s: Silence, now: number): boolean {
  return Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt);
}

function side(patterns: readonly string[], values: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => values.some((v) => globMatch(p, v)));
}

/** Whether `s` covers the notification `n` (ignoring time). */
export function matches(s: Silence, n: Notification): boolean {
  const m = s.matchers;
  return (
    (m.events.length === 0 || m.events.includes(n.event)) &&
    (m.projects.length === 0 || m.projects.includes(n.projectId)) &&
    side(m.instances, [n.instanceId, n.instanceName]) &&
    side(m.tasks, [n.task.name])
  );
}

/** The first silence active at `now` that covers `n`. */
export function silenceFor(silences: readonly Silence[], n: Notification, now: number): Silence | undefined {
  return silences.find((s) => isActive(s, now) && matches(s, n));
}

/** The API's silences as stored (none when the record is absent). */
export async function readSilenceIndex(store: StateStore): Promise<{ version?: number; silences: Silence[] }> {
  const v = await store.get(keys.silences);
  if (!v) return { silences: [] };
  const list = (v.value as SilenceIndex).silences;
  return { version: v.version, silences: Array.isArray(list) ? [...list] : [] };
}
