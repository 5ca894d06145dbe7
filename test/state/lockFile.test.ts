import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLockFile, lockOwnerAlive } from '../../lib/state/lockFile';

const dir = mkdtempSync(join(tmpdir(), 'lockfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newLock = (): string => join(dir, `l${++files}.lock`);

/** A lock file left in place by `pid`, last touched `ageMs` ago. */
function placeLock(path: string, content: string, ageMs: number): void {
  writeFileSync(path, content);
  const at = new Date(Date.now() - ageMs);
  utimesSync(path, at, at);
}

/** A pid that is certainly gone: a process that ran and was reaped. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise<void>((r) => p.once('exit', () => r()));
  if (p.pid === undefined) throw new Error('no pid');
  return p.pid;
}

describe('lockOwnerAlive', () => {
  it('is true for a running process (our parent), false for one that has exited', async () => {
    expect(lockOwnerAlive(`${process.ppid}\n`)).toBe(true);
    expect(lockOwnerAlive(`${await deadPid()}\n`)).toBe(false);
  });

  it('counts our own pid and unreadable content as gone, leaving the decision to the age', () => {
    expect(lockOwnerAlive(`${process.pid}\n`)).toBe(false);
    const unreadable = ['', '\n', 'abc', '0\n', '-5\n', '99999999999999999999\n'];
    for (const content of unreadable) expect(lockOwnerAlive(content)).toBe(false);
  });
});

describe('acquireLockFile', () => {
  it('creates the lock (and its folder) holding our pid; release removes it, twice is no error', async () => {
    const path = join(dir, 'sub', 'deeper', 'x.lock');
    const lock = await acquireLockFile(path, { staleMs: 1000, timeoutMs: 1000 });
    expect(lock.path).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
    expect(existsSync(path)).toBe(false);
    await lock.release();
  });

  it('is exclusive: a second acquirer waits until the first releases', async () => {
    const path = newLock();
    const first = await acquireLockFile(path, { staleMs: 60_000, timeoutMs: 5000 });
    let second = false;
    const waiting = acquireLockFile(path, { staleMs: 60_000, timeoutMs: 5000 }).then((l) => {
      second = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(second).toBe(false);
    await first.release();
    const lock = await waiting;
    expect(second).toBe(true);
    await lock.release();
  });

  it('breaks an old lock whose process is gone', async () => {
    const path = newLock();
    placeLock(path, `${await deadPid()}\n`, 60_000);
    const lock = await acquireLockFile(path, { staleMs: 100, timeoutMs: 2000 });
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('breaks an old lock with no readable pid (its process died before writing it)', async () => {
    const path = newLock();
    placeLock(path, '', 60_000);
    const lock = await acquireLockFile(path, { staleMs: 100, timeoutMs: 2000 });
    await lock.release();
  });

  it('does not break a young lock, even of a process that is gone: times out with a StateStoreError', async () => {
    const path = newLock();
    placeLock(path, `${await deadPid()}\n`, 0);
    const started = Date.now();
    await expect(acquireLockFile(path, { staleMs: 60_000, timeoutMs: 300 })).rejects.toMatchObject({
      name: 'StateStoreError',
      operation: 'lock',
      message: expect.stringContaining(`could not lock ${path} within 300 ms`) as unknown,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(existsSync(path)).toBe(true);
  });

  it('does not break an old lock of a live process (a slow commit): times out, lock left in place', async () => {
    const path = newLock();
    placeLock(path, `${process.ppid}\n`, 60_000);
    const acquiring = acquireLockFile(path, { staleMs: 100, timeoutMs: 300 });
    await expect(acquiring).rejects.toMatchObject({ name: 'StateStoreError' });
    expect(readFileSync(path, 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('an error other than "exists" fails at once, as a StateStoreError with the code', async () => {
    const started = Date.now();
    const tooLong = join(dir, `${'x'.repeat(300)}.lock`);
    await expect(acquireLockFile(tooLong, { staleMs: 100, timeoutMs: 5000 })).rejects.toMatchObject({
      name: 'StateStoreError',
      operation: 'lock',
      message: 'state store lock: ENAMETOOLONG',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
