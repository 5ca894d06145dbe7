import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../lib/state/connectRedis';
import { createStore } from '../../lib/state/createStore';
import { StateStoreError } from '../../lib/state/errors';
import { RedisStore } from '../../lib/state/redisStore';
import { PRUNE_DUE_SCRIPT, WRITE_SCRIPT } from '../../lib/state/redisScripts';
import { startRedisServer, type RedisServer } from '../../dev/redisServer';

const WORKER = join(__dirname, 'redisStoreWorker.ts');

function worker(args: readonly string[]): { done: Promise<string>; kill(): void; started: Promise<void> } {
  const p = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((r) => (markStarted = r));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('started')) markStarted();
  });
  const done = new Promise<string>((resolve, reject) =>
    p.on('exit', (code, signal) =>
      code === 0 || signal === 'SIGKILL' ? resolve(out) : reject(new Error(`worker exited ${code}`)),
    ),
  );
  return { done, started, kill: () => p.kill('SIGKILL') };
}

let server: RedisServer;
const stores: RedisStore[] = [];
const storeOn = (s: Pick<RedisServer, 'host' | 'port'>, keyPrefix: string, now?: () => number): RedisStore => {
  const store = new RedisStore({ client: connectRedis(s), keyPrefix, ...(now ? { now } : {}) });
  stores.push(store);
  return store;
};
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server.stop();
});

describe('RedisStore across processes (redis-server)', () => {
  it('two processes, ten repetitions: one winner per contested create and update, no put lost', async () => {
    // Two processes, each through the ten repetitions (one key prefix each) side by side with the other.
    const args = (name: string) => ['race', String(server.port), 'race', name, 'single', '10'];
    const runs = await Promise.all([worker(args('A')).done, worker(args('B')).done]);
    const [a, b] = runs.map((r) => JSON.parse(r) as { wins: string[]; updates: string[] }[]);
    const figures: { wins: number; updates: number; duplicates: number }[] = [];
    for (let rep = 0; rep < 10; rep++) {
      const wins = [...(a?.[rep]?.wins ?? []), ...(b?.[rep]?.wins ?? [])];
      const updates = [...(a?.[rep]?.updates ?? []), ...(b?.[rep]?.updates ?? [])];
      const duplicates = wins.length - new Set(wins).size + (updates.length - new Set(updates).size);
      figures.push({ wins: wins.length, updates: updates.length, duplicates });
      const store = storeOn(server, `race${rep}:`);
      const own = await store.getMany(['A', 'B'].flatMap((n) => Array.from({ length: 40 }, (_, i) => `own-${n}-${i}`)));
      expect(own.size).toBe(80);
      const contested = await store.getMany(Array.from({ length: 40 }, (_, i) => `contested-${i}`));
      for (const r of contested.values()) expect(r).toMatchObject({ version: 2, value: { updated: true } });
      expect((await store.listDue(100, 100)).map((r) => r.key).sort()).toEqual([...contested.keys()].sort());
    }
    console.log(`redis race, 2 processes x 10 repetitions: ${JSON.stringify(figures)}`);
    expect(figures.every((f) => f.wins === 40 && f.updates === 40 && f.duplicates === 0)).toBe(true);
  }, 120_000);

  it('a client killed with SIGKILL mid-writes leaves every record whole and the due index in step', async () => {
    const prefix = 'crash:';
    const w = worker(['crash', String(server.port), prefix, 'C']);
    await w.started;
    await new Promise((r) => setTimeout(r, 300));
    w.kill();
    await w.done;
    const store = storeOn(server, prefix);
    const records = await store.getMany(Array.from({ length: 200 }, (_, i) => `crash-${i}`));
    expect(records.size).toBeGreaterThan(0);
    for (const r of records.values()) {
      expect(r.value).toMatchObject({ pad: 'x'.repeat(2000) });
      expect(r.due).toBe((r.value as { n: number }).n);
    }
    const listed = await store.listDue(Number.MAX_SAFE_INTEGER, 1000);
    expect(listed.map((r) => r.key).sort()).toEqual([...records.keys()].sort());
    for (const r of listed) expect(r.due).toBe(records.get(r.key)?.due);
  }, 30_000);

  it('a server killed with SIGKILL (appendfsync always) keeps every acknowledged write', async () => {
    const durable = await startRedisServer({ durable: true });
    const store = new RedisStore({ client: connectRedis(durable), keyPrefix: 'k9:' });
    try {
      const acked = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`c${i}`, { i }, { due: i })));
      expect(acked.every(Boolean)).toBe(true);
      expect(await store.update('c0', 1, { i: 0, v: 2 }, { due: 0 })).toBe(true);
      await durable.kill();
      const again = await startRedisServer({ durable: true, dir: durable.dir, port: durable.port });
      try {
        // The same client reconnects by itself.
        const all = await store.getMany(Array.from({ length: 50 }, (_, i) => `c${i}`));
        expect(all.size).toBe(50);
        expect(all.get('c0')).toMatchObject({ version: 2, value: { v: 2 } });
        expect((await store.listDue(100, 100)).length).toBe(50);
        expect(await store.create('c1', { i: 1 })).toBe(false);
      } finally {
        await store.close();
        await again.stop();
      }
    } finally {
      await durable.stop();
    }
  }, 30_000);
});

describe('RedisStore details', () => {
  it('reads whether the server persists (INFO persistence, CONFIG GET save) once', async () => {
    expect(await storeOn(server, 'p1:').persistence()).toEqual({ persists: false, detail: 'aof off, rdb save ""' });
    const durable = await startRedisServer({ durable: true });
    const store = new RedisStore({ client: connectRedis(durable), keyPrefix: 'p2:' });
    try {
      expect(await store.persistence()).toEqual({ persists: true, detail: 'aof on, rdb save ""' });
      await durable.stop();
      // Read once per store: a later failure to reach the server does not change the answer.
      expect((await store.persistence()).persists).toBe(true);
    } finally {
      await store.close();
    }
    const gone = await startRedisServer();
    const unreachable = new RedisStore({ client: connectRedis({ ...gone, connectTimeoutMs: 300 }), keyPrefix: 'p3:' });
    await gone.stop();
    expect(await unreachable.persistence()).toMatchObject({ persists: undefined });
    await unreachable.close();
  });

  it('every key a script touches is declared in KEYS (DCS cluster instances route a script by its keys)', () => {
    for (const lua of [WRITE_SCRIPT, PRUNE_DUE_SCRIPT]) {
      const calls = [...lua.matchAll(/redis\.call\('(\w+)', ([^,)]+)/g)];
      expect(calls.length).toBeGreaterThan(0);
      for (const [, command, key] of calls) expect(key, command).toMatch(/^KEYS\[/);
    }
  });

  it('listDue examines a bounded number of index entries per call; the next call goes on', async () => {
    // The store's clock stands still: each record gets a Redis TTL of 300 ms however long the writes take.
    const t = Date.now();
    const store = storeOn(server, 'bound:', () => t);
    // 1,200 entries whose records Redis expires (its own TTL), ahead of one live record.
    await Promise.all(
      Array.from({ length: 1200 }, (_, i) => store.put(`gone-${i}`, { i }, { due: i, expiresAt: t + 300 })),
    );
    await store.put('live', { a: 1 }, { due: 5000 });
    await new Promise((r) => setTimeout(r, 400));
    const raw = connectRedis(server);
    try {
      // limit 1: at most 1 + 1,000 entries looked at (whole pages of 100), the dead ones pruned.
      expect(await store.listDue(10_000, 1)).toEqual([]);
      expect(await raw.zcard('{bound:}due')).toBe(1201 - 1100);
      expect((await store.listDue(10_000, 1)).map((r) => r.key)).toEqual(['live']);
      expect(await raw.zcard('{bound:}due')).toBe(1);
    } finally {
      raw.disconnect();
    }
  });

  it('a record Redis has expired is dropped from the due index and does not crowd out live ones', async () => {
    const store = storeOn(server, 'ttl:');
    // On the real clock: Redis expires it after 50 ms by its own TTL.
    await store.create('short', { a: 1 }, { due: 1, expiresAt: Date.now() + 50 });
    await store.create('live', { a: 2 }, { due: 2 });
    await new Promise((r) => setTimeout(r, 120));
    expect((await store.listDue(10, 1)).map((r) => r.key)).toEqual(['live']);
    const raw = connectRedis(server);
    try {
      expect(await raw.zrange('{ttl:}due', '0', '-1')).toEqual(['live']);
      expect(await raw.pttl('{ttl:}r:live')).toBe(-1);
    } finally {
      raw.disconnect();
    }
  });

  it('sets a Redis TTL from the remaining life on the store clock, whatever the server clock says', async () => {
    const store = storeOn(server, 'clock:', () => Date.UTC(2030, 0, 1));
    await store.put('p', { a: 1 }, { expiresAt: Date.UTC(2030, 0, 1) + 60_000 });
    const raw = connectRedis(server);
    try {
      const ttl = await raw.pttl('{clock:}r:p');
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      raw.disconnect();
    }
  });

  it('fails with a StateStoreError when the server is gone, without waiting for ever', async () => {
    const gone = await startRedisServer();
    const store = new RedisStore({ client: connectRedis({ ...gone, connectTimeoutMs: 500 }), keyPrefix: 'x:' });
    await gone.stop();
    const t0 = Date.now();
    await expect(store.get('a')).rejects.toBeInstanceOf(StateStoreError);
    expect(Date.now() - t0).toBeLessThan(5000);
    await store.close();
  });
});

describe('Redis store from the configuration: password and TLS', () => {
  it('resolves the password reference, and refuses a wrong one', async () => {
    const secured = await startRedisServer({ password: 's3cret-pw' });
    try {
      const env: Record<string, string> = { DCS_PW: 's3cret-pw', WRONG_PW: 'nope' };
      const resolveSecret = async (ref: { env: string } | object) => env[(ref as { env: string }).env] ?? '';
      const spec = { type: 'redis', host: secured.host, port: secured.port } as const;
      const good = await createStore({ ...spec, password: { env: 'DCS_PW' } }, { resolveSecret });
      expect(await good.create('k', { a: 1 })).toBe(true);
      expect(await good.get('k')).toMatchObject({ version: 1 });
      const bad = await createStore({ ...spec, password: { env: 'WRONG_PW' } }, { resolveSecret });
      const error = await bad.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateStoreError);
      expect(String(error)).toMatch(/WRONGPASS|invalid password/i);
      expect(String(error)).not.toContain('nope');
      const none = await createStore(spec);
      await expect(none.get('k')).rejects.toThrow(/NOAUTH/);
    } finally {
      await secured.stop();
    }
  });

  it('connects over TLS with the CA from a secret reference, and refuses a server it cannot verify', async () => {
    const tls = await startRedisServer({ tls: true, password: 'tls-pw' });
    try {
      const env: Record<string, string> = { CA: tls.tlsCa ?? '', PW: 'tls-pw' };
      const resolveSecret = async (ref: { env: string } | object) => env[(ref as { env: string }).env] ?? '';
      const spec = { type: 'redis', host: 'localhost', port: tls.port, password: { env: 'PW' } } as const;
      const store = await createStore({ ...spec, tls: { ca: { env: 'CA' } } }, { resolveSecret });
      expect(await store.create('t', { over: 'tls' })).toBe(true);
      expect((await store.get('t'))?.value).toEqual({ over: 'tls' });
      // The system CAs do not know the self-signed certificate.
      const unverified = await createStore({ ...spec, tls: true }, { resolveSecret });
      await expect(unverified.get('t')).rejects.toBeInstanceOf(StateStoreError);
      // Plain text against the TLS port gets nowhere either.
      const plain = new RedisStore({ client: connectRedis({ host: tls.host, port: tls.port, password: 'tls-pw' }) });
      await expect(plain.get('t')).rejects.toBeInstanceOf(StateStoreError);
      plain.close().catch(() => undefined);
    } finally {
      await tls.stop();
    }
  }, 30_000);
});
