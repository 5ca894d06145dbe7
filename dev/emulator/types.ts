import type { SmnPublished } from './smnTopics';
import type { Credentials } from '../../lib/signing';
import type { GatewayControls, GatewayOptions } from './gatewayOptions';
import type { OffsetParamName, PagingChange, PagingSettings, TaskCountMode } from './paging';

/**
 * Task status values, as listed by the 2025-12 DMS docs. `CANCELLED` is a scheduled task that was
 * cancelled before it ran.
 */
export const TASK_STATUSES = ['CREATED', 'SUCCESS', 'FAILED', 'DELETED', 'EXECUTING', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Engine names as the background-task API and this project use them. */
export const ENGINES = ['kafka', 'rocketmq', 'rabbitmq'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The `engine` field the instance-listing API (`GET /v2/{project_id}/instances`) returns, and the
 * name its `engine` query parameter has always accepted: RocketMQ is called `reliability` there.
 * The 2026 RocketMQ docs (and the Node SDK's `ListInstancesRequestEngineEnum.ROCKETMQ`) also accept
 * `engine=rocketmq`, "`reliability`: RocketMQ engine alias", so the emulator accepts both in the
 * query (see {@link ENGINE_QUERY_NAMES}); it always returns `reliability`, and a client should
 * accept either in responses.
 */
export const ENGINE_WIRE_NAMES = {
  kafka: 'kafka',
  rocketmq: 'reliability',
  rabbitmq: 'rabbitmq',
} as const satisfies Record<Engine, string>;
export type EngineWireName = (typeof ENGINE_WIRE_NAMES)[Engine];

/** Values of the instance listing's `engine` query parameter that select each engine. */
export const ENGINE_QUERY_NAMES = {
  kafka: ['kafka'],
  rocketmq: ['reliability', 'rocketmq'],
  rabbitmq: ['rabbitmq'],
} as const satisfies Record<Engine, readonly string[]>;

/**
 * One background task exactly as the upstream API returns it: every field a string, `params` a JSON
 * document inside a string, times as `2020-06-23T03:00:03.471Z`.
 */
export interface DmsTask {
  readonly id: string;
  readonly name: string;
  readonly user_name: string;
  readonly user_id: string;
  readonly params: string;
  readonly status: TaskStatus;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What the emulator knows of an instance; the listing API renders it with {@link ENGINE_WIRE_NAMES}. */
export interface EmulatorInstance {
  /** A UUID, like the real ones. */
  readonly instance_id: string;
  readonly name: string;
  readonly engine: Engine;
  readonly engine_version: string;
  /** `RUNNING` for every seeded instance. */
  readonly status: string;
  /** `cluster` or `single`. */
  readonly type: string;
  readonly specification: string;
  /** Milliseconds since the epoch, as a string, the way the DMS instance APIs return it. */
  readonly created_at: string;
}

/** Input of `Emulator.addInstance`; only `name` and `engine` are required. */
export interface NewInstance {
  /** @default a fresh random UUID */
  readonly instance_id?: string;
  readonly name: string;
  readonly engine: Engine;
  /** @default per engine: kafka `3.x`, rocketmq `5.x`, rabbitmq `3.8.35` */
  readonly engine_version?: string;
  /** @default 'RUNNING' */
  readonly status?: string;
  /** @default 'cluster' */
  readonly type?: string;
}

/** Fields a caller may set on a new task; everything left out gets a realistic default. */
export type TaskInput = Partial<DmsTask>;

/** A request the emulator received (control-surface requests under `/__emulator/` are not recorded). */
export interface RecordedRequest {
  readonly method: string;
  /** The raw path, without the query string. */
  readonly path: string;
  /** Decoded query pairs; a repeated key keeps its last value. */
  readonly query: Readonly<Record<string, string>>;
  /** The status sent; `0` when a `reset` fault destroyed the socket instead. */
  readonly status: number;
  /** Whether the request carried a valid signature (recorded even when a fault answered it). */
  readonly signed: boolean;
  /** The header names its `Authorization` lists as signed (`SignedHeaders=`), lower-case; empty when unsigned. */
  readonly signedHeaders: readonly string[];
  /** The `Content-Type` and `X-Project-Id` headers as sent (compared with Huawei's SDK in tests). */
  readonly contentType?: string;
  readonly projectIdHeader?: string;
  /** ISO time of arrival, from the emulator's clock (`options.now`). */
  readonly at: string;
  /** The `X-Request-Id` sent back (empty for a reset). */
  readonly requestId: string;
  /** The kind of the fault that answered or delayed the request, if any. */
  readonly fault?: Fault['kind'];
  /** For a `malformed` fault: body bytes written before the transfer ended (less if the client hung up). */
  readonly bodyBytesSent?: number;
}

/**
 * When a fault applies. With neither `count` nor `rate` it applies to every matching request until
 * `clearFaults()`. With `count` it applies to the next `count` matching requests. With `rate` each
 * matching request is hit with that probability, drawn from a PRNG seeded with `seed`, so a run is
 * reproducible; with both, it stops after `count` hits.
 */
export interface FaultMatch {
  /** Substring of the request path (not the query) that the fault is limited to. @default every API path */
  readonly path?: string;
  /** @default unlimited */
  readonly count?: number;
  /** 0..1. @default 1 */
  readonly rate?: number;
  /** Seed of the fault's own PRNG, used only with `rate`. @default 1 */
  readonly seed?: number;
}

/** Answer with this status instead of the real response (e.g. 429 with `Retry-After`, or a 5xx). */
export interface StatusFault extends FaultMatch {
  readonly kind: 'status';
  readonly status: number;
  /** A string is sent as is; anything else as JSON. @default an APIGW/DMS-style error body for the status */
  readonly body?: unknown;
  /** Value of the `Retry-After` header (seconds, or an HTTP date). @default no header */
  readonly retryAfter?: number | string;
}

/** Destroy the socket without writing any response. */
export interface ResetFault extends FaultMatch {
  readonly kind: 'reset';
}

/** Answer with a body a JSON parser must reject, or one too large to buffer blindly. */
export interface MalformedFault extends FaultMatch {
  readonly kind: 'malformed';
  /** @default MALFORMED_BODIES.truncatedJson (`{"tasks":`) */
  readonly body?: string;
  /** @default 200 */
  readonly status?: number;
  /**
   * Send a body of this many bytes instead of `body`: a syntactically valid JSON document padded
   * with spaces, so a client must stop on its size rather than on a parse error.
   */
  readonly hugeBytes?: number;
  /**
   * Stream the body without `Content-Length` (chunked transfer encoding), so a client cannot refuse
   * it up front and must count while reading. @default false
   */
  readonly chunked?: boolean;
}

/** Delay the response by `ms` (added to the global latency); other faults may still apply. */
export interface LatencyFault extends FaultMatch {
  readonly kind: 'latency';
  readonly ms: number;
}

export type Fault = StatusFault | ResetFault | MalformedFault | LatencyFault;

/** Options of {@link startEmulator}; every one has a default. */
export interface EmulatorOptions extends GatewayOptions {
  /** Port to listen on; `0` picks a free one. @default 0 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Credentials the emulator accepts. A pair with a `securityToken` (temporary credentials) is
   * accepted only with that `X-Security-Token`, signed.
   * @default [EMULATOR_CREDENTIALS]
   */
  readonly credentials?: readonly Credentials[];
  /** Load the deterministic seed data (`SEED`). @default true */
  readonly seed?: boolean;
  /** The emulator's clock: seed times, clock-skew checks, new tasks. @default () => new Date() */
  readonly now?: () => Date;
  /** Largest accepted difference between `X-Sdk-Date` and `now()`. @default 900_000 (15 min) */
  readonly maxClockSkewMs?: number;
  /**
   * The offset of the first task. With `1` (Huawei's Terraform provider: "`start` counts from `1`"),
   * `start=1` is the first task and `start=0` reads as `1`; with `0`, `start=0` is the first task.
   * @default 1
   */
  readonly offsetBase?: 0 | 1;
  /**
   * Paging parameters the task list honours; one not listed is ignored (the first page again), as a
   * server of the other SDK generation would (the SDK sent `offset` from 3.1.178/3.1.184 to 3.1.209 and
   * `start` again in 3.1.215: see docs/emulator.md). `[]` honours neither. When both are given and
   * accepted, `offset` wins. @default ['start', 'offset']
   */
  readonly acceptedOffsetParams?: readonly OffsetParamName[];
  /**
   * What `task_count` holds: `total`, the tasks matching the filter (Huawei's Terraform provider reads
   * it so), or `page`, the tasks on the page sent. @default 'total'
   */
  readonly taskCount?: TaskCountMode;
  /**
   * The `engine` values the instance listing accepts for RocketMQ; another is 400 `DMS.00400001`, as
   * the service answers a value it does not know. Both by default: Huawei's API reference and its
   * Terraform provider (`data_source_huaweicloud_dms_rocketmq_instances.go`, acceptance-tested against
   * the cloud) send `reliability`; the SDK's enum (`ListInstancesRequestEngineEnum`,
   * evidence/sdk-requests.json) sends `rocketmq`. A test narrows it to one to check the fallback.
   * @default ['reliability', 'rocketmq']
   */
  readonly rocketmqEngineNames?: readonly ('reliability' | 'rocketmq')[];
  /** Page size when `limit` is absent. @default 10 */
  readonly defaultLimit?: number;
  /**
   * Larger limits are silently clamped to this (`50` plays a server that allows fewer than Huawei's
   * code asks for). @default 100 (what Huawei's RocketMQ data source sends)
   */
  readonly maxLimit?: number;
  /** Delay before every API response (not the control surface). @default 0 */
  readonly latencyMs?: number;
}

/** A running emulator. */
export interface Emulator extends GatewayControls {
  /** `http://127.0.0.1:{port}`, no trailing slash: give it to `.withEndpoint()` or a DMS client. */
  readonly url: string;
  readonly port: number;
  /** The accepted credentials (the emulator's own fake ones unless configured). */
  readonly credentials: readonly Credentials[];
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
  /** Adds an instance, creating the project if it is new (the project id must be 32 hex chars). */
  addInstance(projectId: string, instance: NewInstance): EmulatorInstance;
  /** Creates an SMN topic (`urn:smn:{region}:{projectId}:{name}`, region default `cn-north-4`); returns its URN. */
  addSmnTopic(projectId: string, name: string, region?: string): string;
  /** Messages SMN's publish API accepted, oldest first (a copy). */
  readonly smnPublished: readonly SmnPublished[];
  /** Adds a task (status `CREATED`, created now, unless `partial` says otherwise) and returns it. */
  addTask(projectId: string, instanceId: string, partial?: TaskInput): DmsTask;
  /** Sets a task's status and its `updated_at` to now; returns the updated task. */
  setTaskStatus(projectId: string, instanceId: string, taskId: string, status: TaskStatus): DmsTask;
  /** Deletes a task record (upstream's `DELETE .../tasks/{task_id}`): no longer listed, shown as 404. */
  deleteTask(projectId: string, instanceId: string, taskId: string): void;
  /** The instance's tasks, newest first (copies). */
  tasks(projectId: string, instanceId: string): DmsTask[];
  /** Adds a fault; faults are tried in the order they were added. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Sets the delay before every API response. */
  setLatency(ms: number): void;
  /** The task list's paging settings now in force (see {@link EmulatorOptions}). */
  readonly paging: PagingSettings;
  /**
   * Switches paging modes on the running emulator (also `POST /__emulator/paging`): the change is
   * checked whole (an `EmulatorInputError` naming the field, nothing changed); returns the settings.
   */
  setPaging(change: PagingChange): PagingSettings;
  /** Requests received so far, oldest first (a copy). */
  readonly requests: readonly RecordedRequest[];
  resetRequests(): void;
}

/** Thrown by the programmatic API (and mapped to 400/404 by the control surface) on bad input. */
export class EmulatorInputError extends Error {
  override readonly name = 'EmulatorInputError';
  constructor(
    message: string,
    /** `not-found` for an unknown project, instance or task; `invalid` otherwise. */
    readonly kind: 'invalid' | 'not-found' = 'invalid',
  ) {
    super(message);
  }
}
