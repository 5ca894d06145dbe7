import type { SecretRef } from '../config/types';
import type { StoreSpec } from '../state/createStore';
import type { QuietWindow } from './deliver/quietHours';
import type { Silence } from './silences/silences';

/**
 * Destination kinds. `webhook` is a generic Standard Webhooks receiver; `smn` a Huawei SMN topic
 * (e-mail, SMS, ... subscribers), `pagerduty` the PagerDuty Events API v2; the others are chat bots.
 */
export const DESTINATION_TYPES = [
  'webhook',
  'slack',
  'teams',
  'feishu',
  'dingtalk',
  'wecom',
  'smn',
  'pagerduty',
] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/**
 * What a notification is about, the one list every part keys on (routes' `events` filters, silences,
 * channels, the generic webhook's `type` `dms.task.<kind>`):
 * - `failed`: the task reached a configured failure status (FAILED, DELETED, optionally CANCELLED), or a
 *   task announced as stuck ended in any status but SUCCESS or vanished (status `VANISHED`);
 * - `stuck`: the task is still in a stuck status `stuckAfterMinutes` after creation (once);
 * - `reminder`: a task announced as stuck is still stuck, every `repeatAfterMinutes`, at most `maxReminders`;
 * - `recovered`: a task announced as stuck finished with SUCCESS (a stuck task that fails gets `failed`).
 */
export const EVENT_KINDS = ['failed', 'stuck', 'reminder', 'recovered'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Include/exclude filters; patterns are globs (`*` = any run of characters), matched case-sensitively. */
export interface Filter {
  /** Task names: empty include = every task. */
  readonly tasksInclude: readonly string[];
  readonly tasksExclude: readonly string[];
  /** Instances, matched against the id or the friendly name: empty include = every instance. */
  readonly instancesInclude: readonly string[];
  readonly instancesExclude: readonly string[];
  /** @default ['failed', 'stuck'] */
  readonly events: readonly EventKind[];
}

/** PagerDuty's severities, from most to least urgent. */
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];

export interface DestinationConfig {
  readonly id: string;
  readonly type: DestinationType;
  /**
   * The URL is a secret for every chat platform and webhook (it embeds the token), so it is always a
   * reference. Absent for `smn` and `pagerduty`, which are reached at `endpoint`.
   */
  readonly url?: SecretRef;
  /**
   * `smn` and `pagerduty`: where the API is (not a secret).
   * @default smn the SDK's endpoint of the topic's region (`https://smn.{region}.myhuaweicloud.com`,
   * `.cn`/`.eu` where `SmnRegion.ts` says), pagerduty `https://events.pagerduty.com`
   */
  readonly endpoint?: string;
  /** `smn`: the topic, `urn:smn:{region}:{project_id}:{name}`. */
  readonly topicUrn?: string;
  /** `pagerduty`: the severity sent per event. @default failed error, stuck and reminder warning, recovered info */
  readonly severity?: Readonly<Record<EventKind, PagerDutySeverity>>;
  /**
   * `webhook`: Standard Webhooks secrets (`whsec_...`, several for rotation); `feishu`/`dingtalk`: the signing
   * secret; `pagerduty`: the routing key (integration key).
   */
  readonly secrets: readonly SecretRef[];
  /**
   * Messages per minute to this destination.
   * @default per type (slack 60, feishu 100, dingtalk 20, wecom 20, teams 60, webhook 600)
   */
  readonly ratePerMinute: number;
  /** Largest request body in bytes. @default per type (see README) */
  readonly maxBodyBytes: number;
  /** Timeout of one POST. @default 10000 */
  readonly timeoutMs: number;
}

export interface RouteConfig {
  readonly name: string;
  readonly destinations: readonly string[];
  readonly filter: Filter;
  /** Recurring windows in which this route's notifications are held (delivered when they end). @default none */
  readonly quietHours: readonly QuietWindow[];
}

/** A stuck threshold for the task names matching `pattern` (a glob). */
export interface StuckThreshold {
  readonly pattern: string;
  readonly minutes: number;
}

/** `notify.store`: the same shape `createStore` builds from (the Redis password and CA still references). */
export type StoreConfig = StoreSpec;

/** The validated `notify` section. Secrets are still references; see `resolveDestinations`. */
export interface NotifyConfig {
  readonly destinations: ReadonlyMap<string, DestinationConfig>;
  readonly routes: ReadonlyMap<string, RouteConfig>;
  /** Routes used by instances that name none (and by discovered instances). @default every route */
  readonly defaultRoutes: readonly string[];
  /** Filter applied before routing. @default everything passes */
  readonly filter: Filter;
  /**
   * Statuses that count as a failure. `DELETED` by default: Huawei's Terraform provider ends its waits
   * as failed on `FAILED` or `DELETED` (services/kafka/common.go). @default ['FAILED', 'DELETED']
   */
  readonly statuses: readonly string[];
  /** Default stuck threshold, for task names no `stuckAfterByTask` glob matches. @default 120 */
  readonly stuckAfterMinutes: number;
  /** Per task-name glob thresholds; the longest matching glob wins. @default none */
  readonly stuckAfterByTask: readonly StuckThreshold[];
  /** Minutes between reminders of a task still stuck. @default 240 */
  readonly repeatAfterMinutes: number;
  /** Reminders per stuck task at most; 0 turns them off. @default 3 */
  readonly maxReminders: number;
  /** Statuses that can be stuck. @default ['CREATED', 'EXECUTING'] */
  readonly stuckStatuses: readonly string[];
  /** Silences from the configuration (the operator API adds its own in the state store). @default none */
  readonly silences: readonly Silence[];
  /** @default 24 */
  readonly lookbackHours: number;
  /** Longest catch-up window after an outage, from the last successful scan. @default 168 (7 days) */
  readonly maxCatchUpHours: number;
  /** Record what the first scan of an instance finds without sending it. @default true */
  readonly baseline: boolean;
  /**
   * In a baseline scan, failures and stuck tasks newer than this are still announced (with the ids
   * they would always have had): a first scan after the store was lost, or a new deployment, misses
   * nothing recent. 0 announces nothing in a baseline. @default 60
   */
  readonly baselineGraceMinutes: number;
  /** A notification still undelivered after this long is dead. @default 24 */
  readonly maxAgeHours: number;
  /** Instances scanned at once. @default 16 */
  readonly concurrency: number;
  /** Failures shown in one grouped chat message before "and N more". @default 20 */
  readonly maxGroupItems: number;
  /**
   * File, DynamoDB or Redis.
   * @default file `.state/notify-state.json`, or DynamoDB table `$NOTIFY_TABLE` when that is set
   */
  readonly store: StoreConfig;
  /** Local development only: allow `http:` and loopback/private hosts. @default false */
  readonly allowInsecureWebhooks: boolean;
}

/** A destination whose references were resolved (cold start). Never log one. */
export interface ResolvedDestination extends Omit<DestinationConfig, 'url' | 'secrets'> {
  readonly url: URL;
  readonly secrets: readonly string[];
}

/** A watched instance with everything a notification needs. */
export interface InstanceTarget {
  readonly projectId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly name: string;
  readonly engine: string;
  readonly routes: readonly string[];
}

/** The task facts copied into a notification (params left out: they can be large and hold internal data). */
export interface TaskSnapshot {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly user_name: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One event for one destination: what the outbox holds and the channels render. */
export interface Notification {
  /** The Standard Webhooks `webhook-id`: stable per (task, event, destination). */
  readonly id: string;
  readonly destinationId: string;
  readonly event: EventKind;
  readonly projectId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly instanceName: string;
  readonly engine: string;
  readonly task: TaskSnapshot;
  /** ISO time the event was detected. */
  readonly detectedAt: string;
  /** For `stuck` and `reminder`: minutes since the task was created, at detection. */
  readonly stuckMinutes?: number;
  /** For `reminder`: which one (1 = the first), and the most there will be. */
  readonly reminder?: number;
  readonly maxReminders?: number;
  /** For `recovered`: minutes from creation to the task's last update (how long it ran). */
  readonly ranMinutes?: number;
  /** Routes that led to this destination (their quiet hours apply); absent in items queued before routes were kept. */
  readonly routes?: readonly string[];
  /** ISO time the quiet hours that held it ended (it is delivered after them, `detectedAt` unchanged). */
  readonly heldUntil?: string;
  /**
   * A test notification (`POST /ops/v1/destinations/{id}/test`), about no real task: every channel marks
   * it as a test (webhook type `dms.task.test`, chat and SMN titles, PagerDuty summary and severity `info`).
   */
  readonly test?: true;
}
