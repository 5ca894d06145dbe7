import type { CallOptions, DmsTaskClient } from './taskClient';
import type { DmsTask } from './types';

export interface IterateTasksOptions extends CallOptions {
  readonly instanceId: string;
  readonly beginTime?: string;
  readonly endTime?: string;
  /** Tasks asked per page. @default 50 */
  readonly pageSize?: number;
  /** Offset of the first page. @default 0 */
  readonly startOffset?: number;
  /** Hard bound on pages fetched. @default 100 */
  readonly maxPages?: number;
}

export type StopReason = 'empty' | 'short' | 'no-new' | 'total-reached' | 'max-pages';

export interface TaskPage {
  /** Tasks not seen on an earlier page (de-duplicated by id). */
  readonly tasks: readonly DmsTask[];
  /** Offset this page was asked at. */
  readonly offset: number;
  /** Tasks the page held before de-duplication. */
  readonly received: number;
  /** `task_count` as upstream sent it. */
  readonly taskCount: string;
  readonly requestId?: string;
}

export interface IterationResult {
  readonly pages: number;
  readonly stopReason: StopReason;
  /** True when `maxPages` stopped the walk while more pages may exist. */
  readonly truncated: boolean;
  /** Offset at which a further page would be asked. */
  readonly nextOffset: number;
}

/**
 * Walks every page of an instance's tasks without trusting any one reading of the undocumented paging
 * contract (REFERENCE): tasks de-duplicated by id; the walk stops on an empty page, a page with
 * nothing new, a short page (unless `task_count` read as a total says more remain), once `task_count`
 * tasks were seen, or after `maxPages`. The offset advances by what each page held.
 */
export async function* iterateTaskPages(
  client: DmsTaskClient,
  options: IterateTasksOptions,
): AsyncGenerator<TaskPage, IterationResult, void> {
  const pageSize = options.pageSize ?? 50;
  const maxPages = options.maxPages ?? 100;
  const seen = new Set<string>();
  let offset = options.startOffset ?? 0;
  const call: CallOptions = { signal: options.signal, deadline: options.deadline };
  for (let pages = 1; ; pages++) {
    const { body, requestId } = await client.listTasks(
      {
        instanceId: options.instanceId,
        offset,
        limit: pageSize,
        beginTime: options.beginTime || undefined,
        endTime: options.endTime || undefined,
      },
      call,
    );
    const fresh = body.tasks.filter((t) => !seen.has(t.id));
    for (const t of fresh) seen.add(t.id);
    const page: TaskPage = {
      tasks: fresh,
      offset,
      received: body.tasks.length,
      taskCount: body.task_count,
      ...(requestId ? { requestId } : {}),
    };
    offset += body.tasks.length;
    if (fresh.length > 0) yield page;
    const total = Number(body.task_count);
    const end = (stopReason: StopReason, truncated = false): IterationResult => ({
      pages,
      stopReason,
      truncated,
      nextOffset: offset,
    });
    if (body.tasks.length === 0) return end('empty');
    if (fresh.length === 0) return end('no-new');
    if (total > body.tasks.length && seen.size >= total) return end('total-reached');
    if (body.tasks.length < pageSize && !(total > seen.size)) return end('short');
    if (pages >= maxPages) return end('max-pages', true);
  }
}

/** Collects every task of an instance (see `iterateTaskPages`). */
export async function collectTasks(
  client: DmsTaskClient,
  options: IterateTasksOptions,
): Promise<{ tasks: DmsTask[] } & IterationResult> {
  const tasks: DmsTask[] = [];
  const it = iterateTaskPages(client, options);
  for (;;) {
    const step = await it.next();
    if (step.done) return { tasks, ...step.value };
    tasks.push(...step.value.tasks);
  }
}
