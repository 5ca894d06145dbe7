import { otherOffsetParam } from './offsetParamMemory';
import type { CallOptions, DmsTaskClient } from './taskClient';
import type { DmsTask, OffsetBase, OffsetParam, TaskListBody } from './types';

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

/**
 * Why the walk stopped. `stalled`: a page did not advance while more tasks remain, under both
 * paging parameter names (the walk is incomplete).
 */
export type StopReason = 'empty' | 'short' | 'no-new' | 'total-reached' | 'max-pages' | 'stalled';

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
  /**
   * True when the walk did not read every task: cut by `maxPages`, or `stalled` (neither paging
   * parameter name advanced). Say so to whoever reads the result.
   */
  readonly incomplete: boolean;
  /** Offset at which a further page would be asked. */
  readonly nextOffset: number;
  /** The paging parameter name the walk ended with (the other one, when the configured one did not advance). */
  readonly offsetParam: OffsetParam;
  /** True when the walk switched names (and remembered the other for the endpoint). */
  readonly switchedOffsetParam: boolean;
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
 * Whether a page did not advance: it brought nothing new although more tasks remain. "More remain"
 * when `task_count` says so; and also after a full page when `task_count` cannot be read as the
 * total (a server counting the page): a server that ignores the paging parameter sends the first
 * page again, full, and nothing else would show it.
 */
export function stalled(page: PageFacts): boolean {
  if (page.received === 0 || page.fresh > 0) return false;
  const totalKnown = Number.isSafeInteger(page.total);
  if (totalKnown && page.total > page.covered) return true;
  return page.received >= page.pageSize && (!totalKnown || page.total <= page.received);
}

/**
 * Walks every page of an instance's tasks the way Huawei's own tested code does (start at the
 * offset base, advance by the tasks received, `task_count` the total) without trusting that
 * reading alone: tasks de-duplicated by id; the walk stops on an empty page, a page with nothing
 * new, a short page (unless `task_count` says more remain), once `task_count` tasks are accounted
 * for, or after `maxPages`. An offset below the base counts as the base (the emulator reads it so;
 * what the real server does with `start=0` is not known).
 *
 * A page that does not advance ({@link stalled}) is asked again once under the other paging parameter
 * name (`start`/`offset`: the SDK has sent each in turn). If that one advances (new tasks, or an empty
 * page: the offset was read), the walk goes on with it and the client remembers it for the endpoint;
 * if not, the walk stops `stalled`, `incomplete`, instead of reporting a short walk as complete.
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
  let param = client.pagingParam();
  let switched = false;
  const ask = (at: number, name: OffsetParam) =>
    client.listTasks(
      {
        instanceId: options.instanceId,
        offset: at,
        offsetParam: name,
        limit: pageSize,
        beginTime: options.beginTime || undefined,
        endTime: options.endTime || undefined,
      },
      call,
    );
  const factsOf = (body: TaskListBody, fresh: number): PageFacts => ({
    received: body.tasks.length,
    fresh,
    pageSize,
    total: Number(body.task_count),
    covered: skipped + seen.size + fresh,
  });
  const end = (pages: number, stopReason: StopReason, at: number): IterationResult => ({
    pages,
    stopReason,
    truncated: stopReason === 'max-pages',
    incomplete: stopReason === 'max-pages' || stopReason === 'stalled',
    nextOffset: at,
    offsetParam: param,
    switchedOffsetParam: switched,
  });
  for (let pages = 1; ; pages++) {
    let answer = await ask(offset, param);
    let fresh = answer.body.tasks.filter((t) => !seen.has(t.id));
    if (stalled(factsOf(answer.body, fresh.length))) {
      if (switched) return end(pages, 'stalled', offset);
      // Once per walk: the same page under the other name.
      const other = otherOffsetParam(param);
      const retry = await ask(offset, other);
      const retryFresh = retry.body.tasks.filter((t) => !seen.has(t.id));
      pages++;
      switched = true;
      if (retry.body.tasks.length > 0 && retryFresh.length === 0) return end(pages, 'stalled', offset);
      param = other;
      client.rememberPagingParam(other);
      answer = retry;
      fresh = retryFresh;
    }
    const { body, requestId } = answer;
    const facts = factsOf(body, fresh.length);
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
    const stop = stopAfter(facts);
    if (stop) return end(pages, stop, offset);
    if (pages >= maxPages) return end(pages, 'max-pages', offset);
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
