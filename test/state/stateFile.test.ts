import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateFile, sweepExpired, type StateRecord } from '../../lib/state/stateFile';

const dir = mkdtempSync(join(tmpdir(), 'statefile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = (): string => join(dir, `f${++files}.json`);

describe('sweepExpired', () => {
  it('deletes the records expired at now (expiresAt <= now), keeps the others, and says whether it deleted', () => {
    const records: Record<string, StateRecord> = {
      gone: { version: 1, value: {}, expiresAt: 100 },
      atNow: { version: 1, value: {}, expiresAt: 200 },
      later: { version: 1, value: {}, expiresAt: 201 },
      kept: { version: 1, value: {} },
    };
    expect(sweepExpired(records, 200)).toBe(true);
    expect(Object.keys(records).sort()).toEqual(['kept', 'later']);
    expect(sweepExpired(records, 200)).toBe(false);
  });
});

describe('StateFile', () => {
  it('an absent file reads as empty', async () => {
    expect(await new StateFile(newPath()).read()).toEqual({ format: 1, records: {} });
  });

  it('writes the generation first, with the records, and leaves no temporary file', async () => {
    const path = newPath();
    await new StateFile(path).write({ k: { version: 1, value: { v: 1 } } });
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^\{"format":1,"gen":"[0-9a-f]{32}","records":/);
    expect(JSON.parse(text)).toMatchObject({ records: { k: { version: 1, value: { v: 1 } } } });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads back the copy it wrote while the file is unchanged, and the file once another writer wrote', async () => {
    const path = newPath();
    const mine = new StateFile(path);
    await mine.write({ k: { version: 1, value: { v: 1 } } });
    const kept = await mine.read();
    expect(await mine.read()).toBe(kept); // no re-read: the head still shows our generation
    await new StateFile(path).write({ k: { version: 2, value: { v: 2 } } });
    const fresh = await mine.read();
    expect(fresh).not.toBe(kept);
    expect(fresh.records.k).toEqual({ version: 2, value: { v: 2 } });
  });

  it('forget drops the kept copy; keep keeps one only when it has a generation', async () => {
    const path = newPath();
    const f = new StateFile(path);
    await f.write({});
    const kept = await f.read();
    f.forget();
    expect(await f.read()).not.toBe(kept);
    const read = await f.read();
    f.keep(read);
    expect(await f.read()).toBe(read);

    const old = newPath();
    writeFileSync(old, JSON.stringify({ format: 1, records: {} })); // the earlier format, no generation
    const g = new StateFile(old);
    const content = await g.read();
    g.keep(content);
    g.forget(); // keep did not keep it (no generation), and forget drops the copy of the read
    expect(await g.read()).not.toBe(content);
  });

  it('a process that only reads parses the file once while stat shows it unchanged, again once changed', async () => {
    const path = newPath();
    await new StateFile(path).write({ k: { version: 1, value: { v: 1 } } });
    const reader = new StateFile(path);
    const first = await reader.read();
    expect(await reader.read()).toBe(first); // one stat, no parse
    await new StateFile(path).write({ k: { version: 2, value: { v: 2 } } });
    const second = await reader.read();
    expect(second).not.toBe(first);
    expect(second.records.k).toEqual({ version: 2, value: { v: 2 } });
    // Rewritten in place with the same size (not how the store writes, but a file edited by hand).
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"v":2', '"v":3'));
    expect((await reader.read()).records.k).toEqual({ version: 2, value: { v: 3 } });
    // An absent file is read (as empty) every time: nothing to recognise it by.
    const absent = new StateFile(newPath());
    expect(await absent.read()).not.toBe(await absent.read());
  });

  it('a file that is not a state file is a StateStoreError (read) naming it', async () => {
    for (const text of ['{broken', '{"format":2,"records":{}}', '{"format":1}']) {
      const path = newPath();
      writeFileSync(path, text);
      await expect(new StateFile(path).read()).rejects.toMatchObject({
        name: 'StateStoreError',
        operation: 'read',
        message: `state store read: ${path} is not a state file`,
      });
    }
  });

  it('a file that cannot be read is a StateStoreError (read) with the code', async () => {
    const reading = new StateFile(dir).read();
    await expect(reading).rejects.toMatchObject({ name: 'StateStoreError', message: 'state store read: EISDIR' });
  });

  it('a write that fails is a StateStoreError (write) and leaves no temporary file', async () => {
    const f = new StateFile(join(dir, 'missing-folder', 's.json'));
    await expect(f.write({})).rejects.toMatchObject({
      name: 'StateStoreError',
      operation: 'write',
      message: 'state store write: ENOENT',
    });
    expect(readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });
});
