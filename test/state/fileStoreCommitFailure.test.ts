import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { StateStoreError } from '../../lib/state/errors';
import { FileStore } from '../../lib/state/fileStore';

const fault = vi.hoisted(() => ({ failRename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (fault.failRename) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      return real.rename(from, to);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'filestore-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileStore: a commit that fails before its rename', () => {
  it('rejects every operation of the batch, keeps the previous file, cleans up; the next commit works', async () => {
    const path = join(dir, 's.json');
    const s = new FileStore(path);
    await s.put('kept', { v: 1 });
    const before = readFileSync(path, 'utf8');

    fault.failRename = true;
    const batch = await Promise.allSettled([
      s.put('kept', { v: 2 }),
      s.create('new', { v: 1 }),
      s.update('kept', 1, { v: 3 }),
      s.get('kept'),
    ]);
    fault.failRename = false;
    for (const r of batch) {
      expect(r.status).toBe('rejected');
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StateStoreError);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expect(await s.get('kept')).toMatchObject({ version: 1, value: { v: 1 } });
    expect(await s.create('new', { v: 1 })).toBe(true);
    expect(await s.update('kept', 1, { v: 3 })).toBe(true);
    expect(await s.get('kept')).toMatchObject({ version: 2, value: { v: 3 } });
  });
});
