import { ID_PATTERN } from '../config/constants';
import type { OffsetParam } from '../dms/types';
import * as ERROR_CODES from '../http/errorCodes';
import { LIMIT_RANGE, LIST_QUERY_PARAMS, MAX_OFFSET, SHOW_QUERY_PARAMS, type ErrorCode } from '../http/constants';
import { ValidationError } from '../http/errors';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { singleQuery } from '../http/singleQuery';

export interface TaskPath {
  readonly projectId: string;
  readonly instanceId: string;
}

export interface ListRequest extends TaskPath {
  /** `start` or `offset`, whichever the caller sent. */
  readonly offset?: number;
  /** Which name the caller used (the `Link` to the next page uses the same). */
  readonly offsetName?: OffsetParam;
  readonly limit?: number;
  /** `YYYYMMDDHHmmss`. */
  readonly beginTime?: string;
  readonly endTime?: string;
  /** `all=true`: follow every page (bounded). */
  readonly all: boolean;
}

export interface ShowRequest extends TaskPath {
  readonly taskId: string;
}

export const ID_RULE = 'must be 1 to 64 characters (letters, digits, "-" and "_"), starting with a letter or digit';
export const TIME_RULE = 'must be a real UTC date-time written YYYYMMDDHHmmss (year 1970 to 9999)';

type PathIds = ReadonlyMap<string, string>;

function id(ids: PathIds, field: 'project_id' | 'instance_id' | 'task_id', code: ErrorCode): string {
  const v = ids.get(field);
  if (v === undefined || v === '') throw new ValidationError(field, code, `is required; ${ID_RULE}`);
  if (!ID_PATTERN.test(v)) throw new ValidationError(field, code, ID_RULE);
  return v;
}

/**
 * A decimal integer from `min` to `max`, judged by value: leading zeros are allowed (`050` and
 * `0050` are both 50), as the emulator allows them; signs, spaces, decimals and exponents are not.
 */
function integerIn(v: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

function nonNegativeInt(v: string, field: string, code: ErrorCode, max: number): number {
  const n = integerIn(v, 0, max);
  if (n === undefined) throw new ValidationError(field, code, `must be a non-negative integer (0 to ${max})`);
  return n;
}

/** `YYYYMMDDHHmmss` that names a real calendar instant (no 31 April, no 29 February 2023, no 24:00). */
export function isCalendarTime(v: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1970 || h > 23 || mi > 59 || s > 59) return false;
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function time(v: string, field: string, code: ErrorCode): string {
  if (!isCalendarTime(v)) throw new ValidationError(field, code, TIME_RULE);
  return v;
}

/**
 * Validates a `list` request before any upstream call: `ids` are the route's path parameters (the
 * gateway's, else decoded from the path). Each failure is a `ValidationError` naming the field and
 * the rule.
 */
export function validateListRequest(req: NormalizedRequest, ids: PathIds): ListRequest {
  const projectId = id(ids, 'project_id', ERROR_CODES.invalidProjectId);
  const instanceId = id(ids, 'instance_id', ERROR_CODES.invalidInstanceId);
  const q = singleQuery(req, LIST_QUERY_PARAMS);
  const offsetOf = (name: OffsetParam): number | undefined => {
    const v = q.get(name);
    return v === undefined ? undefined : nonNegativeInt(v, name, ERROR_CODES.invalidOffset, MAX_OFFSET);
  };
  const start = offsetOf('start');
  const offsetValue = offsetOf('offset');
  if (start !== undefined && offsetValue !== undefined && start !== offsetValue) {
    throw new ValidationError(
      'start/offset',
      ERROR_CODES.conflictingOffset,
      'are two names for the same parameter: give one, or the same value in both',
    );
  }
  const limitRaw = q.get('limit');
  let limit: number | undefined;
  if (limitRaw !== undefined) {
    limit = integerIn(limitRaw, LIMIT_RANGE.min, LIMIT_RANGE.max);
    if (limit === undefined) {
      throw new ValidationError(
        'limit',
        ERROR_CODES.invalidLimit,
        `must be an integer from ${LIMIT_RANGE.min} to ${LIMIT_RANGE.max}`,
      );
    }
  }
  const beginRaw = q.get('begin_time');
  const endRaw = q.get('end_time');
  const beginTime = beginRaw === undefined ? undefined : time(beginRaw, 'begin_time', ERROR_CODES.invalidBeginTime);
  const endTime = endRaw === undefined ? undefined : time(endRaw, 'end_time', ERROR_CODES.invalidEndTime);
  // Same-length digit strings compare as their instants.
  if (beginTime !== undefined && endTime !== undefined && beginTime > endTime) {
    throw new ValidationError('begin_time', ERROR_CODES.timeRangeInverted, 'must not be later than end_time');
  }
  const allRaw = q.get('all');
  if (allRaw !== undefined && allRaw !== 'true' && allRaw !== 'false')
    throw new ValidationError('all', ERROR_CODES.invalidAll, 'must be "true" or "false"');
  // Properties left undefined mean "not given".
  return {
    projectId,
    instanceId,
    offset: start ?? offsetValue,
    offsetName: start !== undefined ? 'start' : offsetValue !== undefined ? 'offset' : undefined,
    limit,
    beginTime,
    endTime,
    all: allRaw === 'true',
  };
}

/** Validates a `show` request before any upstream call. */
export function validateShowRequest(req: NormalizedRequest, ids: PathIds): ShowRequest {
  const projectId = id(ids, 'project_id', ERROR_CODES.invalidProjectId);
  const instanceId = id(ids, 'instance_id', ERROR_CODES.invalidInstanceId);
  const taskId = id(ids, 'task_id', ERROR_CODES.invalidTaskId);
  singleQuery(req, SHOW_QUERY_PARAMS);
  return { projectId, instanceId, taskId };
}
