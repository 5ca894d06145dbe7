import { createHash } from 'node:crypto';
import type { Credentials } from '../signing/credentials';
import { RequestBudget, type RequestBudgetOptions, type RequestBudgetStats } from './requestBudget';

/**
 * The key of one account's budget in one region: a hash of the access key and the region, so the
 * key itself may be logged or shown without revealing the access key.
 */
export function budgetKey(accessKeyId: string, region: string): string {
  return createHash('sha256').update(`${accessKeyId}\n${region}`).digest('hex').slice(0, 16);
}

/**
 * The request budgets of one process (one cold start): one {@link RequestBudget} per access key and
 * region, so that every client of the same account and region (several projects, discovery, the
 * scan, `all=true` walks) draws from one bucket.
 *
 * @example
 * const budgets = new RequestBudgets({ requestsPerSecond: config.requestsPerSecond });
 * const client = new DmsClient({ projectId, region, credentials, budget: budgets.for(credentials, region) });
 */
export class RequestBudgets {
  readonly #options: RequestBudgetOptions;
  readonly #budgets = new Map<string, RequestBudget>();

  /** `options` apply to every budget made. @default the defaults of {@link RequestBudget} */
  constructor(options: RequestBudgetOptions = {}) {
    this.#options = options;
  }

  /** The budget of `credentials`' access key in `region` (made on first use). */
  for(credentials: Credentials, region: string): RequestBudget {
    const key = budgetKey(credentials.accessKeyId, region);
    let budget = this.#budgets.get(key);
    if (!budget) {
      budget = new RequestBudget(this.#options);
      this.#budgets.set(key, budget);
    }
    return budget;
  }

  /** How many budgets exist (one per account and region used). */
  get size(): number {
    return this.#budgets.size;
  }

  /** The counters of every budget, summed. */
  totals(): RequestBudgetStats {
    let granted = 0;
    let throttled = 0;
    let waitedMs = 0;
    for (const b of this.#budgets.values()) {
      const s = b.stats();
      granted += s.granted;
      throttled += s.throttled;
      waitedMs += s.waitedMs;
    }
    return { granted, throttled, waitedMs };
  }
}
