/** Task status values documented upstream (2025-12 docs). Unknown values are passed through as strings. */
export const TASK_STATUSES = ['CREATED', 'SUCCESS', 'FAILED', 'DELETED', 'EXECUTING', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * One background task, exactly as upstream returns it: every field a string, `params` a JSON document
 * inside a string.
 */
export interface DmsTask {
  readonly id: string;
  readonly name: string;
  readonly user_name: string;
  readonly user_id: string;
  readonly params: string;
  readonly status: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Body of list and show: `task_count` is a string. */
export interface TaskListBody {
  readonly task_count: string;
  readonly tasks: readonly DmsTask[];
}

/** The engines of DMS. The instance listing API calls RocketMQ `reliability`. */
export const ENGINES = ['kafka', 'rocketmq', 'rabbitmq'] as const;
export type Engine = (typeof ENGINES)[number];

export interface DmsInstance {
  readonly instance_id: string;
  readonly name: string;
  readonly engine: string;
  readonly status?: string;
}

export interface InstanceListBody {
  readonly instances: readonly DmsInstance[];
  readonly instance_num: number;
}

/** Which query parameter carries the page offset upstream. Every official SDK sends `start`. */
export const OFFSET_PARAMS = ['start', 'offset'] as const;
export type OffsetParam = (typeof OFFSET_PARAMS)[number];

/**
 * The offset of the first task. Huawei's Terraform provider, whose acceptance tests run against the
 * real cloud, counts from 1 ("`start` counts from `1`"); the API docs say only "≥ 0", so 0 stays
 * possible.
 */
export const OFFSET_BASES = [0, 1] as const;
export type OffsetBase = (typeof OFFSET_BASES)[number];

/** @default 1 (Huawei's Terraform provider) */
export const DEFAULT_OFFSET_BASE: OffsetBase = 1;

/**
 * Page sizes (`limit`) upstream is known to accept: Huawei's RocketMQ data source sends 100 and
 * passes its acceptance tests. Nothing public says what the server does above.
 */
export const LIMIT_RANGE = { min: 1, max: 100 } as const;

/**
 * Page size the pager asks for: the largest known to be accepted, so the fewest round trips.
 * @default 100
 */
export const DEFAULT_PAGE_SIZE = 100;

/** Largest offset sent upstream: a 32-bit signed integer, what upstream's Java services parse. */
export const MAX_OFFSET = 2_147_483_647;

export interface ListTasksParams {
  readonly instanceId: string;
  /** Index of the first task, sent as `start` or `offset` (see `DmsClientOptions.offsetParam`). */
  readonly offset?: number;
  /** The name to send the offset as. @default the client's `pagingParam()` */
  readonly offsetParam?: OffsetParam;
  readonly limit?: number;
  /** `YYYYMMDDHHmmss`, UTC. */
  readonly beginTime?: string;
  /** `YYYYMMDDHHmmss`, UTC. */
  readonly endTime?: string;
}

/** A successful upstream answer with what the caller may pass back. */
export interface UpstreamResult<T> {
  readonly body: T;
  readonly status: number;
  /** Upstream `X-Request-Id`, when sent. */
  readonly requestId?: string;
  /** How many HTTP attempts it took (1 = no retry). */
  readonly attempts: number;
}
