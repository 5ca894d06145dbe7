import { ID_PATTERN } from '../../config/constants';
import { globProblem } from '../../core/glob';
import type { ErrorCode } from '../../http/constants';
import * as ERROR_CODES from '../../http/errorCodes';
import { ValidationError } from '../../http/errors';
import { ID_RULE } from '../../tasks/validateRequest';
import {
  DEFAULT_PAGE_SIZE,
  MAX_COMMENT_LENGTH,
  MAX_CREATOR_LENGTH,
  MAX_PAGE_SIZE,
  MAX_QUERY_LENGTH,
  MAX_SILENCE_MINUTES,
} from './constants';
import type { FleetQuery } from './fleetData';
import type { SilenceInput } from './silences';

const FLEET_PARAMS = ['q', 'page', 'page_size'];
/** Instance names and ids, and task-name globs: what DMS names are made of, plus `*` in a glob. */
const INSTANCE_MATCHER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TASK_GLOB = /^[A-Za-z0-9_*][A-Za-z0-9_*.-]{0,63}$/;
/** Printable text: no control characters. */
const PLAIN_TEXT = /^[^\p{Cc}]*$/u;

function integer(v: string | undefined, field: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ValidationError(field, ERROR_CODES.invalidPageNumber, `must be an integer from ${min} to ${max}`);
  return Number(v);
}

/** `?q=&page=&page_size=` of the page and its JSON; anything else is a 400 naming its position. */
export function validateFleetQuery(query: ReadonlyMap<string, readonly string[]>): FleetQuery {
  let position = 0;
  for (const [name, vs] of query) {
    position++;
    if (!FLEET_PARAMS.includes(name))
      throw new ValidationError(
        `query parameter #${position}`,
        ERROR_CODES.unknownParameter,
        `unknown query parameter (allowed: ${FLEET_PARAMS.join(', ')})`,
      );
    if (vs.length !== 1) throw new ValidationError(name, ERROR_CODES.repeatedParameter, 'must be given at most once');
  }
  const q = (query.get('q')?.[0] ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH || !PLAIN_TEXT.test(q))
    throw new ValidationError(
      'q',
      ERROR_CODES.invalidPageQuery,
      `must be at most ${MAX_QUERY_LENGTH} printable characters`,
    );
  return {
    q,
    page: integer(query.get('page')?.[0], 'page', 1, 1_000_000, 1),
    pageSize: integer(query.get('page_size')?.[0], 'page_size', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  };
}

function text(form: ReadonlyMap<string, string>, field: string, max: number): string {
  const v = (form.get(field) ?? '').trim();
  if (v === '' || v.length > max || !PLAIN_TEXT.test(v))
    throw new ValidationError(field, ERROR_CODES.invalidPageSilence, `is required: 1 to ${max} printable characters`);
  return v;
}

/** The silence form: an instance, a task-name glob or both; a duration; who and why. */
export function validateSilenceForm(form: ReadonlyMap<string, string>): SilenceInput {
  const instance = (form.get('instance') ?? '').trim();
  const task = (form.get('task') ?? '').trim();
  if (instance === '' && task === '')
    throw new ValidationError(
      'instance/task',
      ERROR_CODES.invalidPageSilence,
      'give an instance, a task-name glob, or both',
    );
  if (instance !== '' && !INSTANCE_MATCHER.test(instance))
    throw new ValidationError(
      'instance',
      ERROR_CODES.invalidPageSilence,
      'must be an instance id or name: 1 to 64 letters, digits, ".", "-" or "_"',
    );
  if (task !== '' && !TASK_GLOB.test(task))
    throw new ValidationError(
      'task',
      ERROR_CODES.invalidPageSilence,
      'must be a task-name glob: 1 to 64 letters, digits, "*", ".", "-" or "_"',
    );
  const taskProblem = task === '' ? undefined : globProblem(task);
  if (taskProblem) throw new ValidationError('task', ERROR_CODES.invalidPageSilence, taskProblem);
  const minutesRaw = form.get('minutes') ?? '';
  if (!/^\d{1,5}$/.test(minutesRaw) || Number(minutesRaw) < 1 || Number(minutesRaw) > MAX_SILENCE_MINUTES)
    throw new ValidationError(
      'minutes',
      ERROR_CODES.invalidPageSilence,
      `must be an integer from 1 to ${MAX_SILENCE_MINUTES}`,
    );
  return {
    ...(instance !== '' ? { instance } : {}),
    ...(task !== '' ? { task } : {}),
    minutes: Number(minutesRaw),
    createdBy: text(form, 'createdBy', MAX_CREATOR_LENGTH),
    comment: text(form, 'comment', MAX_COMMENT_LENGTH),
  };
}

/** A path id (project, instance, task, silence), as the edge decoded it: the ids DMS uses. */
export function pathId(v: string, field: string, code: ErrorCode): string {
  if (!ID_PATTERN.test(v)) throw new ValidationError(field, code, ID_RULE);
  return v;
}
