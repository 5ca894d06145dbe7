import { backoff } from '../../core/backoff';
import type { Versioned } from '../../state/types';
import { CHANNELS } from '../channels';
import type { Outcome, PendingCount } from '../channels/types';
import { DELIVERY, DESTINATION_DEFAULTS } from '../constants';
import type { Claimed, DeliverContext, DeliverResult } from './deliveryContext';
import { DestinationHealth } from './destinationHealth';
import { maxAgeOf, settleDead, settleDelivered, settleRetry } from './outbox';
import { postMessage } from './post';
import { RateLimiter } from './rateLimiter';
import { keys, rateOf } from '../records';
import { taskKey } from './listBacklog';
import { settleAll } from './settle';
import type { Notification, ResolvedDestination } from '../types';

/** How long a destination's saved send times are kept for the next run's rate limiter. */
const RATE_RECORD_MS = 120_000;

/** One destination being sent to: its settings, and its rate limiter and health for this run. */
interface Sending {
  readonly dest: ResolvedDestination;
  readonly limiter: RateLimiter;
  readonly health: DestinationHealth;
  readonly pendingFor: DestinationWork['pendingFor'];
  /**
   * Tasks (`taskKey`) with an event sent back to pending in this run: their later events wait too,
   * so a task's events reach the destination in order.
   */
  readonly waiting: Set<string>;
}

/** A destination's work in this run: its due messages, then (once it accepted one) its catch-up. */
export interface DestinationWork {
  /** The claimed due items as messages, oldest first. */
  readonly groups: readonly (readonly Claimed[])[];
  /** Claims its items still backing off, as messages; called once, only if it accepted a message. */
  readonly catchUp: () => Promise<readonly (readonly Claimed[])[]>;
  /** Pending notifications of the item's destination and instance (a grouped message states them). */
  readonly pendingFor: (n: Notification) => PendingCount;
}

/** POSTs of one group so far: before this run (`before`) and in it (`inRun`). */
interface Attempts {
  readonly before: number;
  readonly inRun: number;
}

/**
 * Sends one destination's messages in order under its rate limit (seeded from `rateRecord`, the send
 * times an earlier run saved, and saved again at the end). Once it accepted a message and its due
 * messages are done, its backlog still backing off goes out too (`work.catchUp`), within the same rate
 * limit and time. After `DELIVERY.downAfterFailures` failed POSTs in a row it is down: the rest of its
 * messages are deferred without a POST. A failing store write ends this destination only; the caller
 * isolates it.
 */
export async function sendToDestination(
  ctx: DeliverContext,
  dest: ResolvedDestination,
  work: DestinationWork,
  rateRecord: Versioned | undefined,
  result: DeliverResult,
): Promise<void> {
  const { sent } = rateOf(rateRecord);
  const limiter = new RateLimiter(dest.ratePerMinute, DESTINATION_DEFAULTS[dest.type].spacingMs, sent);
  const health = new DestinationHealth(DELIVERY.downAfterFailures);
  const s: Sending = { dest, limiter, health, pendingFor: work.pendingFor, waiting: new Set() };
  await sendGroups(ctx, s, work.groups, result);
  if (s.health.healthy && ctx.budget.fitsPost(dest.timeoutMs)) await sendGroups(ctx, s, await work.catchUp(), result);
  const now = ctx.now();
  // A destination that asked to wait (Retry-After) is not probed again before then.
  const asked = health.retryInMs > 0 ? { notBefore: now + health.retryInMs } : {};
  await ctx.store.put(keys.rate(dest.id), { sent: limiter.recent(now), ...asked }, { expiresAt: now + RATE_RECORD_MS });
}

/** The messages in order; once the destination is down, each remaining one is deferred instead. */
async function sendGroups(
  ctx: DeliverContext,
  s: Sending,
  groups: readonly (readonly Claimed[])[],
  result: DeliverResult,
): Promise<void> {
  let deferred = 0;
  for (const group of groups) {
    if (group.some((c) => s.waiting.has(taskKey(c.record.notification)))) {
      // An earlier event of one of its tasks went back to pending: this one follows it next time.
      await retryLater(ctx, s, group, 0, 0, undefined, result);
      continue;
    }
    if (!s.health.down) {
      await sendGroup(ctx, s, group, result);
      continue;
    }
    const asked = s.health.retryInMs > 0 ? { notBeforeMs: s.health.retryInMs } : {};
    await retryLater(ctx, s, group, s.health.retryInMs, 0, undefined, result, asked);
    deferred += group.length;
  }
  if (deferred === 0) return;
  const retryInMs = s.health.retryInMs;
  ctx.log({ level: 'warn', msg: 'destination down for this run', destination: s.dest.id, deferred, retryInMs });
}

/** One message: waits its turn, POSTs, and retries in-run while that is short and fits; else settles. */
async function sendGroup(
  ctx: DeliverContext,
  s: Sending,
  group: readonly Claimed[],
  result: DeliverResult,
): Promise<void> {
  const before = Math.max(...group.map((c) => c.record.attempts));
  let inRun = 0;
  let wait = s.limiter.waitMs(ctx.now());
  for (;;) {
    if (!(await waitTurn(ctx, s, group, wait, inRun, result))) return;
    inRun++;
    if (inRun > 1 || before > 0) result.retried++;
    const outcome = await post(ctx, s, group);
    s.health.record(outcome.kind);
    const again = await afterOutcome(ctx, s, group, outcome, { before, inRun }, result);
    if (again === undefined) return;
    wait = again;
  }
}

/**
 * Waits `waitMs` (rate limit or retry delay) when the run can afford it, and says whether the group
 * may be sent now. Otherwise the group goes back to pending for a later run, not counted as a failed
 * attempt.
 */
async function waitTurn(
  ctx: DeliverContext,
  s: Sending,
  group: readonly Claimed[],
  waitMs: number,
  inRun: number,
  result: DeliverResult,
): Promise<boolean> {
  if (waitMs > 0) {
    if (waitMs > DELIVERY.maxInRunWaitMs || !ctx.budget.fitsPost(s.dest.timeoutMs, waitMs)) {
      const reason = inRun > 0 ? 'deferred after failure' : undefined;
      await retryLater(ctx, s, group, waitMs, inRun, reason, result);
      return false;
    }
    await ctx.sleep(waitMs);
  }
  if (ctx.budget.fitsPost(s.dest.timeoutMs)) return true;
  await retryLater(ctx, s, group, 0, inRun, undefined, result);
  return false;
}

/** Builds the group's message (signed on the wall clock, which receivers check against theirs) and POSTs it. */
async function post(ctx: DeliverContext, s: Sending, group: readonly Claimed[]): Promise<Outcome> {
  const channel = CHANNELS[s.dest.type];
  const sentAt = ctx.now();
  const items = group.map((c) => c.record.notification);
  const first = items[0];
  const pending = first && channel.groups ? { pending: s.pendingFor(first) } : {};
  const req = channel.build(s.dest, items, {
    now: new Date(Date.now()),
    maxItems: ctx.config.maxGroupItems,
    ...pending,
    ...(ctx.credentials ? { credentials: ctx.credentials } : {}),
  });
  s.limiter.record(sentAt);
  return postMessage(channel, req, {
    timeoutMs: s.dest.timeoutMs,
    now: ctx.now,
    publicOnly: !ctx.config.allowInsecureWebhooks,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.resolve ? { resolve: ctx.resolve } : {}),
  });
}

/**
 * Settles the group after a POST: delivered, dead on a permanent error, else a retry. Returns the wait
 * before an in-run retry (few attempts so far, a short delay that fits the time left), or `undefined`
 * once the group is settled, a failed one back to pending with backoff for a later run.
 */
async function afterOutcome(
  ctx: DeliverContext,
  s: Sending,
  group: readonly Claimed[],
  outcome: Outcome,
  n: Attempts,
  result: DeliverResult,
): Promise<number | undefined> {
  if (outcome.kind === 'delivered') {
    const delivered = (c: Claimed) => settleDelivered(c.record, c.record.attempts + n.inRun, ctx.now());
    await settleAll(ctx, group, delivered, result);
    result.sent += group.length;
    result.messages++;
    return undefined;
  }
  if (outcome.kind === 'permanent') {
    const dead = (c: Claimed) => settleDead(c.record, outcome.reason, c.record.attempts + n.inRun, ctx.now());
    await settleAll(ctx, group, dead, result);
    return undefined;
  }
  const delay = outcome.retryAfterMs ?? backoff(n.inRun, DELIVERY.baseDelayMs, DELIVERY.maxDelayMs, ctx.random);
  const attempt = n.before + n.inRun;
  const { reason } = outcome;
  const items = group.length;
  const destination = s.dest.id;
  ctx.log({ level: 'warn', msg: 'delivery failed, will retry', destination, items, attempt, reason, retryInMs: delay });
  const inRun = n.inRun < DELIVERY.inRunAttempts && delay <= DELIVERY.maxInRunWaitMs && !s.health.down;
  if (inRun && ctx.budget.fitsPost(s.dest.timeoutMs, delay)) return Math.max(delay, s.limiter.waitMs(ctx.now()));
  const between = Math.max(
    outcome.retryAfterMs ?? 0,
    backoff(attempt, DELIVERY.baseDelayMs, DELIVERY.maxNextAttemptMs, ctx.random),
  );
  // Once it is down the others wait only for what it asked (Retry-After): the next run probes it again.
  if (outcome.retryAfterMs !== undefined) s.health.retryIn(outcome.retryAfterMs);
  const asked = outcome.retryAfterMs !== undefined ? { notBeforeMs: outcome.retryAfterMs } : {};
  await retryLater(ctx, s, group, between, n.inRun, reason, result, asked);
  return undefined;
}

/**
 * The group back to pending, due `inMs` from now (each item dead instead if past its max age); with
 * `asked.notBeforeMs` (the destination's `Retry-After`), not probed early before then either. Its
 * tasks' later events in this run wait with it.
 */
async function retryLater(
  ctx: DeliverContext,
  s: Sending,
  group: readonly Claimed[],
  inMs: number,
  inRun: number,
  reason: string | undefined,
  result: DeliverResult,
  asked: { notBeforeMs?: number } = {},
): Promise<void> {
  for (const c of group) s.waiting.add(taskKey(c.record.notification));
  const now = ctx.now();
  const maxAgeMs = maxAgeOf(ctx.config);
  const notBefore = asked.notBeforeMs !== undefined ? { notBefore: now + asked.notBeforeMs } : {};
  const retry = (c: Claimed) =>
    settleRetry(c.record, { at: now + inMs, attempts: c.record.attempts + inRun, reason, ...notBefore }, now, maxAgeMs);
  await settleAll(ctx, group, retry, result);
}
