import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStore } from '../../lib/state/dynamoStore';
import { connectRedis } from '../../lib/state/connectRedis';
import { FileStore } from '../../lib/state/fileStore';
import { RedisStore } from '../../lib/state/redisStore';
import type { StateStore } from '../../lib/state/types';
import { keys } from '../../lib/notify/records';
import { SILENCE_LIMITS, SilenceService } from '../../lib/notify/silences/silenceService';
import { startDynalite } from '../../dev/dynalite';
import { startRedisCluster, startRedisServer, type RedisCluster, type RedisServer } from '../../dev/redisServer';

let dyn: Awaited<ReturnType<typeof startDynalite>>;
let redis: RedisServer;
/** Three `redis-server` masters joined by `redis-cli --cluster create`: started once for the file. */
let cluster: RedisCluster;
const redisStores: RedisStore[] = [];
const dir = mkdtempSync(join(tmpdir(), 'store-'));
beforeAll(async () => {
  [dyn, redis, cluster] = await Promise.all([startDynalite(), startRedisServer(), startRedisCluster(3)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(redisStores.map((s) => s.close()));
  await Promise.all([dyn.close(), redis.stop(), cluster.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A seed node of the cluster, for a cluster client (it learns the others). */
const clusterSeed = () => ({ host: '127.0.0.1', port: cluster.nodes[0]?.port ?? 0, cluster: true });

let files = 0;
const impls: [string, (now: () => number) => Promise<StateStore>][] = [
  ['FileStore', async (now) => new FileStore(join(dir, `s${++files}.json`), { now })],
  [
    'DynamoStore (dynalite, real @aws-sdk/client-dynamodb)',
    async (now) => new DynamoStore({ table: await dyn.newTable(), client: dyn.client, now }),
  ],
  [
    'RedisStore (redis-server, real ioredis)',
    async (now) => {
      // Each test its own key prefix in one server: the prefix is what separates two deployments.
      const s = new RedisStore({ client: connectRedis(redis), keyPrefix: `t${++files}:`, now });
      redisStores.push(s);
      return s;
    },
  ],
  [
    'RedisStore (Redis Cluster of three redis-server masters, ioredis Cluster)',
    async (now) => {
      // Each test its own prefix, so its own hash tag and slot: the tests land on different masters.
      const s = new RedisStore({ client: connectRedis(clusterSeed()), keyPrefix: `c${++files}:`, now });
      redisStores.push(s);
      return s;
    },
  ],
];

describe.each(impls)('%s', (_name, make) => {
  const clock = { t: 1_800_000_000_000 };
  const now = () => clock.t;

  it('get/put/getMany round-trip with versions', async () => {
    const s = await make(now);
    expect(await s.get('a')).toBeUndefined();
    await s.put('a', { x: 1 });
    await s.put('a', { x: 2 });
    await s.put('b', { y: 'é' });
    expect(await s.get('a')).toMatchObject({ key: 'a', version: 2, value: { x: 2 } });
    const many = await s.getMany(['a', 'b', 'c', 'a']);
    expect([...many.keys()].sort()).toEqual(['a', 'b']);
    expect(many.get('b')?.value).toEqual({ y: 'é' });
  });

  it('create is put-if-absent; update is conditional on the version', async () => {
    const s = await make(now);
    expect(await s.create('o', { n: 1 })).toBe(true);
    expect(await s.create('o', { n: 2 })).toBe(false);
    expect((await s.get('o'))?.value).toEqual({ n: 1 });
    expect(await s.update('o', 1, { n: 3 })).toBe(true);
    expect(await s.update('o', 1, { n: 4 })).toBe(false);
    expect(await s.update('missing', 0, { n: 1 })).toBe(false);
    expect(await s.get('o')).toMatchObject({ version: 2, value: { n: 3 } });
  });

  it('only one of many racing conditional writers wins', async () => {
    const s = await make(now);
    const creates = await Promise.all(Array.from({ length: 8 }, (_, i) => s.create('race', { i })));
    expect(creates.filter(Boolean)).toHaveLength(1);
    const updates = await Promise.all(Array.from({ length: 8 }, (_, i) => s.update('race', 1, { i })));
    expect(updates.filter(Boolean)).toHaveLength(1);
  });

  it('expired records read as absent and can be created again', async () => {
    const s = await make(now);
    await s.create('e', { a: 1 }, { expiresAt: clock.t + 10_000 });
    expect(await s.get('e')).toBeDefined();
    clock.t += 11_000;
    expect(await s.get('e')).toBeUndefined();
    expect((await s.getMany(['e'])).size).toBe(0);
    expect(await s.update('e', 1, { a: 3 })).toBe(false); // gone, even while DynamoDB has not deleted it yet
    expect(await s.create('e', { a: 2 })).toBe(true);
    expect((await s.get('e'))?.value).toEqual({ a: 2 });
  });

  it('listDue lists only records due at or before now, soonest first; a write without due unlists', async () => {
    const s = await make(now);
    const t = clock.t;
    await s.create('d1', { k: 1 }, { due: t + 5 });
    await s.create('d2', { k: 2 }, { due: t - 5 });
    await s.create('d3', { k: 3 });
    await s.put('d4', { k: 4 }, { due: t });
    expect((await s.listDue(t, 10)).map((r) => r.key)).toEqual(['d2', 'd4']);
    expect((await s.listDue(t + 10, 10)).map((r) => r.key)).toEqual(['d2', 'd4', 'd1']);
    expect((await s.listDue(t + 10, 1)).map((r) => r.key)).toEqual(['d2']);
    const d2 = await s.get('d2');
    expect(await s.update('d2', d2?.version ?? 0, { k: 2, done: true })).toBe(true);
    await s.put('d4', { k: 4 });
    expect((await s.listDue(t + 10, 10)).map((r) => r.key)).toEqual(['d1']);
  });

  it('the silence index: concurrent API silences all kept, one expired early, the record expires last', async () => {
    const s = await make(now);
    const service = new SilenceService(s, []);
    const silence = (i: number) => ({
      endsAt: new Date(clock.t + (i + 1) * 3600_000).toISOString(),
      matchers: { instances: [`i-${i}`] },
      createdBy: 'test',
    });
    const made = await Promise.all([0, 1, 2, 3, 4].map((i) => service.create(silence(i), 'body', clock.t)));
    const ids = made.map((x) => x.id).sort();
    expect((await service.list(clock.t)).silences.map((x) => x.id).sort()).toEqual(ids);
    expect(await service.expire('sil_AAAAAAAAAAAAAAAA', clock.t)).toBeUndefined();
    const last = made.find((x) => x.matchers.instances[0] === 'i-4');
    expect(await service.expire(last?.id ?? '', clock.t + 1000)).toMatchObject({
      expiredAt: new Date(clock.t + 1000).toISOString(),
    });
    const stored = await s.get(keys.silences);
    expect(stored?.expiresAt).toBe(clock.t + 4 * 3600_000 + SILENCE_LIMITS.keepEndedMs);
  });

  it('scan pages through the live records of a prefix and nothing else', async () => {
    const s = await make(now);
    for (let i = 0; i < 7; i++) await s.put(`outbox#${i}`, { i });
    await s.put('outbox#gone', { i: -1 }, { expiresAt: clock.t - 1 });
    await s.put('seen#1', { i: 100 });
    await s.put('outboxes', { i: 200 });
    const seen = new Map<string, unknown>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.scan('outbox#', 3, cursor);
      for (const v of page.items) seen.set(v.key, v.value);
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 50);
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: 7 }, (_, i) => `outbox#${i}`));
    expect(seen.get('outbox#3')).toEqual({ i: 3 });
    expect(pages).toBeGreaterThan(1);
  });

  it('getMany handles more than one batch', async () => {
    const s = await make(now);
    await Promise.all(Array.from({ length: 130 }, (_, i) => s.put(`k${i}`, { i })));
    const got = await s.getMany(Array.from({ length: 150 }, (_, i) => `k${i}`));
    expect(got.size).toBe(130);
  });
});

describe('RedisStore on a Redis Cluster (three masters)', () => {
  it('puts every key of a store in one slot, and the store spans masters by prefix', async () => {
    const raw = connectRedis(clusterSeed());
    try {
      const slots = new Set<number>();
      for (const prefix of ['dtf:', 'a:', 'b:', 'c:', 'd:', 'e:']) {
        const store = new RedisStore({ client: raw, keyPrefix: prefix });
        await store.create('k1', { a: 1 }, { due: 1 });
        await store.put('k2', { a: 2 });
        const keys = [`{${prefix}}r:k1`, `{${prefix}}r:k2`, `{${prefix}}due`];
        const keySlots = await Promise.all(keys.map((k) => raw.cluster('KEYSLOT', k)));
        expect(new Set(keySlots).size).toBe(1);
        slots.add(Number(keySlots[0]));
      }
      expect(slots.size).toBeGreaterThan(1);
    } finally {
      raw.disconnect();
    }
  });

  it('two processes, ten repetitions: one winner per contested create and update, no put lost', async () => {
    const WORKER = join(__dirname, 'redisStoreWorker.ts');
    const port = String(cluster.nodes[0]?.port ?? 0);
    const run = (name: string) =>
      new Promise<string>((resolve, reject) => {
        const args = ['--import', 'tsx', WORKER, 'race', port, 'crace', name, 'cluster', '10'];
        const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${name} exited ${code}`))));
      });
    const [a, b] = (await Promise.all([run('A'), run('B')])).map(
      (r) => JSON.parse(r) as { wins: string[]; updates: string[] }[],
    );
    const figures: { duplicates: number; lost: number }[] = [];
    for (let rep = 0; rep < 10; rep++) {
      const wins = [...(a?.[rep]?.wins ?? []), ...(b?.[rep]?.wins ?? [])];
      const updates = [...(a?.[rep]?.updates ?? []), ...(b?.[rep]?.updates ?? [])];
      const store = new RedisStore({ client: connectRedis(clusterSeed()), keyPrefix: `crace${rep}:` });
      redisStores.push(store);
      const own = await store.getMany(['A', 'B'].flatMap((n) => Array.from({ length: 40 }, (_, i) => `own-${n}-${i}`)));
      const contested = await store.getMany(Array.from({ length: 40 }, (_, i) => `contested-${i}`));
      const updated = [...contested.values()].filter((r) => r.version === 2 && r.value.updated === true);
      const due = await store.listDue(100, 100);
      figures.push({
        duplicates: wins.length - new Set(wins).size + (updates.length - new Set(updates).size),
        // Puts not found, contested keys nobody won or updated, due entries missing.
        lost: 80 - own.size + (40 - new Set(wins).size) + (40 - updated.length) + (40 - due.length),
      });
      expect(wins).toHaveLength(40);
      expect(updates).toHaveLength(40);
    }
    console.log(`redis cluster race, 2 processes x 10 repetitions: ${JSON.stringify(figures)}`);
    expect(figures.every((f) => f.duplicates === 0 && f.lost === 0)).toBe(true);
  }, 120_000);
});

describe('DynamoStore round trips', () => {
  it('getMany sends its BatchGetItem chunks concurrently, not one after another', async () => {
    const table = await dyn.newTable();
    const s = new DynamoStore({ table, client: dyn.client });
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.put(`k${i * 8}`, { i })));
    const send = dyn.client.send.bind(dyn.client) as (command: unknown) => Promise<unknown>;
    let inFlight = 0;
    let maxInFlight = 0;
    let batches = 0;
    const spy = vi.spyOn(dyn.client, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof BatchGetItemCommand) {
        batches++;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
      }
      try {
        return await send(command);
      } finally {
        if (command instanceof BatchGetItemCommand) inFlight--;
      }
    }) as typeof dyn.client.send);
    try {
      const got = await s.getMany(Array.from({ length: 400 }, (_, i) => `k${i}`));
      expect(got.size).toBe(50);
      expect(batches).toBe(4);
      expect(maxInFlight).toBeGreaterThan(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('FileStore across processes', () => {
  it('two processes writing at once lose nothing and both see one winner per conditional create', async () => {
    const path = join(dir, 'shared.json');
    const script = join(__dirname, 'fileStoreWorker.ts');
    const worker = (name: string) =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', script, path, name], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${name} exited ${code}`))));
      });
    const [a, b] = await Promise.all([worker('A'), worker('B')]);
    const wins = JSON.parse(a).wins + JSON.parse(b).wins;
    expect(wins).toBe(40); // 40 contested keys, one winner each
    const data = JSON.parse(readFileSync(path, 'utf8')) as { records: Record<string, { value: { by: string } }> };
    const own = Object.keys(data.records).filter((k) => k.startsWith('own-'));
    expect(own).toHaveLength(80); // 40 unconditional puts from each process, none lost
  }, 60_000);
});
