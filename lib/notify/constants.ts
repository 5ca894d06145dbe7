import { sdkEndpoint } from '../core/sdkEndpoint';
import type { DestinationType } from './types';

/**
 * The SMN and PagerDuty endpoints when none is configured. SMN's as Huawei's SDK region table
 * (`SmnRegion.ts`) gives it: `.cn` in `cn-north-2`, `.eu` in `eu-west-101`, else `.com`.
 */
export const API_ENDPOINTS = {
  smn: (region: string) => sdkEndpoint('smn', region),
  pagerduty: 'https://events.pagerduty.com',
} as const;

/** PagerDuty severity per event when none is configured. */
export const PAGERDUTY_DEFAULT_SEVERITY = {
  failed: 'error',
  stuck: 'warning',
  reminder: 'warning',
  recovered: 'info',
} as const;

/**
 * Per-type limits from the platforms' own documentation (Slack, Teams, Feishu, DingTalk, WeCom).
 * `spacingMs` is the least gap between two messages, for platforms with a per-second limit (Slack
 * about 1/s, Feishu 5/s); the others only get the per-minute window, so a burst of failures to a
 * generic webhook is not slowed.
 */
export const DESTINATION_DEFAULTS = {
  webhook: { ratePerMinute: 600, spacingMs: 0, maxBodyBytes: 64 * 1024 },
  slack: { ratePerMinute: 60, spacingMs: 1000, maxBodyBytes: 32 * 1024 },
  teams: { ratePerMinute: 60, spacingMs: 1000, maxBodyBytes: 24 * 1024 },
  feishu: { ratePerMinute: 100, spacingMs: 200, maxBodyBytes: 20 * 1024 },
  dingtalk: { ratePerMinute: 20, spacingMs: 0, maxBodyBytes: 20 * 1024 },
  wecom: { ratePerMinute: 20, spacingMs: 0, maxBodyBytes: 4096 },
  // SMN: over 1,000 e-mail/SMS messages in 10 minutes per account may be lost; a message is at most 256 KB.
  smn: { ratePerMinute: 60, spacingMs: 0, maxBodyBytes: 64 * 1024 },
  // PagerDuty Events API v2: one event per notification; 429 when throttled (its limit is not published here).
  pagerduty: { ratePerMinute: 120, spacingMs: 0, maxBodyBytes: 512 * 1024 },
} as const satisfies Record<DestinationType, { ratePerMinute: number; spacingMs: number; maxBodyBytes: number }>;

export const NOTIFY_DEFAULTS = {
  statuses: ['FAILED', 'DELETED'],
  stuckStatuses: ['CREATED', 'EXECUTING'],
  stuckAfterMinutes: 120,
  repeatAfterMinutes: 240,
  maxReminders: 3,
  lookbackHours: 24,
  maxCatchUpHours: 168,
  baseline: true,
  baselineGraceMinutes: 60,
  maxAgeHours: 24,
  concurrency: 16,
  maxGroupItems: 20,
  postTimeoutMs: 10_000,
} as const;

/** Delivery retry: in-run attempts per group, backoff base/cap, and the cap of the wait between runs. */
export const DELIVERY = {
  inRunAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  /** Cap of the delay before a later run retries. */
  maxNextAttemptMs: 30 * 60_000,
  /**
   * Consecutive failed POSTs after which a destination is down for the rest of the run: its other
   * items are deferred without a POST (and without an attempt counted against them).
   */
  downAfterFailures: 3,
  /** A `Retry-After` longer than this is not waited for in-run; the item waits for a later run. */
  maxInRunWaitMs: 15_000,
  /** Keep delivered and dead outbox items (and their webhook-ids) this long. */
  keepDoneMs: 7 * 24 * 3600_000,
  /** Outbox items fetched per run. */
  maxItemsPerRun: 1000,
  /** Stop starting new work when less than this is left of the invocation. */
  reserveMs: 3000,
} as const;

/** Standard Webhooks wire names. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export const USER_AGENT = 'dms-task-functions-notifier/0.1';
