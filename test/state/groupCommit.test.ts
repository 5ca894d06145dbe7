import { describe, expect, it } from 'vitest';
import { GroupCommit, type Applied, type Batch } from '../../lib/state/groupCommit';

type State = Record<string, number>;

/** A committer over an in-memory state that records every batch it was handed. */
function memoryCommitter(options: { fail?: () => boolean; delayMs?: number } = {}) {
  const state: State = {};
  const batches: { writes: boolean; changed: boolean }[] = [];
  const commit = async (batch: Batch<State>): Promise<Applied> => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const draft = { ...state };
    const applied = batch.applyTo(draft);
    batches.push({ writes: batch.writes, changed: applied.changed });
    if (options.fail?.()) throw new Error('commit failed');
    if (applied.changed) Object.assign(state, draft);
    return applied;
  };
  return { state, batches, commit };
}

const inc = (key: string) => (s: State) => {
  s[key] = (s[key] ?? 0) + 1;
  return { result: s[key], changed: true };
};
const read = (key: string) => (s: State) => ({ result: s[key], changed: false });

describe('GroupCommit', () => {
  it('operations issued together are one batch, applied in call order, each with its own result', async () => {
    const m = memoryCommitter();
    const g = new GroupCommit<State>(m.commit);
    const calls = [g.run(false, read('a')), g.run(true, inc('a')), g.run(true, inc('a')), g.run(false, read('a'))];
    const results = await Promise.all(calls);
    expect(results).toEqual([undefined, 1, 2, 2]);
    expect(m.batches).toEqual([{ writes: true, changed: true }]);
  });

  it('a batch of reads only says so (no lock needed), and reports nothing changed', async () => {
    const m = memoryCommitter();
    const g = new GroupCommit<State>(m.commit);
    await Promise.all([g.run(false, read('a')), g.run(false, read('b'))]);
    expect(m.batches).toEqual([{ writes: false, changed: false }]);
  });

  it('operations queued while a commit runs all go into the next one', async () => {
    const m = memoryCommitter({ delayMs: 30 });
    const g = new GroupCommit<State>(m.commit);
    const first = g.run(true, inc('a'));
    await new Promise((r) => setTimeout(r, 5)); // the first commit is now under way
    const rest = Array.from({ length: 50 }, () => g.run(true, inc('a')));
    expect(await first).toBe(1);
    expect((await Promise.all(rest)).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(m.batches).toHaveLength(2);
    expect(m.state.a).toBe(51);
  });

  it('a result is given only once its commit has finished', async () => {
    const m = memoryCommitter({ delayMs: 30 });
    const g = new GroupCommit<State>(m.commit);
    let settled = false;
    const p = g.run(true, inc('a')).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    await p;
    expect(m.batches).toHaveLength(1);
  });

  it('an operation that throws fails alone; the others of its batch still commit', async () => {
    const m = memoryCommitter();
    const g = new GroupCommit<State>(m.commit);
    const boom = (): never => {
      throw new Error('bad operation');
    };
    const [a, b, c] = await Promise.allSettled([g.run(true, inc('a')), g.run(true, boom), g.run(true, inc('a'))]);
    expect(a).toEqual({ status: 'fulfilled', value: 1 });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'bad operation' } });
    expect(c).toEqual({ status: 'fulfilled', value: 2 });
    expect(m.state.a).toBe(2);
  });

  it('a failed commit rejects every operation of its batch, and the next batch commits', async () => {
    let failNext = true;
    const m = memoryCommitter({ fail: () => failNext });
    const g = new GroupCommit<State>(m.commit);
    const batch = await Promise.allSettled([g.run(true, inc('a')), g.run(false, read('a'))]);
    expect(batch.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(batch[0]).toMatchObject({ reason: { message: 'commit failed' } });
    failNext = false;
    expect(await g.run(true, inc('a'))).toBe(1);
    expect(m.batches).toHaveLength(2);
  });

  it('commits never overlap', async () => {
    let running = 0;
    let most = 0;
    const g = new GroupCommit<State>(async (batch) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return batch.applyTo({});
    });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) {
      calls.push(g.run(true, inc('a')));
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(calls);
    expect(most).toBe(1);
  });
});
