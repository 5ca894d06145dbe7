import { isRecord } from '../../core/isRecord';
import type { CoreConfig } from '../../config/types';
import type { OffsetBase, OffsetParam } from '../../dms/types';
import type { StateStore } from '../../state/types';
import { keys } from '../records';

/**
 * What the self-check's paging probe found on one DMS endpoint and project (`dms.paging`), kept for the
 * notifier's scan: the parameter and base it uses unless the configuration sets them explicitly.
 */
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

/** Keeps what the self-check's probe found for the notifier's scan (written by `GET /ops/v1/doctor`). */
export async function savePagingRecord(
  store: StateStore,
  host: string,
  projectId: string,
  record: PagingRecord,
): Promise<void> {
  await store.put(keys.paging(host, projectId), { ...record });
}

/** The kept facts for a host and project, if any. */
export async function loadPagingRecord(
  store: StateStore,
  host: string,
  projectId: string,
): Promise<PagingRecord | undefined> {
  const got = await store.get(keys.paging(host, projectId));
  return got ? readPagingRecord(got.value) : undefined;
}

/** The paging the notifier's scan uses for a project: the probe's answer where the document sets no value. */
export function pagingFromRecord(
  config: Pick<CoreConfig, 'offsetParam' | 'offsetBase' | 'pagingExplicit'>,
  record: PagingRecord | undefined,
): { readonly offsetParam: OffsetParam; readonly offsetBase: OffsetBase } | undefined {
  if (!record) return undefined;
  const offsetParam = config.pagingExplicit.param ? config.offsetParam : record.param;
  const offsetBase = config.pagingExplicit.base ? config.offsetBase : record.base;
  if (offsetParam === config.offsetParam && offsetBase === config.offsetBase) return undefined;
  return { offsetParam, offsetBase };
}
