import { randomUUID } from 'node:crypto';
import { sleep } from '../core/sleep';
import type { DmsClient } from '../dms/client';
import type { AppConfig } from '../config/types';
import type { StateStore } from '../state/types';
import { DELIVERY } from './constants';
import { deliverOutbox, type LogFn } from './deliver';
import { instancesOf } from './discover';
import { keys, type CursorRecord } from './records';
import { listInstance, recordInstance, writeCursors, type ListedInstance, type ScanContext } from './scan';
import type { InstanceTarget, NotifyConfig, ResolvedDestination } from './types';

export interface RunDependencies {
  readonly app: AppConfig;
  readonly config: NotifyConfig;
  readonly store: StateStore;
  readonly destinations: ReadonlyMap<string, ResolvedDestination>;
  /** A DMS client per configured project id. */
  readonly clientFor: (projectId: string) => DmsClient;
  /** Real time left in the invocation (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
  /** Business clock. @default Date.now */
  readonly now?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** One JSON line per entry. @default console.log / console.error */
  readonly log?: LogFn;
  readonly fetch?: typeof fetch;
  /** Scan phase stops starting instances when less than this is left, to keep time for delivery. @default 40% of the starting remaining time, at least 10 s */
  readonly deliveryReserveMs?: number;
}

/** What every run returns and logs (one line, `msg: "notify run"`). */
export interface RunSummary {
  readonly runId: string;
  readonly trigger: string;
  readonly instancesScanned: number;
  /** Not scanned this run (time ran out); the next run catches up from their cursor. */
  readonly instancesSkipped: number;
  /** Scans that failed (DMS error, timeout); their cursor did not move. */
  readonly instancesFailed: number;
  readonly tasksSeen: number;
  readonly newFailures: number;
  readonly stuck: number;
  readonly baselined: number;
  readonly queued: number;
  readonly sent: number;
  readonly messages: number;
  readonly retried: number;
  readonly pending: number;
  readonly dead: number;
  readonly durationMs: number;
}

export function defaultLog(entry: Record<string, unknown>): void {
  const line = JSON.stringify(entry);
  if (entry.level === 'error' || entry.level === 'warn') console.error(line);
  else console.log(line);
}

function errorName(e: unknown): string {
  if (e instanceof Error) {
    const status = 'status' in e && typeof e.status === 'number' ? ` ${e.status}` : '';
    const code = 'errorCode' in e && typeof e.errorCode === 'string' ? ` ${e.errorCode}` : '';
    return `${e.name}${status}${code}`;
  }
  return 'error';
}

/**
 * One scheduled run: list the watched instances, scan them with bounded concurrency (least recently
 * scanned first, no new scan started once the time left is needed for delivery), then deliver the
 * outbox. Never throws for one instance or one destination; the summary says what happened.
 */
export async function runNotifier(deps: RunDependencies, trigger = 'schedule'): Promise<RunSummary> {
  const started = performance.now();
  const now = deps.now ?? Date.now;
  const log = deps.log ?? defaultLog;
  const runId = randomUUID();
  const { config, store } = deps;
  const deadline = (): number => Date.now() + deps.remainingMs() - DELIVERY.reserveMs;
  const reserve = deps.deliveryReserveMs ?? Math.max(10_000, deps.remainingMs() * 0.4);
  const totals = { instancesScanned: 0, instancesSkipped: 0, instancesFailed: 0, tasksSeen: 0, newFailures: 0, stuck: 0, baselined: 0, queued: 0 };

  // Instances: configured and discovered, per project (a failing discovery only loses that project's discovered part).
  const targets: InstanceTarget[] = [];
  for (const project of deps.app.projects.values()) {
    try {
      targets.push(...(await instancesOf(project, deps.clientFor(project.projectId), { deadline: deadline() })));
    } catch (e) {
      log({ level: 'warn', msg: 'instance discovery failed', project: project.projectId, error: errorName(e) });
      for (const i of project.instances) targets.push({ projectId: project.projectId, region: project.region, instanceId: i.id, name: i.name, engine: i.engine, routes: i.routes });
    }
  }
  // Least recently scanned first, so a run cut short by time never starves the same instances.
  const cursors = await store.getMany(targets.map((t) => keys.cursor(t.projectId, t.instanceId)));
  const lastScan = (t: InstanceTarget): string => (cursors.get(keys.cursor(t.projectId, t.instanceId))?.value as CursorRecord | undefined)?.lastScanAt ?? '';
  const queue = [...targets].sort((a, b) => lastScan(a).localeCompare(lastScan(b)));

  const failed = (target: InstanceTarget, e: unknown): void => {
    totals.instancesFailed++;
    log({ level: 'warn', msg: 'instance scan failed', project: target.projectId, instance: target.instanceId, error: errorName(e) });
  };
  const record = async (ctx: ScanContext, listed: ListedInstance): Promise<void> => {
    try {
      const r = await recordInstance(ctx, listed);
      totals.instancesScanned++;
      totals.tasksSeen += r.tasksSeen;
      totals.newFailures += r.newFailures;
      totals.stuck += r.stuck;
      totals.baselined += r.baselined;
      totals.queued += r.queued;
    } catch (e) {
      failed(listed.target, e);
    }
  };
  const deferredCursors = new Map<string, CursorRecord>();
  const deferCursor = (key: string, value: CursorRecord): void => void deferredCursors.set(key, value);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(config.concurrency, queue.length) }, async () => {
      // Each worker lists one instance at a time (so `concurrency` bounds the DMS requests) and stores
      // what it found while it lists the next one: at most one instance of its own being recorded.
      let recording: Promise<void> = Promise.resolve();
      try {
        for (;;) {
          if (next >= queue.length) return;
          if (deps.remainingMs() < reserve) {
            totals.instancesSkipped += queue.length - next;
            next = queue.length;
            return;
          }
          const target = queue[next++] as InstanceTarget;
          const ctx: ScanContext = { config, store, now, deadline: deadline() - reserve / 2, deferCursor };
          let listed: ListedInstance;
          try {
            listed = await listInstance(ctx, deps.clientFor(target.projectId), target, cursors.get(keys.cursor(target.projectId, target.instanceId)));
          } catch (e) {
            failed(target, e);
            continue;
          }
          await recording;
          recording = record(ctx, listed);
        }
      } finally {
        await recording;
      }
    }),
  );

  try {
    await writeCursors(store, deferredCursors);
  } catch (e) {
    // Not lost: the next run lists from the older cursors and the seen records de-duplicate.
    log({ level: 'warn', msg: 'cursor write failed', cursors: deferredCursors.size, error: errorName(e) });
  }

  let delivery = { sent: 0, messages: 0, retried: 0, pending: 0, dead: 0, leaseLost: 0 };
  try {
    delivery = await deliverOutbox({
      config,
      store,
      destinations: deps.destinations,
      now,
      sleep: deps.sleep ?? sleep,
      remainingMs: deps.remainingMs,
      random: deps.random ?? Math.random,
      runId,
      log,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  } catch (e) {
    log({ level: 'error', msg: 'delivery phase failed', error: errorName(e) });
  }
  const summary: RunSummary = {
    runId,
    trigger,
    ...totals,
    sent: delivery.sent,
    messages: delivery.messages,
    retried: delivery.retried,
    pending: delivery.pending,
    dead: delivery.dead,
    durationMs: Math.round(performance.now() - started),
  };
  log({ level: 'info', msg: 'notify run', ...summary });
  return summary;
}
