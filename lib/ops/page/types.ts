import type { Silence } from './silences';

/** A running task as the page shows it. */
export interface RunningTask {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly createdAt: string;
  /** Minutes since creation, at the page's time. */
  readonly runningMinutes: number;
  /** The notifier's stuck threshold for this task name (`stuckAfterMinutes`, `stuckAfterByTask`). */
  readonly stuckAfterMinutes: number;
  /**
   * Present when the task is stuck (a stuck status, at or past its threshold): minutes past the
   * threshold. Computed from the live listing, so a task already stuck at the first (baseline) scan,
   * which the notifier records without announcing, shows as stuck too.
   */
  readonly stuckOverMinutes?: number;
}

/** A failed task, for the list of recent failures. */
export interface FailedTask {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly createdAt: string;
}

/**
 * Notifications of an instance's listed tasks (7 days), by outbox state: every notice of every task the
 * notifier could have announced (failures, stuck tasks with their reminders, recoveries), so they match
 * the history's items for those tasks.
 */
export interface NotificationCounts {
  readonly pending: number;
  readonly delivered: number;
  readonly dead: number;
  readonly silenced: number;
}

/** One watched instance on the visible page. */
export interface InstanceView {
  readonly projectId: string;
  readonly region: string;
  readonly engine: string;
  readonly instanceId: string;
  readonly name: string;
  /** When the notifier's last successful scan started (its cursor); absent: never scanned. */
  readonly lastScanAt?: string;
  readonly running: readonly RunningTask[];
  /** Running tasks that are stuck (see `RunningTask.stuckOverMinutes`). */
  readonly stuck: number;
  readonly failures24h: number;
  readonly failures7d: number;
  /** The newest failures of the 7-day listing (at most 5). */
  readonly recentFailures: readonly FailedTask[];
  /** Failures of the 7-day listing not in `recentFailures` (the page's "+N more"). */
  readonly moreFailures: number;
  readonly notifications: NotificationCounts;
  /** Ids of the silences in force that match this instance. */
  readonly silenceIds: readonly string[];
  /** True when the 7-day listing was cut by the page bound (the counts are then at least these). */
  readonly truncated: boolean;
  /** Why the live listing failed (error code and class, never an upstream message). */
  readonly liveError?: string;
}

/** Instances of one project, region and engine (a group may appear twice: once among those needing attention). */
export interface InstanceGroup {
  readonly projectId: string;
  readonly region: string;
  readonly engine: string;
  readonly instances: readonly InstanceView[];
}

/** What one page view shows, and what it cost. */
export interface FleetView {
  readonly generatedAt: string;
  readonly query: string;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly totalInstances: number;
  readonly matchingInstances: number;
  readonly groups: readonly InstanceGroup[];
  readonly silences: readonly Silence[];
  /** Notifications waiting for delivery in the whole fleet (the outbox's due index, at most 1,000). */
  readonly pendingFleetWide: number;
  /** The due index held more than was read: `pendingFleetWide` is a lower bound ("1,000+"). */
  readonly pendingFleetWideCut: boolean;
  /** DMS calls this view made (cached listings cost none). */
  readonly upstreamCalls: number;
  /** Visible instances answered from the short cache. */
  readonly cachedInstances: number;
}

/** One notification of a task, from the outbox. */
export interface TaskNotification {
  readonly id: string;
  readonly destination: string;
  readonly event: string;
  readonly state: string;
  readonly attempts: number;
  readonly createdAt?: string;
  readonly doneAt?: string;
  readonly nextAttemptAt?: string;
  /** The receiver's last answer: HTTP status and a short reason. */
  readonly lastError?: string;
  /** The silence that held it back, when silenced. */
  readonly silencedBy?: string;
}

/** The task view. */
export interface TaskView {
  readonly projectId: string;
  readonly instanceId: string;
  readonly instanceName: string;
  readonly task: Readonly<Record<string, string>>;
  /** `params` pretty-printed when it is JSON, else as upstream sent it. */
  readonly params: string;
  readonly notifications: readonly TaskNotification[];
  readonly silenceIds: readonly string[];
  readonly upstreamCalls: number;
}
