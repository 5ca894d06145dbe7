import { backoff } from '../core/backoff';
import type { StateStore, Versioned } from '../state/types';
import { CHANNELS } from './channels';
import { DELIVERY, DESTINATION_DEFAULTS } from './constants';
import { mapLimit } from '../core/mapLimit';
import { postMessage } from './post';
import type { Resolver } from './urlPolicy';
import { RateLimiter } from './rateLimiter';
import { keys, type OutboxRecord } from './records';
import type { NotifyConfig, ResolvedDestination } from './types';

const HOUR = 3600_000;

export type LogFn = (entry: Record<string, unknown>) => void;

export interface DeliverContext {
  readonly config: NotifyConfig;
  readonly store: StateStore;
  readonly destinations: ReadonlyMap<string, ResolvedDestination>;
  /** Business clock (epoch ms): ages, leases, backoff times. */
  readonly now: () => number;
  /** Waits (backoff, rate limits); tests inject one that advances their clock. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Real time left in the invocation. */
  readonly remainingMs: () => number;
  readonly random: () => number;
  readonly runId: string;
  readonly log: LogFn;
  readonly fetch?: typeof fetch;
  /** DNS for the public-address check before each POST (tests inject one). @default the system resolver */
  readonly resolve?: Resolver;
}

export interface DeliverResult {
  /** Notifications accepted by their destination. */
  sent: number;
  /** HTTP messages accepted (a grouped message carries several notifications). */
  messages: number;
  /** POSTs that repeated an earlier failed attempt. */
  retried: number;
  /** Notifications this run left waiting for a later run. */
  pending: number;
  /** Notifications given up (max age reached or a permanent error). */
  dead: number;
  /** Claims lost to another run after the lease ran out (never expected; logged). */
  leaseLost: number;
}

interface Claimed {
  key: string;
  version: number;
  record: OutboxRecord;
}

/**
 * Delivers what the outbox holds: claim (conditional write with a lease), group per (destination,
 * instance) for chat platforms, send within rate limits and the invocation's time, then record the
 * result — `delivered` only after the destination accepted it.
 */
export async function deliverOutbox(ctx: DeliverContext): Promise<DeliverResult> {
  const { store, config } = ctx;
  const result: DeliverResult = { sent: 0, messages: 0, retried: 0, pending: 0, dead: 0, leaseLost: 0 };
  const maxAgeMs = config.maxAgeHours * HOUR;
  const expiresFor = (r: OutboxRecord): number => r.createdAt + maxAgeMs + DELIVERY.keepDoneMs;

  const finish = async (c: Claimed, state: 'delivered' | 'dead', extra: Partial<OutboxRecord>): Promise<void> => {
    const next: OutboxRecord = { ...c.record, ...extra, state, doneAt: ctx.now() };
    delete (next as { claimedBy?: string }).claimedBy;
    delete (next as { claimedUntil?: number }).claimedUntil;
    delete (next as { nextAttemptAt?: number }).nextAttemptAt;
    if (!(await store.update(c.key, c.version, next, { expiresAt: ctx.now() + DELIVERY.keepDoneMs }))) {
      result.leaseLost++;
      ctx.log({ level: 'warn', msg: 'outbox claim lost before recording', id: c.record.notification.id, state });
    }
  };
  const die = async (c: Claimed, reason: string, attempts: number): Promise<void> => {
    const n = c.record.notification;
    await finish(c, 'dead', { lastError: reason, attempts });
    result.dead++;
    ctx.log({ level: 'error', msg: 'notification dead', id: n.id, destination: n.destinationId, event: n.event, instance: n.instanceId, task: n.task.id, attempts, reason });
  };
  /** Back to pending, due at `at`; `attempts` as given. Dead instead once past max age. */
  const later = async (c: Claimed, at: number, attempts: number, reason?: string): Promise<void> => {
    if (ctx.now() >= c.record.createdAt + maxAgeMs) return die(c, `max age reached (${reason ?? 'not delivered'})`, attempts);
    const due = Math.min(at, c.record.createdAt + maxAgeMs);
    const next: OutboxRecord = { ...c.record, state: 'pending', attempts, nextAttemptAt: due, ...(reason ? { lastError: reason } : {}) };
    delete (next as { claimedBy?: string }).claimedBy;
    delete (next as { claimedUntil?: number }).claimedUntil;
    if (await store.update(c.key, c.version, next, { due, expiresAt: expiresFor(c.record) })) result.pending++;
    else result.leaseLost++;
  };

  // 1. Claim every due item (conditional on the version just read: two runs never both win).
  const due = await store.listDue(ctx.now(), DELIVERY.maxItemsPerRun);
  const claimed: Claimed[] = [];
  await mapLimit(due, 8, async (listed) => {
    if (ctx.remainingMs() < DELIVERY.reserveMs) {
      result.pending++; // out of time: still due, the next run takes it
      return;
    }
    const fresh: Versioned | undefined = await store.get(listed.key);
    const now = ctx.now();
    if (!fresh || fresh.due === undefined || fresh.due > now) return;
    const record = fresh.value as OutboxRecord;
    if (record.state !== 'pending') return;
    if (!ctx.destinations.has(record.notification.destinationId)) {
      const c = { key: fresh.key, version: fresh.version, record };
      return die(c, 'destination no longer configured', record.attempts);
    }
    const leaseUntil = now + Math.min(ctx.remainingMs(), 15 * 60_000) + 60_000;
    const claim: OutboxRecord = { ...record, claimedBy: ctx.runId, claimedUntil: leaseUntil };
    if (await store.update(fresh.key, fresh.version, claim, { due: leaseUntil, expiresAt: expiresFor(record) })) {
      const c = { key: fresh.key, version: fresh.version + 1, record: claim };
      if (now >= record.createdAt + maxAgeMs) await die(c, `max age reached (${record.lastError ?? 'not delivered'})`, record.attempts);
      else claimed.push(c);
    }
  });
  if (claimed.length === 0) return result;

  // 2. Group: per destination; chat platforms further per instance, one message each.
  const byDest = new Map<string, Claimed[][]>();
  const sorted = [...claimed].sort((a, b) => a.record.createdAt - b.record.createdAt || a.record.notification.task.created_at.localeCompare(b.record.notification.task.created_at));
  for (const c of sorted) {
    const n = c.record.notification;
    const dest = ctx.destinations.get(n.destinationId);
    if (!dest) continue;
    const groups = byDest.get(dest.id) ?? [];
    byDest.set(dest.id, groups);
    const g = CHANNELS[dest.type].groups ? groups.find((x) => x[0]?.record.notification.projectId === n.projectId && x[0]?.record.notification.instanceId === n.instanceId) : undefined;
    if (g) g.push(c);
    else groups.push([c]);
  }
  const rateRecords = await store.getMany([...byDest.keys()].map((d) => keys.rate(d)));

  // 3. Send, destinations in parallel, each destination's messages in order under its rate limit. A
  // failure (of the store) ends that destination's part only: the run must not end while another one
  // is still sending, and what the others did is counted. Claims it left unrecorded are taken again
  // once their lease runs out.
  await Promise.all(
    [...byDest].map(([destId, groups]) => (async () => {
      const dest = ctx.destinations.get(destId) as ResolvedDestination;
      const channel = CHANNELS[dest.type];
      const saved = rateRecords.get(keys.rate(destId))?.value.sent;
      const limiter = new RateLimiter(dest.ratePerMinute, DESTINATION_DEFAULTS[dest.type].spacingMs, Array.isArray(saved) ? saved.filter((t): t is number => typeof t === 'number') : []);
      const enough = (extraMs: number): boolean => ctx.remainingMs() - extraMs > dest.timeoutMs + DELIVERY.reserveMs;
      for (const group of groups) {
        const prevAttempts = Math.max(...group.map((c) => c.record.attempts));
        let attempts = 0;
        let wait = limiter.waitMs(ctx.now());
        for (;;) {
          if (wait > 0) {
            if (wait > DELIVERY.maxInRunWaitMs || !enough(wait)) {
              // Rate limit or time: leave it for a later run, not counted as a failed attempt.
              await Promise.all(group.map((c) => later(c, ctx.now() + wait, c.record.attempts + attempts, attempts > 0 ? 'deferred after failure' : undefined)));
              break;
            }
            await ctx.sleep(wait);
          }
          if (!enough(0)) {
            await Promise.all(group.map((c) => later(c, ctx.now(), c.record.attempts + attempts)));
            break;
          }
          const sentAt = ctx.now();
          // Signatures and their timestamps use the wall clock: receivers check them against theirs.
          const req = channel.build(dest, group.map((c) => c.record.notification), { now: new Date(Date.now()), maxItems: config.maxGroupItems });
          limiter.record(sentAt);
          attempts++;
          if (attempts > 1 || prevAttempts > 0) result.retried++;
          const outcome = await postMessage(channel, req, { timeoutMs: dest.timeoutMs, now: ctx.now, publicOnly: !ctx.config.allowInsecureWebhooks, ...(ctx.fetch ? { fetch: ctx.fetch } : {}), ...(ctx.resolve ? { resolve: ctx.resolve } : {}) });
          if (outcome.kind === 'delivered') {
            await Promise.all(group.map((c) => finish(c, 'delivered', { attempts: c.record.attempts + attempts })));
            result.sent += group.length;
            result.messages++;
            break;
          }
          if (outcome.kind === 'permanent') {
            await Promise.all(group.map((c) => die(c, outcome.reason, c.record.attempts + attempts)));
            break;
          }
          const delay = outcome.retryAfterMs ?? backoff(attempts, DELIVERY.baseDelayMs, DELIVERY.maxDelayMs, ctx.random);
          ctx.log({ level: 'warn', msg: 'delivery failed, will retry', destination: destId, items: group.length, attempt: prevAttempts + attempts, reason: outcome.reason, retryInMs: delay });
          if (attempts < DELIVERY.inRunAttempts && delay <= DELIVERY.maxInRunWaitMs && enough(delay)) {
            wait = Math.max(delay, limiter.waitMs(ctx.now()));
            continue;
          }
          const total = prevAttempts + attempts;
          const between = Math.max(outcome.retryAfterMs ?? 0, backoff(total, DELIVERY.baseDelayMs, DELIVERY.maxNextAttemptMs, ctx.random));
          await Promise.all(group.map((c) => later(c, ctx.now() + between, c.record.attempts + attempts, outcome.reason)));
          break;
        }
      }
      const now = ctx.now();
      await store.put(keys.rate(destId), { sent: limiter.recent(now) }, { expiresAt: now + 120_000 });
    })().catch((e: unknown) => ctx.log({ level: 'error', msg: 'delivery to destination failed', destination: destId, error: e instanceof Error ? e.name : 'error' }))),
  );
  return result;
}
