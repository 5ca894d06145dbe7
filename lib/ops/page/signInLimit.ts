import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { keys } from '../../notify/records';
import type { StateStore } from '../../state/types';
import { readSignInBucket, type SignInBucketRecord } from './sessionRecords';

/** One token bucket: `capacity` attempts at once, then one more every `intervalSeconds`. */
export interface BucketRule {
  readonly capacity: number;
  readonly intervalSeconds: number;
}

/**
 * Sign-in attempts of one client (one IPv4 address, one IPv6 /64): 10 at once, then one every 30 s
 * (120 an hour). A person who mistypes is never held; a guesser gets 2 a minute.
 */
export const CLIENT_SIGN_IN_RULE: BucketRule = { capacity: 10, intervalSeconds: 30 };

/**
 * Sign-in attempts of everyone together: 100 at once, then one every 3 s (20 a minute), so many
 * addresses together still guess slowly. The price: a flood from many addresses also holds real
 * users back until it stops (the gateway's own throttling is the first line against a flood).
 */
export const ALL_SIGN_IN_RULE: BucketRule = { capacity: 100, intervalSeconds: 3 };

/** Conditional-write rounds per bucket before an attempt is refused (contention means a flood). */
const MAX_WRITE_ROUNDS = 5;

/** What the limiter answers. */
export type SignInVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly scope: 'client' | 'all'; readonly retryAfterSeconds: number };

/** Options of {@link SignInLimiter}. */
export interface SignInLimiterOptions {
  /** @default CLIENT_SIGN_IN_RULE (10, then one per 30 s) */
  readonly client?: BucketRule;
  /** @default ALL_SIGN_IN_RULE (100, then one per 3 s) */
  readonly all?: BucketRule;
}

/** The bucket after taking one token at `now`, or the wait (ms) until one is there. Pure. */
export function takeToken(
  bucket: SignInBucketRecord | undefined,
  rule: BucketRule,
  now: number,
): { readonly next: SignInBucketRecord } | { readonly waitMs: number } {
  const intervalMs = rule.intervalSeconds * 1000;
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  const tokens = bucket ? Math.min(rule.capacity, bucket.tokens + elapsed / intervalMs) : rule.capacity;
  // Rounded to a microsecond first: 1 - 1/3 of 30 s is 20 s, not 20.000000001 (then a second more).
  if (tokens < 1) return { waitMs: Math.ceil(Math.round((1 - tokens) * intervalMs * 1000) / 1000) };
  return { next: { tokens: tokens - 1, at: now } };
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  if (tail === undefined) return part(head);
  const left = part(head);
  const right = part(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The client part of an address: an IPv4 address, or the /64 of an IPv6 one (one host usually holds
 * a whole /64), an IPv4-mapped IPv6 address as its IPv4. `undefined` for anything else.
 */
export function clientPrefix(address: string | undefined): string | undefined {
  const a = (address ?? '').trim().toLowerCase();
  if (isIPv4(a)) return a;
  if (!isIPv6(a)) return undefined;
  const g = ipv6Groups(a);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [hi = 0, lo = 0] = g.slice(6);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}

/**
 * Sign-in attempts limited per client and overall (issue 20 item 5), counted in the state store so
 * every warm instance shares the count: two token buckets, each a record updated with conditional
 * writes. Every attempt counts, right or wrong, and is counted before the token is checked, so a
 * limited client learns nothing. A client without a gateway-given address counts in the overall
 * bucket only.
 */
export class SignInLimiter {
  readonly #store: StateStore;
  readonly #client: BucketRule;
  readonly #all: BucketRule;

  constructor(store: StateStore, options: SignInLimiterOptions = {}) {
    this.#store = store;
    this.#client = options.client ?? CLIENT_SIGN_IN_RULE;
    this.#all = options.all ?? ALL_SIGN_IN_RULE;
  }

  /** Takes one attempt for `sourceIp` (and for everyone) at `now`, or says how long to wait. */
  async take(sourceIp: string | undefined, now: number): Promise<SignInVerdict> {
    const prefix = clientPrefix(sourceIp);
    if (prefix !== undefined) {
      const hash = createHash('sha256').update(prefix, 'utf8').digest('base64url').slice(0, 22);
      const waitMs = await this.#take(keys.signInClient(hash), this.#client, now);
      if (waitMs > 0) return { allowed: false, scope: 'client', retryAfterSeconds: Math.ceil(waitMs / 1000) };
    }
    const waitMs = await this.#take(keys.signInAll, this.#all, now);
    if (waitMs > 0) return { allowed: false, scope: 'all', retryAfterSeconds: Math.ceil(waitMs / 1000) };
    return { allowed: true };
  }

  /** One token of the bucket at `key`: 0 when taken, else the wait in ms. */
  async #take(key: string, rule: BucketRule, now: number): Promise<number> {
    for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
      const stored = await this.#store.get(key);
      // A value that is not a bucket is replaced by a full one (never a lock-out nobody can lift).
      const bucket = stored ? readSignInBucket(key, stored.value) : undefined;
      const taken = takeToken(bucket, rule, now);
      if ('waitMs' in taken) return taken.waitMs;
      // The store drops the record once the bucket would be full again: absent means full.
      const expiresAt = now + Math.ceil((rule.capacity - taken.next.tokens) * rule.intervalSeconds * 1000);
      const written = stored
        ? await this.#store.update(key, stored.version, taken.next, { expiresAt })
        : await this.#store.create(key, taken.next, { expiresAt });
      if (written) return 0;
    }
    // Every round lost a race: many attempts at once. Refused, as a flood should be.
    return 1000;
  }
}
