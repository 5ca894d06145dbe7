import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../lib/state/fileStore';

const dir = mkdtempSync(join(tmpdir(), 'filestore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = (): string => join(dir, `s${++files}.json`);

interface FileShape {
  records: Record<string, { version: number; value: Record<string, unknown> }>;
}
const onDisk = (path: string): FileShape => JSON.parse(readFileSync(path, 'utf8')) as FileShape;

/** Runs a test worker in its own node process; resolves with its stdout and how it ended. */
function runWorker(
  script: string,
  args: readonly string[],
): Promise<{ out: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => resolve({ out, code, signal }));
  });
}

describe('FileStore: concurrent operations in one process resolve as if run one by one, in call order', () => {
  it('200 parallel put-if-absent on 50 keys: exactly the first call per key wins', async () => {
    const path = newPath();
    const s = new FileStore(path);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.create(`k${i % 50}`, { i })));
    expect(results.filter(Boolean)).toHaveLength(50);
    expect(results.slice(0, 50).every(Boolean)).toBe(true);
    const records = onDisk(path).records;
    expect(Object.keys(records)).toHaveLength(50);
    for (let k = 0; k < 50; k++) expect(records[`k${k}`]).toEqual({ version: 1, value: { i: k } });
  });

  it('parallel creates spread over several commits still give one winner per key', async () => {
    const s = new FileStore(newPath());
    // Issued over several ticks, so they land in different group commits.
    const calls: Promise<boolean>[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++) calls.push(s.create(`k${(i * 7 + round) % 50}`, { round, i }));
      await new Promise((r) => setImmediate(r));
    }
    expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(50);
  });

  it('each conditional update is judged against the state the ones before it left', async () => {
    const s = new FileStore(newPath());
    await s.put('v', { n: 0 }); // version 1
    const [a, b, c, d, e] = await Promise.all([
      s.update('v', 1, { n: 1 }), // wins: version 2
      s.update('v', 1, { n: 99 }), // loses: the one before moved it on
      s.update('v', 2, { n: 2 }), // wins: version 3
      s.create('v', { n: 98 }), // loses: present
      s.update('absent', 0, { n: 1 }), // loses: absent
    ]);
    expect([a, b, c, d, e]).toEqual([true, false, true, false, false]);
    expect(await s.get('v')).toMatchObject({ version: 3, value: { n: 2 } });
  });

  it('a read queued after writes sees them; one queued before does not', async () => {
    const s = new FileStore(newPath());
    const before = s.getMany(['a', 'b']);
    const writes = Promise.all([s.put('a', { x: 1 }), s.create('b', { y: 1 })]);
    const after = s.getMany(['a', 'b']);
    const listed = s.listDue(Number.MAX_SAFE_INTEGER, 10);
    const due = s.put('c', { z: 1 }, { due: 5 });
    const listedAfter = s.listDue(10, 10);
    await writes;
    await due;
    expect((await before).size).toBe(0);
    expect([...(await after).keys()].sort()).toEqual(['a', 'b']);
    expect(await listed).toEqual([]);
    expect((await listedAfter).map((r) => r.key)).toEqual(['c']);
  });

  it('many increments by read-modify-write with retries lose none', async () => {
    const s = new FileStore(newPath());
    await s.put('counter', { n: 0 });
    const inc = async (): Promise<void> => {
      for (;;) {
        const cur = await s.get('counter');
        if (cur && (await s.update('counter', cur.version, { n: (cur.value.n as number) + 1 }))) return;
      }
    };
    await Promise.all(Array.from({ length: 60 }, inc));
    expect((await s.get('counter'))?.value).toEqual({ n: 60 });
  });
});

describe('FileStore: the copy kept between commits', () => {
  it("two stores on one file (as two processes) always see each other's writes", async () => {
    const path = newPath();
    const one = new FileStore(path);
    const two = new FileStore(path);
    await one.put('a', { by: 'one' });
    await two.put('b', { by: 'two' });
    expect((await one.get('b'))?.value).toEqual({ by: 'two' });
    expect(await one.create('b', { by: 'one' })).toBe(false);
    for (let i = 0; i < 20; i++) {
      const writer = i % 2 === 0 ? one : two;
      const cur = await writer.get('a');
      expect(cur?.version).toBe(i + 1);
      expect(await writer.update('a', cur?.version ?? 0, { i })).toBe(true);
    }
    expect(await two.get('a')).toMatchObject({ version: 21, value: { i: 19 } });
    expect(Object.keys(onDisk(path).records).sort()).toEqual(['a', 'b']);
  });

  it('reads a file written without a generation (the earlier format)', async () => {
    const path = newPath();
    writeFileSync(path, JSON.stringify({ format: 1, records: { old: { version: 4, value: { x: 1 } } } }));
    const s = new FileStore(path);
    expect(await s.get('old')).toMatchObject({ version: 4, value: { x: 1 } });
    expect(await s.update('old', 4, { x: 2 })).toBe(true);
    expect(onDisk(path).records.old).toEqual({ version: 5, value: { x: 2 } });
  });

  it('what callers get and give are not the kept copy', async () => {
    const s = new FileStore(newPath());
    const given: { list: number[]; gone?: undefined } = { list: [1], gone: undefined };
    await s.put('k', given);
    given.list.push(2);
    const got = await s.get('k');
    expect(got?.value).toEqual({ list: [1] }); // as a re-read of the file would give it
    (got?.value.list as number[] | undefined)?.push(3);
    expect((await s.get('k'))?.value).toEqual({ list: [1] });
  });
});

describe('FileStore across processes, with group commits', () => {
  it('two processes issuing many operations at once lose nothing and get one winner per contested key', async () => {
    const path = newPath();
    const [a, b] = await Promise.all([
      runWorker('fileStoreBatchWorker.ts', [path, 'A']),
      runWorker('fileStoreBatchWorker.ts', [path, 'B']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const wins = (JSON.parse(a.out) as { wins: number }).wins + (JSON.parse(b.out) as { wins: number }).wins;
    expect(wins).toBe(100);
    const { records } = onDisk(path);
    expect(Object.keys(records).filter((k) => k.startsWith('own-'))).toHaveLength(200);
    expect(Object.keys(records).filter((k) => k.startsWith('contested-'))).toHaveLength(100);
    expect(records.counter?.value).toEqual({ n: 100 }); // 50 increments from each process
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 60_000);
});

describe('FileStore: a crash in the middle of a commit', () => {
  it('a process killed before its rename leaves the old file whole; the next one recovers the stale lock', async () => {
    const path = newPath();
    const run = await runWorker('fileStoreCrashWorker.ts', [path]);
    expect(run.out).toBe('committed\n');
    expect(run.signal).toBe('SIGKILL');
    // What the crash left: the lock, the temporary file written for the lost batch, and the old state.
    expect(existsSync(`${path}.lock`)).toBe(true);
    const base = path.slice(dir.length + 1);
    expect(readdirSync(dir).filter((f) => f.startsWith(`${base}.`) && f.endsWith('.tmp'))).toHaveLength(1);
    expect(onDisk(path).records).toEqual({ kept: { version: 1, value: { v: 1 } } });

    const s = new FileStore(path, { staleLockMs: 100, lockTimeoutMs: 10_000 });
    expect(await s.get('kept')).toMatchObject({ version: 1, value: { v: 1 } });
    expect(await s.get('lost')).toBeUndefined();
    expect(await s.create('lost', { v: 2 })).toBe(true);
    expect(await s.update('kept', 1, { v: 3 })).toBe(true);
    expect(onDisk(path).records).toEqual({
      kept: { version: 2, value: { v: 3 } },
      lost: { version: 1, value: { v: 2 } },
    });
  }, 30_000);
});

describe('FileStore: whose lock is stale', () => {
  it('waits for an old lock whose process still runs, and breaks it once that process is gone', async () => {
    const path = newPath();
    // Another process that holds the lock for a long commit: alive, lock older than staleLockMs.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise<void>((r) => holder.once('spawn', () => r()));
    writeFileSync(`${path}.lock`, `${holder.pid}\n`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    const s = new FileStore(path, { staleLockMs: 100, lockTimeoutMs: 400 });
    await expect(s.put('k', { v: 1 })).rejects.toMatchObject({ name: 'StateStoreError' });
    expect(existsSync(`${path}.lock`)).toBe(true);
    const exited = new Promise<void>((r) => holder.once('exit', () => r()));
    holder.kill('SIGKILL');
    await exited;
    // Same lock file, same age, owner gone: a crashed process's lock, broken.
    await s.put('k', { v: 2 });
    expect(onDisk(path).records.k?.value).toEqual({ v: 2 });
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 30_000);
});
