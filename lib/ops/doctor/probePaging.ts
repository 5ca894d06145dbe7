import { type CheckResult, ok, problem, unknown } from '../../core/checkResult';
import type { DmsTaskClient } from '../../dms/taskClient';
import type { OffsetBase, OffsetParam } from '../../dms/types';
import { describeUpstream } from './describeUpstream';

/** What DMS was seen to do with paging on one endpoint. */
export interface PagingFacts {
  /** The query parameter that moves the window, or `undefined` when neither did. */
  readonly param: OffsetParam | undefined;
  /** Where counting starts for that parameter. */
  readonly base: OffsetBase | undefined;
  /** `task_count` is the number of matching tasks (true) or the page's length (false). */
  readonly countIsTotal: boolean;
  /** The instance the probe read. */
  readonly instanceId: string;
}

/** A client whose offset parameter is `param` (the probe builds one per candidate). */
export type ClientWithParam = (param: OffsetParam) => DmsTaskClient;

const PARAMS: readonly OffsetParam[] = ['start', 'offset'];

/**
 * Which parameter advances the task list, from which base, and what `task_count` counts, read on an
 * instance with at least two tasks with one-task pages: the first task with no offset (`t0`), then the
 * task at 1 and at 2 under each name. Honoured from 1: 1 gives `t0`, 2 another. Honoured from 0: 1 gives
 * another task than `t0`. Ignored: 1 and 2 both give `t0`. Five requests at most.
 */
export async function probePaging(clientWith: ClientWithParam, instanceId: string): Promise<PagingFacts> {
  const first = await clientWith('start').listTasks({ instanceId, limit: 1 });
  const t0 = first.body.tasks[0]?.id;
  const count = Number(first.body.task_count);
  let found: { param: OffsetParam; base: OffsetBase } | undefined;
  let sawSecond = false;
  for (const param of PARAMS) {
    const client = clientWith(param);
    // The name given per call: the client's memory of what worked at this endpoint must not answer for it.
    const at1 = (await client.listTasks({ instanceId, offset: 1, limit: 1, offsetParam: param })).body.tasks[0]?.id;
    const at2 = (await client.listTasks({ instanceId, offset: 2, limit: 1, offsetParam: param })).body.tasks[0]?.id;
    if (at1 !== undefined && at1 !== t0) {
      found = { param, base: 0 };
      sawSecond = true;
      break;
    }
    if (at1 === t0 && at2 !== undefined && at2 !== t0) {
      found = { param, base: 1 };
      sawSecond = true;
      break;
    }
  }
  return {
    param: found?.param,
    base: found?.base,
    // One-task pages: a count above 1 can only be the total; a count of 1 with a second task seen is the page's length.
    countIsTotal: count > 1 || !sawSecond,
    instanceId,
  };
}

/** The configured paging settings and whether the document set them explicitly. */
export interface ConfiguredPaging {
  readonly param: OffsetParam;
  readonly base: OffsetBase;
  readonly paramExplicit: boolean;
  readonly baseExplicit: boolean;
}

/** The rows the probe's facts give, judged against the configuration. */
export function judgePaging(subject: string, facts: PagingFacts, configured: ConfiguredPaging): CheckResult[] {
  const seen = `probed on ${facts.instanceId}`;
  if (facts.param === undefined || facts.base === undefined) {
    return [
      problem(
        'dms.paging',
        subject,
        `${seen}: neither start nor offset moved the one-task window`,
        'Only the first page of each instance can be read: raise pageSize to 100 and report the region and engine ' +
          'as an issue.',
      ),
    ];
  }
  const want = `"offsetParam": "${facts.param}", "offsetBase": ${facts.base}`;
  const rows: CheckResult[] = [];
  const paramWrong = configured.param !== facts.param;
  const baseWrong = configured.base !== facts.base;
  if ((paramWrong && configured.paramExplicit) || (baseWrong && configured.baseExplicit)) {
    rows.push(
      problem(
        'dms.paging',
        subject,
        `${seen}: upstream honours ${facts.param} from ${facts.base}; the configuration says ${configured.param} ` +
          `from ${configured.base}`,
        `Set ${want} in the configuration (list, show and the notifier read it).`,
      ),
    );
  } else if (paramWrong || baseWrong) {
    rows.push(
      ok(
        'dms.paging',
        subject,
        `${seen}: upstream honours ${facts.param} from ${facts.base}; the notifier uses that (kept in its store); ` +
          `set ${want} so list and show use it too`,
      ),
    );
  } else {
    rows.push(ok('dms.paging', subject, `${seen}: upstream honours ${facts.param} from ${facts.base}, as configured`));
  }
  rows.push(
    ok(
      'dms.task_count',
      subject,
      facts.countIsTotal
        ? `${seen}: task_count is the total of matching tasks`
        : `${seen}: task_count is the page's length (the pager reads on until a short page)`,
    ),
  );
  return rows;
}

/** The row when no instance has two tasks to probe, or the probe failed. */
export function pagingUnknown(subject: string, err?: unknown): CheckResult {
  return unknown(
    'dms.paging',
    subject,
    err === undefined ? 'no watched instance has two tasks or more' : `probe failed: ${describeUpstream(err)}`,
    'Run the self-check again once an instance has at least two background tasks (any resize or restart makes one).',
  );
}
