import { DmsResponseError, type DmsErrorDetails } from './errors';
import { isRecord } from '../core/isRecord';
import type { DmsInstance, DmsTask, InstanceListBody, TaskListBody } from './types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `isRecord` for parsed JSON. */
const isObject = (v: Json): v is { [key: string]: Json } => isRecord(v);

export function parseJson(text: string, details: DmsErrorDetails): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (cause) {
    throw new DmsResponseError('not-json', 'upstream body is not JSON', details, { cause });
  }
}

const REQUIRED_TASK_FIELDS = ['id', 'name', 'status', 'created_at'] as const;

function parseTask(v: Json, details: DmsErrorDetails): DmsTask {
  if (!isObject(v)) throw new DmsResponseError('bad-shape', 'upstream task is not an object', details);
  for (const f of REQUIRED_TASK_FIELDS) {
    if (typeof v[f] !== 'string')
      throw new DmsResponseError('bad-shape', `upstream task field "${f}" is not a string`, details);
  }
  const optional = (f: 'user_name' | 'user_id' | 'params' | 'updated_at'): string => {
    const value = v[f];
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    if (f === 'params' && typeof value === 'object') return JSON.stringify(value);
    throw new DmsResponseError('bad-shape', `upstream task field "${f}" is not a string`, details);
  };
  // Upstream's field order (the body is passed on field for field); optional fields checked in this order.
  return {
    id: v.id as string,
    name: v.name as string,
    user_name: optional('user_name'),
    user_id: optional('user_id'),
    params: optional('params'),
    status: v.status as string,
    created_at: v.created_at as string,
    updated_at: optional('updated_at'),
  };
}

/**
 * Validates a list/show body. Tolerated deviations: `task_count` as a number (turned into a string) or
 * missing (the page length), optional task fields null or missing (empty string), `params` as an object
 * (re-serialised). Anything else is a `DmsResponseError`.
 */
export function parseTaskListBody(v: Json, details: DmsErrorDetails): TaskListBody {
  if (!isObject(v) || !Array.isArray(v.tasks))
    throw new DmsResponseError('bad-shape', 'upstream body has no "tasks" array', details);
  const tasks = v.tasks.map((t) => parseTask(t, details));
  const count = v.task_count;
  let taskCount: string;
  if (typeof count === 'string' && /^\d+$/.test(count)) taskCount = count;
  else if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) taskCount = String(count);
  else if (count === undefined || count === null) taskCount = String(tasks.length);
  else throw new DmsResponseError('bad-shape', 'upstream "task_count" is not a count', details);
  return { task_count: taskCount, tasks };
}

export function parseInstanceListBody(v: Json, details: DmsErrorDetails): InstanceListBody {
  if (!isObject(v) || !Array.isArray(v.instances))
    throw new DmsResponseError('bad-shape', 'upstream body has no "instances" array', details);
  const instances: DmsInstance[] = v.instances.map((i) => {
    if (!isObject(i) || typeof i.instance_id !== 'string')
      throw new DmsResponseError('bad-shape', 'upstream instance has no "instance_id"', details);
    const base = {
      instance_id: i.instance_id,
      name: typeof i.name === 'string' ? i.name : i.instance_id,
      engine: typeof i.engine === 'string' ? i.engine : '',
    };
    return typeof i.status === 'string' ? { ...base, status: i.status } : base;
  });
  const num = typeof v.instance_num === 'number' ? v.instance_num : Number(v.instance_num ?? instances.length);
  return { instances, instance_num: Number.isFinite(num) ? num : instances.length };
}

/**
 * Longest upstream message the client passes on (`boundedText`). The HTTP functions cut it further,
 * to 200, after checking it does not mention a caller's id.
 */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * An upstream message as plain text: tags (`<b>`, `<script ...>`) and any leftover `<` or `>`
 * removed, control and format characters turned into spaces, runs of white space collapsed.
 */
export function plainText(message: string): string {
  return message
    .replace(/<[^<>]*>/g, ' ')
    .replace(/[<>]/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `text` cut to `max` characters (whole code points, ending in `...` when cut). Applied after
 * secrets are scrubbed, so a cut never leaves part of one behind.
 */
export function boundedText(text: string, max: number = MAX_MESSAGE_LENGTH): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 3).join('')}...`;
}

/** The `error_code`/`error_msg` of an error body, when it has them; the message as plain text. */
export function parseErrorBody(text: string): { errorCode: string; errorMsg: string } | undefined {
  try {
    const v = JSON.parse(text) as Json;
    if (isObject(v) && typeof v.error_code === 'string') {
      return { errorCode: v.error_code, errorMsg: typeof v.error_msg === 'string' ? plainText(v.error_msg) : '' };
    }
  } catch {
    // not JSON: the caller reports the status alone
  }
  return undefined;
}
