import { globMatch } from '../../core/glob';
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

/** Where a silence stands at a time: not started, in force, or ended. */
export type SilenceState = 'pending' | 'active' | 'expired';

export function silenceState(s: Silence, now: number): SilenceState {
  if (now >= Date.parse(s.endsAt)) return 'expired';
  return Date.parse(s.startsAt) <= now ? 'active' : 'pending';
}

export function isActive(s: Silence, now: number): boolean {
  return silenceState(s, now) === 'active';
}

function side(patterns: readonly string[], values: readonly string[]): boolean {
  return patterns.length === 0 || patterns.some((p) => values.some((v) => globMatch(p, v)));
}

/** What a silence is matched against: a task of an instance (the fleet page has no event kind). */
export interface SilenceTarget {
  readonly projectId: string;
  readonly instanceId: string;
  readonly instanceName: string;
  /** Absent: only the instance side is matched (the page's instance rows). */
  readonly taskName?: string;
  /** Absent: any event kind. */
  readonly event?: EventKind;
}

/** Whether `s` covers `target` (ignoring time): the one matcher of the notifier, the API and the page. */
export function covers(s: Silence, target: SilenceTarget): boolean {
  const m = s.matchers;
  return (
    (target.event === undefined || m.events.length === 0 || m.events.includes(target.event)) &&
    (m.projects.length === 0 || m.projects.includes(target.projectId)) &&
    side(m.instances, [target.instanceId, target.instanceName]) &&
    (target.taskName === undefined || side(m.tasks, [target.taskName]))
  );
}

/** Whether `s` covers the notification `n` (ignoring time). */
export function matches(s: Silence, n: Notification): boolean {
  return covers(s, {
    projectId: n.projectId,
    instanceId: n.instanceId,
    instanceName: n.instanceName,
    taskName: n.task.name,
    event: n.event,
  });
}

/** The first silence active at `now` that covers `n`. */
export function silenceFor(silences: readonly Silence[], n: Notification, now: number): Silence | undefined {
  return silences.find((s) => isActive(s, now) && matches(s, n));
}
