import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sleep } from '../core/sleep';
import { StateStoreError } from './errors';

export interface LockFileOptions {
  /** A lock older than this whose process no longer runs is a crashed process's, and is broken. */
  readonly staleMs: number;
  /** Give up acquiring the lock after this long. */
  readonly timeoutMs: number;
}

/** A lock this process holds; `release` removes the lock file (a lock already gone is no error). */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Whether the process named in a lock file (`{pid}\n`) still runs. The file store is local, so the pid
 * is on this host. An unreadable pid (the lock was just created) or our own (we never wait on our own
 * lock: commits are serialised in-process) counts as gone, leaving the decision to the lock's age.
 */
export function lockOwnerAlive(content: string): boolean {
  const pid = Number.parseInt(content, 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the lock at `path` when it is a crashed process's: older than `staleMs` and its owner gone.
 * An old lock of a live process is a slow commit, and breaking it would let two writers in; a young
 * lock is not even read (its owner may not have written its pid yet).
 */
async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (!st || Date.now() - st.mtimeMs <= staleMs) return;
  if (!lockOwnerAlive(await readFile(path, 'utf8').catch(() => ''))) await unlink(path).catch(() => undefined);
}

/**
 * Takes the exclusive lock file at `path`: created with `wx` (`O_EXCL`), so exactly one process
 * succeeds, and holding this process's pid, so others can tell a crashed holder from a slow one.
 * While the lock is held by someone else it polls with a short jittered wait, breaking the lock
 * only when it is stale, and fails with a {@link StateStoreError} (`lock`) after `timeoutMs`.
 */
export async function acquireLockFile(path: string, options: LockFileOptions): Promise<HeldLock> {
  await mkdir(dirname(path), { recursive: true });
  const started = Date.now();
  for (let i = 0; ; i++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return { path, release: () => unlink(path).catch(() => undefined) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new StateStoreError('lock', code ?? 'lock failed', { cause: e });
      await breakIfStale(path, options.staleMs);
      if (Date.now() - started > options.timeoutMs) {
        throw new StateStoreError('lock', `could not lock ${path} within ${options.timeoutMs} ms`);
      }
      await sleep(Math.min(50, 2 + i) * (0.5 + Math.random()));
    }
  }
}
