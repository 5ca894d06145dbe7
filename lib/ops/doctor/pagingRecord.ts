import { isRecord } from '../../core/isRecord';
import type { StateStore } from '../../state/types';
import type { OffsetBase, OffsetParam } from '../../dms/types';
import type { PagingFacts } from './probePaging';

/** Where the probe's facts are kept: one record per DMS endpoint host and project. */
export function pagingKey(host: string, projectId: string): string {
  return `paging/${host}/${projectId}`;
}

/** The paging facts as stored, with when they were probed (epoch ms). */
export interface PagingRecord {
  readonly param: OffsetParam;
  readonly base: OffsetBase;
  readonly countIsTotal: boolean;
  readonly probedAt: number;
}

/** A stored value read back as a `PagingRecord`, or undefined when it is not one (never a cast). */
export function readPagingRecord(value: unknown): PagingRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { param, base, countIsTotal, probedAt } = value;
  if (param !== 'start' && param !== 'offset') return undefined;
  if (base !== 0 && base !== 1) return undefined;
  if (typeof countIsTotal !== 'boolean' || typeof probedAt !== 'number') return undefined;
  return { param, base, countIsTotal, probedAt };
}

/** Keeps what the probe found (only a complete answer: a probe that saw no moving window writes nothing). */
export async function savePagingFacts(
  store: StateStore,
  host: string,
  projectId: string,
  facts: PagingFacts,
  now: number,
): Promise<void> {
  if (facts.param === undefined || facts.base === undefined) return;
  const record: PagingRecord = {
    param: facts.param,
    base: facts.base,
    countIsTotal: facts.countIsTotal,
    probedAt: now,
  };
  await store.put(pagingKey(host, projectId), { ...record });
}

/** The kept facts for a host and project, if any. */
export async function loadPagingRecord(
  store: StateStore,
  host: string,
  projectId: string,
): Promise<PagingRecord | undefined> {
  const got = await store.get(pagingKey(host, projectId));
  return got ? readPagingRecord(got.value) : undefined;
}
