import { randomBytes } from 'node:crypto';
import type { StateStore } from '../../state/types';

/**
 * A silence as the page shows it. Until the operator API (issue 11) is on main, the page keeps its
 * own silences in the state store through this seam; the notifier does not read them yet.
 */
export interface Silence {
  readonly [k: string]: unknown;
  readonly id: string;
  /** Instance id or name it applies to (absent: every instance). */
  readonly instance?: string;
  /** Task-name glob it applies to, `*` any run of characters (absent: every task). */
  readonly task?: string;
  /** ISO times. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
  /** Set when it was expired early. */
  readonly expiredAt?: string;
}

export interface SilenceInput {
  readonly instance?: string;
  readonly task?: string;
  readonly minutes: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** The seam to the operator API's silences: what the page needs, nothing more. */
export interface SilenceApi {
  /** Silences in force at `now`, soonest end first. */
  active(now: number): Promise<readonly Silence[]>;
  create(input: SilenceInput, now: number): Promise<Silence>;
  /** Ends a silence now; `undefined` when no silence in force has this id. */
  expire(id: string, now: number): Promise<Silence | undefined>;
}

const KEY = 'silences#page';
/** Ended silences are kept this long (shown nowhere, pruned on the next write). */
const KEEP_ENDED_MS = 7 * 24 * 3_600_000;
const MAX_WRITE_ATTEMPTS = 5;

const endOf = (s: Silence): number => Date.parse(s.expiredAt ?? s.endsAt);

/**
 * Silences in one record of the notifier's state store, changed with version-conditional writes (two
 * pages saving at once both land). Works with every store (file, DynamoDB, Redis).
 */
export class StoreSilences implements SilenceApi {
  readonly #store: StateStore;
  constructor(store: StateStore) {
    this.#store = store;
  }

  async #read(): Promise<{ version: number | undefined; items: Silence[] }> {
    const rec = await this.#store.get(KEY);
    const items = rec && Array.isArray(rec.value.items) ? (rec.value.items as Silence[]) : [];
    return { version: rec?.version, items };
  }

  /** Applies `fn` until the write lands; `fn` returning undefined changes nothing (no write). */
  async #change(now: number, fn: (items: Silence[]) => Silence[] | undefined): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const { version, items } = await this.#read();
      const changed = fn(items);
      if (!changed) return;
      const next = changed.filter((s) => endOf(s) > now - KEEP_ENDED_MS);
      const ok =
        version === undefined
          ? await this.#store.create(KEY, { items: next })
          : await this.#store.update(KEY, version, { items: next });
      if (ok) return;
    }
    throw new Error('silences: the record kept changing; try again');
  }

  async active(now: number): Promise<readonly Silence[]> {
    const { items } = await this.#read();
    return items.filter((s) => Date.parse(s.startsAt) <= now && endOf(s) > now).sort((a, b) => endOf(a) - endOf(b));
  }

  async create(input: SilenceInput, now: number): Promise<Silence> {
    const silence: Silence = {
      id: `sil_${randomBytes(12).toString('base64url')}`,
      ...(input.instance !== undefined ? { instance: input.instance } : {}),
      ...(input.task !== undefined ? { task: input.task } : {}),
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + input.minutes * 60_000).toISOString(),
      createdBy: input.createdBy,
      comment: input.comment,
    };
    await this.#change(now, (items) => [...items, silence]);
    return silence;
  }

  async expire(id: string, now: number): Promise<Silence | undefined> {
    let found: Silence | undefined;
    await this.#change(now, (items) => {
      found = undefined;
      const at = items.findIndex((s) => s.id === id && endOf(s) > now);
      const current = items[at];
      if (!current) return undefined;
      found = { ...current, expiredAt: new Date(now).toISOString() };
      return items.map((s, i) => (i === at && found ? found : s));
    });
    return found;
  }
}
