import { formatDmsTime } from '../../notify/scan/listInstance';
import { iterateTaskPages } from '../../dms/paginate';
import type { DmsTaskClient } from '../../dms/taskClient';
import type { DmsTask } from '../../dms/types';
import { DEFAULT_LIVE_CACHE_MS, DEFAULT_LIVE_MAX_PAGES } from './constants';

const WEEK_MS = 7 * 24 * 3_600_000;

/** One instance's tasks of the last 7 days, as listed live (or from the cache). */
export interface LiveListing {
  readonly tasks: readonly DmsTask[];
  /** The page bound cut the walk: more tasks may exist. */
  readonly truncated: boolean;
  /** When the listing was made (epoch ms). */
  readonly listedAt: number;
}

export interface LiveTasksOptions {
  /** How long a listing is reused. @default DEFAULT_LIVE_CACHE_MS (30 s) */
  readonly cacheMs?: number;
  /** Pages per instance (of the client's page size). @default DEFAULT_LIVE_MAX_PAGES (2) */
  readonly maxPages?: number;
  /** Largest number of instances kept. @default 5000 */
  readonly maxEntries?: number;
}

/**
 * Live `list` calls for the instances a page view shows, each kept for a short while: a refresh
 * every 30 s by several people costs one listing per visible instance per 30 s, and every call
 * waits for the shared request budget of its client (`requestsPerSecond`).
 */
export class LiveTasks {
  readonly #cache = new Map<string, LiveListing>();
  readonly #cacheMs: number;
  readonly #maxPages: number;
  readonly #maxEntries: number;
  constructor(options: LiveTasksOptions = {}) {
    this.#cacheMs = options.cacheMs ?? DEFAULT_LIVE_CACHE_MS;
    this.#maxPages = options.maxPages ?? DEFAULT_LIVE_MAX_PAGES;
    this.#maxEntries = options.maxEntries ?? 5000;
  }

  /** The cached listing when fresh at `now`. */
  cached(projectId: string, instanceId: string, now: number): LiveListing | undefined {
    const hit = this.#cache.get(`${projectId}#${instanceId}`);
    return hit && now - hit.listedAt < this.#cacheMs ? hit : undefined;
  }

  /** Lists the last 7 days of an instance; resolves the listing and the upstream calls it made. */
  async list(client: DmsTaskClient, instanceId: string, now: number): Promise<{ listing: LiveListing; calls: number }> {
    const tasks: DmsTask[] = [];
    const pages = iterateTaskPages(client, {
      instanceId,
      beginTime: formatDmsTime(now - WEEK_MS),
      maxPages: this.#maxPages,
    });
    let step = await pages.next();
    while (!step.done) {
      tasks.push(...step.value.tasks);
      step = await pages.next();
    }
    const listing: LiveListing = { tasks, truncated: step.value.truncated, listedAt: now };
    const key = `${client.projectId}#${instanceId}`;
    this.#cache.delete(key);
    this.#cache.set(key, listing);
    // Oldest first in insertion order: drop those beyond the bound.
    for (const k of this.#cache.keys()) {
      if (this.#cache.size <= this.#maxEntries) break;
      this.#cache.delete(k);
    }
    return { listing, calls: step.value.pages };
  }
}
