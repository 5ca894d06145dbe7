import { isRecord } from '../../core/isRecord';
import type { Notification } from '../types';

/** Cuts a string to `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

export function eventLabel(n: Notification): string {
  return n.event === 'stuck' ? `STUCK ${n.task.status}` : n.task.status;
}

/** One human line per notification (markdown-safe enough for every chat platform). */
export function itemLine(n: Notification): string {
  const when =
    n.event === 'stuck'
      ? `running ${Math.floor((n.stuckMinutes ?? 0) / 60)}h${String((n.stuckMinutes ?? 0) % 60).padStart(2, '0')}m` +
        ` since ${n.task.created_at}`
      : `at ${n.task.updated_at || n.task.created_at}`;
  return (
    `${eventLabel(n)}: ${clip(n.task.name, 120)} (task ${clip(n.task.id, 64)}, ${when}` +
    `${n.task.user_name ? `, by ${clip(n.task.user_name, 64)}` : ''})`
  );
}

export function title(items: readonly Notification[]): string {
  const first = items[0];
  if (!first) return 'DMS background tasks';
  const failed = items.filter((i) => i.event === 'failed').length;
  const stuck = items.length - failed;
  const parts = [
    failed ? `${failed} task${failed > 1 ? 's' : ''} failed` : '',
    stuck ? `${stuck} task${stuck > 1 ? 's' : ''} stuck` : '',
  ].filter(Boolean);
  return clip(`DMS ${first.engine} ${first.instanceName}: ${parts.join(', ')}`, 200);
}

export function context(items: readonly Notification[]): string {
  const first = items[0];
  return first ? `instance ${first.instanceId} · project ${first.projectId} · ${first.region}` : '';
}

export function moreLine(more: number): string {
  return `…and ${more} more (not shown: message size limit)`;
}

/**
 * Renders as many items as fit: tries `min(maxItems, items.length)` and fewer until the body is
 * within `maxBytes`; the rest are summarised by a count. Always shows at least one item (clipped).
 */
export function fitItems(
  items: readonly Notification[],
  maxItems: number,
  maxBytes: number,
  render: (shown: readonly Notification[], more: number) => string,
): { body: string; shown: number } {
  for (let k = Math.min(maxItems, items.length); k >= 1; k--) {
    const body = render(items.slice(0, k), items.length - k);
    if (Buffer.byteLength(body) <= maxBytes) return { body, shown: k };
  }
  return { body: render(items.slice(0, 1), items.length - 1), shown: 1 };
}

export function readJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
