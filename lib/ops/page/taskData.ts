import type { DmsTaskClient } from '../../dms/taskClient';
import { keys, notificationId, type OutboxRecord } from '../../notify/records';
import { EVENT_KINDS } from '../../notify/types';
import type { StateStore } from '../../state/types';
import { NotFoundPageError } from './errors';
import { silenceCovers } from './fleetData';
import { prettyParams } from './renderTask';
import type { SilenceApi } from './silences';
import type { TaskNotification, TaskView } from './types';

export interface TaskSources {
  readonly store: StateStore;
  readonly silences: SilenceApi;
  readonly destinations: readonly string[];
}

const iso = (ms: unknown): string | undefined => (typeof ms === 'number' ? new Date(ms).toISOString() : undefined);

/**
 * One task: `show` upstream (one call), then its outbox records (one `getMany` of every event kind
 * for every destination: the ids are derived, nothing is scanned) and the silences that cover it.
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
  const candidates = EVENT_KINDS.flatMap((event) =>
    src.destinations.map((destination) => ({
      event,
      destination,
      key: keys.outbox(notificationId(instance.projectId, instance.id, task.id, event, destination)),
    })),
  );
  const [records, silences] = await Promise.all([
    src.store.getMany(candidates.map((c) => c.key)),
    src.silences.active(now),
  ]);
  const notifications: TaskNotification[] = [];
  for (const c of candidates) {
    const r = records.get(c.key)?.value as OutboxRecord | undefined;
    if (!r) continue;
    const createdAt = iso(r.createdAt);
    const doneAt = iso(r.doneAt);
    const nextAttemptAt = r.state === 'pending' ? iso(r.nextAttemptAt) : undefined;
    notifications.push({
      id: r.notification?.id ?? c.key,
      destination: c.destination,
      event: c.event,
      state: String(r.state),
      attempts: typeof r.attempts === 'number' ? r.attempts : 0,
      ...(createdAt ? { createdAt } : {}),
      ...(doneAt ? { doneAt } : {}),
      ...(nextAttemptAt ? { nextAttemptAt } : {}),
      ...(typeof r.lastError === 'string' ? { lastError: r.lastError.slice(0, 200) } : {}),
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
      .filter((s) => silenceCovers(s, instance.projectId, instance.id, instance.name, task.name))
      .map((s) => s.id),
    upstreamCalls: 1,
  };
}
