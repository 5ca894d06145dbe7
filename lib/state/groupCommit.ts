/** What one operation does to the state; `changed` says whether it wrote. */
export type Operation<S, T> = (state: S) => { readonly result: T; readonly changed: boolean };

/** One operation's outcome within a batch: its result, or what it threw (which fails it alone). */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** A batch applied to one state: an outcome per operation in call order, and whether any wrote. */
export interface Applied {
  readonly outcomes: readonly Outcome[];
  readonly changed: boolean;
}

/** The operations queued while the previous commit ran, handed to the committer as one. */
export interface Batch<S> {
  /** Whether any operation may write: a batch of reads only needs no lock and no write. */
  readonly writes: boolean;
  /** Applies the operations in call order to `state`, each judged against what the ones before it left. */
  applyTo(state: S): Applied;
}

/**
 * Commits one batch: reads the state (under a lock when `batch.writes`), calls `batch.applyTo` once,
 * writes when it `changed`, and returns what `applyTo` returned. A rejection means nothing of the
 * batch is known to have been committed.
 */
export type Committer<S> = (batch: Batch<S>) => Promise<Applied>;

interface QueuedOp<S> {
  readonly writes: boolean;
  readonly apply: Operation<S, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Resolves after the callbacks already due on this turn of the event loop (`setImmediate`). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function applyAll<S>(ops: readonly QueuedOp<S>[], state: S): Applied {
  let changed = false;
  const outcomes = ops.map((op): Outcome => {
    try {
      const r = op.apply(state);
      changed ||= r.changed;
      return { ok: true, value: r.result };
    } catch (e) {
      return { ok: false, error: e };
    }
  });
  return { outcomes, changed };
}

/**
 * Group commit within one process: operations are queued, and whatever was queued while the previous
 * commit ran goes to the committer as one batch (one read, one lock, one write for all of them).
 * Each caller gets its own result, and only once the commit has succeeded; if it fails, every caller
 * of the batch hears of it. So N concurrent writers cost about one read-modify-write per commit rather
 * than N, and never wait for each other's locks. Commits never overlap: the next batch starts after.
 */
export class GroupCommit<S> {
  readonly #commit: Committer<S>;
  #queue: QueuedOp<S>[] = [];
  #draining = false;

  constructor(commit: Committer<S>) {
    this.#commit = commit;
  }

  /** Queues `apply` for the next commit; `writes` false promises it only reads. Resolves with its result. */
  run<T>(writes: boolean, apply: Operation<S, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ writes, apply, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining) return;
      this.#draining = true;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        // Each batch starts on the next turn of the event loop, not the next microtask: by then every
        // caller that could run has queued its operation (those issued together, and the follow-ups of
        // the callers the last commit resolved, however many awaits deep), so they share one commit.
        await nextTurn();
        if (this.#queue.length === 0) return;
        const ops = this.#queue;
        this.#queue = [];
        const batch: Batch<S> = { writes: ops.some((op) => op.writes), applyTo: (state) => applyAll(ops, state) };
        try {
          const { outcomes } = await this.#commit(batch);
          ops.forEach((op, i) => {
            const o = outcomes[i];
            if (o?.ok) op.resolve(o.value);
            else op.reject(o?.error);
          });
        } catch (e) {
          // Nothing of this batch reached the state (or it cannot be known to have): every caller hears of it.
          for (const op of ops) op.reject(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
