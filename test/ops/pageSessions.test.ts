import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite } from '../../dev/dynalite';
import { startRedisServer, type RedisServer } from '../../dev/redisServer';
import { keys } from '../../lib/notify/records';
import { PageSessions, SESSION_CLOCK_SKEW_SECONDS } from '../../lib/ops/page/pageSessions';
import { SessionSigner, sessionKey } from '../../lib/ops/page/session';
import { clientPrefix, SignInLimiter, takeToken, type SignInVerdict } from '../../lib/ops/page/signInLimit';
import { connectRedis } from '../../lib/state/connectRedis';
import { DynamoStore } from '../../lib/state/dynamoStore';
import { FileStore } from '../../lib/state/fileStore';
import { RedisStore } from '../../lib/state/redisStore';
import type { StateStore } from '../../lib/state/types';

/**
 * Issue 20 item 5 on the three real stores: sessions end on sign-out for every instance, a value
 * signed with the (token-derived) key is worth nothing unless it was issued and is within its
 * lifetime, and sign-in attempts are counted per client and overall in the store. "Two instances"
 * are two store clients of one backend (two FileStore objects on one file, two Redis connections,
 * two DynamoDB clients on one table), as two warm functions are.
 */
const TOKEN = 'page-token-0123456789abcdef';
const HOUR = 3_600_000;
const T0 = 1_800_000_000_000;

let dyn: Awaited<ReturnType<typeof startDynalite>>;
let redis: RedisServer;
const closers: (() => Promise<void>)[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sessions-'));
beforeAll(async () => {
  [dyn, redis] = await Promise.all([startDynalite(), startRedisServer()]);
}, 60_000);
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all([dyn?.close(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Two clients of one new backend, on one clock. */
const backends: [string, (now: () => number) => Promise<[StateStore, StateStore]>][] = [
  [
    'FileStore',
    async (now) => {
      const path = join(dir, `s${++n}.json`);
      return [new FileStore(path, { now }), new FileStore(path, { now })];
    },
  ],
  [
    'DynamoStore (dynalite)',
    async (now) => {
      const table = await dyn.newTable();
      return [new DynamoStore({ table, client: dyn.client, now }), new DynamoStore({ table, client: dyn.client, now })];
    },
  ],
  [
    'RedisStore (redis-server)',
    async (now) => {
      const keyPrefix = `sessions${++n}:`;
      const made = [0, 1].map(() => new RedisStore({ client: connectRedis(redis), keyPrefix, now }));
      for (const s of made) closers.push(() => s.close());
      return [made[0], made[1]] as [RedisStore, RedisStore];
    },
  ],
];

const signer = new SessionSigner(sessionKey(undefined, [TOKEN]));
/** The nonce of a session value (`v1.{expiry}.{nonce}.{mac}`). */
const nonceOf = (value: string): string => value.split('.')[2] ?? '';

describe.each(backends)('%s', (_name, make) => {
  it('a session opened on one instance works on the other; sign-out on either ends it on both', async () => {
    const clock = { t: T0 };
    const [a, b] = await make(() => clock.t);
    const onA = new PageSessions(a, signer);
    const onB = new PageSessions(b, signer);
    const { value, maxAgeSeconds } = await onA.open(clock.t);
    expect(maxAgeSeconds).toBe(3600);
    expect(await onB.check(value, clock.t)).toBe(true);
    clock.t += 10 * 60_000;
    await onB.revoke(value, clock.t);
    expect(await onA.check(value, clock.t)).toBe(false);
    expect(await onB.check(value, clock.t)).toBe(false);
    // Revoking again, or a value that is no session, changes nothing and throws nothing.
    await onA.revoke(value, clock.t);
    await onA.revoke('v1.garbage', clock.t);
    const other = await onA.open(clock.t);
    expect(await onB.check(other.value, clock.t)).toBe(true);
  });

  it('expiry is always enforced: the lifetime, the store record, and a re-signed expiry', async () => {
    const clock = { t: T0 };
    const [a] = await make(() => clock.t);
    const sessions = new PageSessions(a, signer, { lifetimeSeconds: 600 });
    const { value } = await sessions.open(clock.t);
    const expiresAt = Math.floor((T0 + 600_000) / 1000) * 1000;
    expect(await sessions.check(value, expiresAt - 1)).toBe(true);
    expect(await sessions.check(value, expiresAt)).toBe(false);
    // The same nonce signed again with a later expiry (a holder of the key): the record names the real one.
    for (const later of [expiresAt + 1000, expiresAt + 60_000, T0 + 599_000 + 5000]) {
      const resigned = signer.issue(later, nonceOf(value));
      expect(await sessions.check(resigned, T0 + 1000), String(later)).toBe(false);
    }
  });

  it('a value signed with the token-derived key but never issued is refused, whatever expiry it names', async () => {
    const clock = { t: T0 };
    const [a] = await make(() => clock.t);
    const sessions = new PageSessions(a, signer);
    const expiries = [
      T0 + 1000,
      T0 + 60_000,
      T0 + HOUR - 1000,
      T0 + HOUR,
      T0 + HOUR + SESSION_CLOCK_SKEW_SECONDS * 1000,
      T0 + HOUR + 6000,
      T0 + 24 * HOUR,
      T0 + 365 * 24 * HOUR,
      999_999_999_999_000,
      T0 - 1000,
      0,
    ];
    for (const expiry of expiries) {
      const forged = signer.issue(expiry);
      expect(signer.read(forged), 'the signature itself holds').toBeDefined();
      expect(await sessions.check(forged, clock.t), String(expiry)).toBe(false);
    }
    // Beyond the lifetime is refused before the store is asked: a store that fails every call is not reached.
    const asked = (): Promise<never> => Promise.reject(new Error('the store was asked'));
    const refusing: StateStore = {
      get: asked,
      getMany: asked,
      put: asked,
      create: asked,
      update: asked,
      listDue: asked,
      scan: asked,
    };
    const failing = new PageSessions(refusing, signer);
    expect(await failing.check(signer.issue(T0 + 2 * HOUR), T0)).toBe(false);
    await expect(failing.check(signer.issue(T0 + HOUR), T0)).rejects.toThrow('the store was asked');
  });

  it('a stored record that is not a session record is no session', async () => {
    const clock = { t: T0 };
    const [a] = await make(() => clock.t);
    const sessions = new PageSessions(a, signer);
    const { value } = await sessions.open(clock.t);
    const id = signer.read(value)?.id ?? '';
    for (const bad of [
      {},
      { issuedAt: 'x', expiresAt: 1 },
      { issuedAt: T0, expiresAt: -1 },
      { expiresAt: T0 + HOUR },
    ]) {
      await a.put(keys.session(id), bad);
      expect(await sessions.check(value, clock.t), JSON.stringify(bad)).toBe(false);
    }
  });

  it('a stored bucket that is not a bucket counts as full: never a lock-out nobody can lift', async () => {
    const [a] = await make(() => T0);
    const limiter = new SignInLimiter(a);
    for (const bad of [{}, { tokens: -1, at: T0 }, { tokens: 'x', at: T0 }, { tokens: 0 }]) {
      await a.put(keys.signInAll, bad);
      expect(await limiter.take(undefined, T0), JSON.stringify(bad)).toEqual({ allowed: true });
    }
  });

  it('sign-in attempts: 10 per client then one per 30 s, counted across instances; 100 overall', async () => {
    const clock = { t: T0 };
    const [a, b] = await make(() => clock.t);
    const limiters = [new SignInLimiter(a), new SignInLimiter(b)];
    const verdicts = [];
    for (let i = 0; i < 12; i++) verdicts.push(await (limiters[i % 2] as SignInLimiter).take('198.51.100.7', clock.t));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(10);
    expect(verdicts[10]).toEqual({ allowed: false, scope: 'client', retryAfterSeconds: 30 });
    clock.t += 10_000;
    expect(await limiters[0]?.take('198.51.100.7', clock.t)).toEqual({
      allowed: false,
      scope: 'client',
      retryAfterSeconds: 20,
    });
    clock.t += 20_000;
    expect((await limiters[1]?.take('198.51.100.7', clock.t))?.allowed).toBe(true);
    // Overall: 100 at once, refilled by one per 3 s: 30 s after the first attempts it is full again
    // (100), less the one just taken; addresses that never tried are refused all the same after that.
    let allowed = 0;
    let refused: SignInVerdict | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const v = await (limiters[i % 2] as SignInLimiter).take(`203.0.113.${i % 250}`, clock.t);
      if (v.allowed) allowed++;
      else refused = v;
    }
    expect(allowed).toBe(99);
    expect(refused).toEqual({ allowed: false, scope: 'all', retryAfterSeconds: 3 });
    expect((await limiters[0]?.take(undefined, clock.t))?.allowed).toBe(false);
  });

  it('20 attempts at once from one client: never more than 10 let through', async () => {
    const [a, b] = await make(() => T0);
    const limiters = [new SignInLimiter(a), new SignInLimiter(b)];
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (limiters[i % 2] as SignInLimiter).take('2001:db8::1', T0)),
    );
    const allowed = verdicts.filter((v) => v.allowed).length;
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(10);
  });
});

describe('sign-in buckets (pure parts)', () => {
  it('takeToken: full when absent, refills by time, never above capacity', () => {
    const rule = { capacity: 2, intervalSeconds: 10 };
    const one = takeToken(undefined, rule, 0);
    expect(one).toEqual({ next: { tokens: 1, at: 0 } });
    const empty = takeToken({ tokens: 0.5, at: 0 }, rule, 0);
    expect(empty).toEqual({ waitMs: 5000 });
    expect(takeToken({ tokens: 0, at: 0 }, rule, 10_000)).toEqual({ next: { tokens: 0, at: 10_000 } });
    expect(takeToken({ tokens: 0, at: 0 }, rule, 1e9)).toEqual({ next: { tokens: 1, at: 1e9 } });
    // A bucket stamped in the future (another instance's clock) does not fill backwards.
    expect(takeToken({ tokens: 0, at: 5000 }, rule, 0)).toEqual({ waitMs: 10_000 });
  });

  it('clientPrefix: an IPv4 address, an IPv6 /64, a mapped IPv4 as IPv4, nothing else', () => {
    expect(clientPrefix('198.51.100.7')).toBe('198.51.100.7');
    expect(clientPrefix('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientPrefix('::FFFF:c633:6407')).toBe('198.51.100.7');
    expect(clientPrefix('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientPrefix('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(clientPrefix('2001:0db8:0001:0002:ffff::')).toBe('2001:db8:1:2::/64');
    expect(clientPrefix('::1')).toBe('0:0:0:0::/64');
    for (const bad of [undefined, '', 'unknown', '198.51.100.7, 10.0.0.1', '1.2.3.4:80', '[::1]', 'x'.repeat(100)])
      expect(clientPrefix(bad), String(bad)).toBeUndefined();
  });
});
