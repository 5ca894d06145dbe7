import { EMULATOR_DEFAULTS } from './constants';
import { EmulatorInputError } from './types';

/** The paging parameter names a task list may honour. */
export const OFFSET_PARAM_NAMES = ['start', 'offset'] as const;
export type OffsetParamName = (typeof OFFSET_PARAM_NAMES)[number];

/** What `task_count` holds: the tasks matching the filter (`total`), or the tasks on this page (`page`). */
export const TASK_COUNT_MODES = ['total', 'page'] as const;
export type TaskCountMode = (typeof TASK_COUNT_MODES)[number];

/**
 * How the emulated task list pages: the readings of the undocumented contract (see `docs/emulator.md`,
 * "Paging modes"). Switchable on a running emulator (`setPaging`, `POST /__emulator/paging`), so one
 * emulator can play each server in turn.
 */
export interface PagingSettings {
  /** The offset of the first task: `1` (Huawei's Terraform provider) or `0`. */
  readonly offsetBase: 0 | 1;
  /**
   * Paging parameter names honoured; one not listed is ignored (the first page again), `[]` ignores
   * both. When both are sent and honoured, `offset` wins.
   */
  readonly acceptedOffsetParams: readonly OffsetParamName[];
  /** `total` (Huawei's provider: "`task_count` means the number of all `tasks`") or `page`. */
  readonly taskCount: TaskCountMode;
  /** Page size when `limit` is absent. */
  readonly defaultLimit: number;
  /** Larger limits are clamped to this. */
  readonly maxLimit: number;
  /**
   * The instance listing's accepted RocketMQ `engine` values (`EmulatorOptions.rocketmqEngineNames`):
   * carried beside the paging modes to the handlers, not switchable with them.
   */
  readonly rocketmqEngineNames?: readonly string[];
}

/** A change of some paging settings (`setPaging`, `POST /__emulator/paging`). */
export type PagingChange = Partial<PagingSettings>;

function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new EmulatorInputError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/**
 * `current` with `change` applied, every field checked (an `EmulatorInputError` naming the field,
 * nothing changed). `defaultLimit` is clamped to `maxLimit`.
 */
export function applyPaging(current: PagingSettings, change: Readonly<Record<string, unknown>>): PagingSettings {
  const known = ['offsetBase', 'acceptedOffsetParams', 'taskCount', 'defaultLimit', 'maxLimit'];
  const unknown = Object.keys(change).find((k) => !known.includes(k));
  if (unknown !== undefined) throw new EmulatorInputError(`unknown paging setting: ${unknown}`);
  const { offsetBase, acceptedOffsetParams: params, taskCount } = change;
  if (offsetBase !== undefined && offsetBase !== 0 && offsetBase !== 1)
    throw new EmulatorInputError('offsetBase must be 0 or 1');
  if (
    params !== undefined &&
    !(Array.isArray(params) && params.every((p) => (OFFSET_PARAM_NAMES as readonly unknown[]).includes(p)))
  )
    throw new EmulatorInputError('acceptedOffsetParams must be an array of "start" and "offset"');
  if (taskCount !== undefined && taskCount !== 'total' && taskCount !== 'page')
    throw new EmulatorInputError('taskCount must be "total" or "page"');
  const maxLimit = change.maxLimit === undefined ? current.maxLimit : positiveInt('maxLimit', change.maxLimit);
  const defaultLimit =
    change.defaultLimit === undefined ? current.defaultLimit : positiveInt('defaultLimit', change.defaultLimit);
  return {
    offsetBase: offsetBase === undefined ? current.offsetBase : offsetBase,
    acceptedOffsetParams:
      params === undefined ? current.acceptedOffsetParams : OFFSET_PARAM_NAMES.filter((p) => params.includes(p)),
    taskCount: taskCount === undefined ? current.taskCount : taskCount,
    defaultLimit: Math.min(defaultLimit, maxLimit),
    maxLimit,
  };
}

/** The defaults (`EMULATOR_DEFAULTS`): 1-based, both names, `task_count` the total, 10 and 100. */
export const DEFAULT_PAGING: PagingSettings = {
  offsetBase: EMULATOR_DEFAULTS.offsetBase,
  acceptedOffsetParams: EMULATOR_DEFAULTS.acceptedOffsetParams,
  taskCount: EMULATOR_DEFAULTS.taskCount,
  defaultLimit: EMULATOR_DEFAULTS.defaultLimit,
  maxLimit: EMULATOR_DEFAULTS.maxLimit,
};

/** The paging settings of one running emulator; the API handlers read `current` per request. */
export class PagingModes {
  #current: PagingSettings;

  constructor(initial: PagingChange = {}) {
    this.#current = applyPaging(DEFAULT_PAGING, initial);
  }

  get current(): PagingSettings {
    return this.#current;
  }

  /** Applies a change (validated whole first); returns the settings now in force. */
  set(change: Readonly<Record<string, unknown>>): PagingSettings {
    this.#current = applyPaging(this.#current, change);
    return this.#current;
  }
}
