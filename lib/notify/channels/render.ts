import { isRecord } from '../../core/isRecord';
import { EVENT_KINDS, type EventKind, type Notification } from '../types';
import type { PendingCount } from './types';

/** Cuts a string to `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** `1h05m`. */
export function duration(minutes: number): string {
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** What the line is about, first on it: the event in words, so a chat reader tells them apart. */
export function eventLabel(n: Notification): string {
  if (n.test) return 'TEST';
  switch (n.event) {
    case 'failed':
      return n.task.status;
    case 'stuck':
      return `STUCK ${n.task.status}`;
    case 'reminder':
      return `STILL STUCK ${n.task.status} (reminder ${n.reminder ?? 1} of ${n.maxReminders ?? n.reminder ?? 1})`;
    case 'recovered':
      return `RECOVERED ${n.task.status}`;
  }
}

function whenOf(n: Notification): string {
  switch (n.event) {
    case 'stuck':
    case 'reminder':
      return `running ${duration(n.stuckMinutes ?? 0)} since ${n.task.created_at}`;
    case 'recovered':
      return `${n.ranMinutes !== undefined ? `ran ${duration(n.ranMinutes)}, ` : ''}finished ${n.task.updated_at}`;
    case 'failed':
      return `at ${n.task.updated_at || n.task.created_at}`;
  }
}

/** One human line per notification (markdown-safe enough for every chat platform). */
export function itemLine(n: Notification): string {
  return (
    `${eventLabel(n)}: ${clip(n.task.name, 120)} (task ${clip(n.task.id, 64)}, ${whenOf(n)}` +
    `${n.task.user_name ? `, by ${clip(n.task.user_name, 64)}` : ''}` +
    `${n.heldUntil ? `; detected ${n.detectedAt}, held by quiet hours until ${n.heldUntil}` : ''})`
  );
}

/** How every channel titles a test notification. */
export const TEST_TITLE = 'Test notification from dms-task-functions';

const TITLE_WORDS = {
  failed: 'failed',
  stuck: 'stuck',
  reminder: 'still stuck',
  recovered: 'recovered',
} as const satisfies Record<EventKind, string>;

/**
 * `DMS kafka orders: 3 tasks failed, 1 task stuck`: what this message carries, and when more are
 * pending for the instance than it carries, their real number (`… (1000 pending for this instance)`).
 */
export function title(items: readonly Notification[], pending?: PendingCount): string {
  const first = items[0];
  if (!first) return 'DMS background tasks';
  if (first.test) return TEST_TITLE;
  const parts = EVENT_KINDS.map((kind) => {
    const k = items.filter((i) => i.event === kind).length;
    return k ? `${k} task${k > 1 ? 's' : ''} ${TITLE_WORDS[kind]}` : '';
  }).filter(Boolean);
  const total =
    pending && pending.count > items.length
      ? ` (${pending.atLeast ? 'at least ' : ''}${pending.count} pending for this instance)`
      : '';
  return clip(`DMS ${first.engine} ${first.instanceName}: ${parts.join(', ')}${total}`, 200);
}

export function context(items: readonly Notification[]): string {
  const first = items[0];
  return first ? `instance ${first.instanceId} · project ${first.projectId} · ${first.region}` : '';
}

/** Why a message lists fewer items than it carries: `maxGroupItems`, or the destination's body size. */
export type Cut = { readonly by: 'item limit'; readonly maxItems: number } | { readonly by: 'size limit' };

export function moreLine(more: number, cut: Cut): string {
  const why = cut.by === 'item limit' ? `at most ${cut.maxItems} listed per message` : 'message size limit';
  return `…and ${more} more (not shown: ${why})`;
}

/**
 * Renders as many items as fit: tries `min(maxItems, items.length)` and fewer until the body is
 * within `maxBytes`; the rest are summarised by a count, with the reason they were cut. Always shows
 * at least one item (clipped).
 */
export function fitItems(
  items: readonly Notification[],
  maxItems: number,
  maxBytes: number,
  render: (shown: readonly Notification[], more: number, cut: Cut) => string,
): { body: string; shown: number } {
  const most = Math.min(maxItems, items.length);
  const cutAt = (k: number): Cut => (k === most ? { by: 'item limit', maxItems } : { by: 'size limit' });
  for (let k = most; k >= 1; k--) {
    const body = render(items.slice(0, k), items.length - k, cutAt(k));
    if (Buffer.byteLength(body) <= maxBytes) return { body, shown: k };
  }
  return { body: render(items.slice(0, 1), items.length - 1, cutAt(1)), shown: 1 };
}

export function readJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
