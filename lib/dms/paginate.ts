import type { CallOptions, DmsTaskClient } from './taskClient';
import type { DmsTask, OffsetBase } from './types';

export interface IterateTasksOptions extends CallOptions {
  readonly instanceId: string;
  readonly beginTime?: string;
  readonly endTime?: string;
  /** Tasks asked per page. @default the client's `pageSize` (100 unless configured) */
  readonly pageSize?: number;
  /** Offset of the first task upstream. @default the client's `offsetBase` (1 unless configured) */
  readonly offsetBase?: OffsetBase;
  /** Offset of the first page, sent as given (even below the base). @default `offsetBase` */
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

/** What one page tells the walk: go on, or stop and why. */
interface PageFacts {
  readonly received: number;
  readonly fresh: number;
  readonly pageSize: number;
  /** `task_count`, read as the total of matching tasks. */
  readonly total: number;
  /** Tasks accounted for: those before the first page's position plus those seen. */
  readonly covered: number;
}

/**
 * Whether the walk stops after a page, as guard clauses. `task_count` is read as the total, as
 * Huawei's Terraform provider reads it, but a full page whose `task_count` equals its own length is
 * not taken as the end: a server counting the page would otherwise cut the walk after one page.
 */
export function stopAfter(page: PageFacts): StopReason | undefined {
  if (page.received === 0) return 'empty';
  if (page.fresh === 0) return 'no-new';
  const totalKnown = Number.isSafeInteger(page.total);
  const totalTrusted = page.total > page.received || page.received < page.pageSize;
  if (totalKnown && totalTrusted && page.covered >= page.total) return 'total-reached';
  // A short page ends the walk unless task_count says more remain (a server clamping `limit`).
  if (page.received < page.pageSize && !(totalKnown && page.total > page.covered)) return 'short';
  return undefined;
}

/**
 * Walks every page of an instance's tasks the way Huawei's own tested code does (start at the
 * offset base, advance by the tasks received, `task_count` the total) without trusting that
 * reading alone: tasks de-duplicated by id; the walk stops on an empty page, a page with nothing
 * new, a short page (unless `task_count` says more remain), once `task_count` tasks are accounted
 * for, or after `maxPages`. An offset below the base counts as the base (the emulator reads it so;
 * what the real server does with `start=0` is not known).
 */
export async function* iterateTaskPages(
  client: DmsTaskClient,
  options: IterateTasksOptions,
): AsyncGenerator<TaskPage, IterationResult, void> {
  const pageSize = options.pageSize ?? client.pageSize;
  const maxPages = options.maxPages ?? 100;
  const base = options.offsetBase ?? client.offsetBase;
  const seen = new Set<string>();
  let offset = options.startOffset ?? base;
  // Tasks before the first page's position, which this walk does not read.
  const skipped = Math.max(offset, base) - base;
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
    offset = Math.max(offset, base) + body.tasks.length;
    if (fresh.length > 0) yield page;
    const stop = stopAfter({
      received: body.tasks.length,
      fresh: fresh.length,
      pageSize,
      total: Number(body.task_count),
      covered: skipped + seen.size,
    });
    if (stop) return { pages, stopReason: stop, truncated: false, nextOffset: offset };
    if (pages >= maxPages) return { pages, stopReason: 'max-pages', truncated: true, nextOffset: offset };
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
