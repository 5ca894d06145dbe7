import type { DmsTaskClient } from '../../dms/taskClient';
import { outboxKey, outboxOf } from '../../notify/records';
import { historyItem } from '../history';
import { covers } from '../../notify/silences/silences';
import { EVENT_KINDS } from '../../notify/types';
import type { StateStore } from '../../state/types';
import { NotFoundPageError } from './errors';
import { prettyParams } from './renderTask';
import type { SilenceApi } from './silences';
import type { TaskNotification, TaskView } from './types';

export interface TaskSources {
  readonly store: StateStore;
  readonly silences: SilenceApi;
  readonly destinations: readonly string[];
  /** Reminders per stuck task (`notify.maxReminders`): each has an id of its own. */
  readonly maxReminders: number;
}

/**
 * One task: `show` upstream (one call), then its outbox records (one `getMany` of every event kind,
 * each reminder, for every destination: the ids are derived, nothing is scanned), read with the
 * operator API's `historyItem`, and the silences that cover it.
 */
export async function buildTaskView(
  src: TaskSources,
  client: DmsTaskClient,
  instance: { readonly projectId: string; readonly id: string; readonly name: string },
  taskId: string,
  now: number,
): Promise<TaskView> {
  const res = await client.showTask(instance.id, taskId);
  const task = res.body.tasks.find((t) => t.id === taskId) ?? res.body.tasks[0];
  if (!task) throw new NotFoundPageError('task_id: no such task on this instance');
  const candidates = EVENT_KINDS.flatMap((event) => {
    const numbers = event === 'reminder' ? Array.from({ length: src.maxReminders }, (_, i) => i + 1) : [undefined];
    return numbers.flatMap((reminder) =>
      src.destinations.map((destination) => ({
        event: reminder === undefined ? event : `${event} ${reminder}`,
        destination,
        key: outboxKey(instance.projectId, instance.id, task.id, event, destination, reminder),
      })),
    );
  });
  const [records, silences] = await Promise.all([
    src.store.getMany(candidates.map((c) => c.key)),
    src.silences.active(now),
  ]);
  const notifications: TaskNotification[] = [];
  for (const c of candidates) {
    const r = outboxOf(records.get(c.key));
    if (!r) continue;
    // The operator API's own reading of an outbox record (no URL, no secret, the answer in short).
    const h = historyItem(r);
    const answer = h.receiver ? `${h.receiver.status ?? ''} ${h.receiver.reason}`.trim() : undefined;
    notifications.push({
      id: h.id,
      destination: h.destination,
      event: c.event,
      state: h.state,
      attempts: h.attempts,
      createdAt: h.queued_at,
      ...(h.done_at ? { doneAt: h.done_at } : {}),
      ...(h.next_attempt_at ? { nextAttemptAt: h.next_attempt_at } : {}),
      ...(answer ? { lastError: answer } : {}),
      ...(h.silenced_by ? { silencedBy: h.silenced_by } : {}),
    });
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(task)) fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return {
    projectId: instance.projectId,
    instanceId: instance.id,
    instanceName: instance.name,
    task: fields,
    params: prettyParams(task.params),
    notifications,
    silenceIds: silences
      .filter((s) =>
        covers(s, {
          projectId: instance.projectId,
          instanceId: instance.id,
          instanceName: instance.name,
          taskName: task.name,
        }),
      )
      .map((s) => s.id),
    upstreamCalls: 1,
  };
}
