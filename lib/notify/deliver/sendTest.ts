import { randomUUID } from 'node:crypto';
import type { SecretOptions } from '../../secrets/resolveSecret';
import type { CredentialsProvider } from '../../signing/credentials';
import type { StateStore } from '../../state/types';
import { CHANNELS } from '../channels';
import { TEST_TITLE } from '../channels/render';
import { DELIVERY } from '../constants';
import { keys, type OutboxRecord } from '../records';
import type { Notification, NotifyConfig } from '../types';
import { postMessage } from './post';
import { resolveDestinations } from './resolveDestinations';
import type { Resolver } from './urlPolicy';

/**
 * At most one test per destination in this window, held in the store (every warm instance agrees):
 * a test button pressed twice, or a script in a loop, cannot flood a channel.
 * @default 10000
 */
export const TEST_INTERVAL_MS = 10_000;

/** What a test send answers: the receiver's status, its short reason, the time taken. Never the URL. */
export interface TestSendResult {
  readonly destinationId: string;
  readonly type: string;
  readonly delivered: boolean;
  /** The receiver's HTTP status, when an answer arrived. */
  readonly status?: number;
  /** `delivered`, or why not (`HTTP 404`, `timeout after 5000 ms`, `host resolves to a non-public address`). */
  readonly reason: string;
  readonly ms: number;
  /** The history id of the test (`GET /ops/v1/history` lists it, marked `test`). */
  readonly id: string;
  readonly sentAt: string;
}

/** A second test within `TEST_INTERVAL_MS`: how long to wait. */
export class TestTooSoonError extends Error {
  override readonly name = 'TestTooSoonError';
  constructor(readonly retryAfterMs: number) {
    super('one test per destination every 10 seconds');
  }
}

export interface TestSendDeps {
  readonly store: StateStore;
  /** How the destination's URL and secrets are read (the function's own secret options). */
  readonly secrets: SecretOptions;
  /** The credentials SMN signs with. */
  readonly credentials?: CredentialsProvider;
  /** @default Date.now */
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly resolve?: Resolver;
}

function testNotification(destinationId: string, now: number): Notification {
  const at = new Date(now).toISOString();
  return {
    id: `test_${randomUUID().replaceAll('-', '')}`,
    destinationId,
    event: 'failed',
    test: true,
    projectId: '-',
    region: '-',
    instanceId: 'test',
    instanceName: 'test',
    engine: 'test',
    task: { id: 'test', name: TEST_TITLE, status: 'TEST', user_name: '', created_at: at, updated_at: at },
    detectedAt: at,
  };
}

/**
 * Sends one clearly marked test notification to `destinationId` through the same channel code, URL
 * policy and transport as the notifier, and records it in the history (state `delivered` or `dead`,
 * `test: true`). Throws `TestTooSoonError` within `TEST_INTERVAL_MS` of the last test of that destination.
 * The caller has checked that the destination exists.
 */
export async function sendTestNotification(
  config: NotifyConfig,
  destinationId: string,
  deps: TestSendDeps,
): Promise<TestSendResult> {
  const now = deps.now ?? Date.now;
  const dest = config.destinations.get(destinationId);
  if (!dest) throw new RangeError(`no destination ${destinationId}`);
  const start = now();
  const gateKey = keys.testGate(destinationId);
  if (!(await deps.store.create(gateKey, { at: start }, { expiresAt: start + TEST_INTERVAL_MS }))) {
    const held = await deps.store.get(gateKey);
    const at = held && typeof held.value.at === 'number' ? held.value.at : start;
    throw new TestTooSoonError(Math.max(1000, at + TEST_INTERVAL_MS - start));
  }
  const n = testNotification(destinationId, start);
  let status: number | undefined;
  let reason: string;
  let delivered = false;
  try {
    const resolved = (
      await resolveDestinations({ ...config, destinations: new Map([[destinationId, dest]]) }, deps.secrets)
    ).get(destinationId);
    if (!resolved) throw new Error('destination did not resolve');
    const channel = CHANNELS[dest.type];
    const req = channel.build(resolved, [n], {
      now: new Date(start),
      maxItems: 1,
      ...(deps.credentials ? { credentials: deps.credentials } : {}),
    });
    const outcome = await postMessage(channel, req, {
      timeoutMs: dest.timeoutMs,
      now,
      publicOnly: !config.allowInsecureWebhooks,
      onStatus: (s) => {
        status = s;
      },
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    });
    delivered = outcome.kind === 'delivered';
    reason = outcome.kind === 'delivered' ? 'delivered' : outcome.reason;
  } catch (err) {
    // resolveDestinations names the destination and the reference, never a value.
    reason = err instanceof Error ? err.message : 'failed';
  }
  const done = now();
  const record: OutboxRecord = {
    notification: n,
    state: delivered ? 'delivered' : 'dead',
    attempts: 1,
    createdAt: start,
    doneAt: done,
    ...(delivered ? {} : { lastError: reason }),
  };
  await deps.store.put(keys.outbox(n.id), { ...record }, { expiresAt: done + DELIVERY.keepDoneMs });
  return {
    destinationId,
    type: dest.type,
    delivered,
    ...(status !== undefined ? { status } : {}),
    reason,
    ms: done - start,
    id: n.id,
    sentAt: new Date(start).toISOString(),
  };
}
