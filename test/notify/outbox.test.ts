import { describe, expect, it } from 'vitest';
import { DELIVERY } from '../../lib/notify/constants';
import {
  claim,
  claimable,
  claimableAhead,
  maxAgeOf,
  pastMaxAge,
  queue,
  settleDead,
  settleDelivered,
  settleRetry,
} from '../../lib/notify/deliver/outbox';
import type { OutboxRecord } from '../../lib/notify/records';
import type { Notification } from '../../lib/notify/types';

const HOUR = 3600_000;
const MAX_AGE = 24 * HOUR;
const t0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const notification: Notification = {
  id: 'msg_1',
  destinationId: 'hook',
  event: 'failed',
  projectId: 'p',
  region: 'cn-north-4',
  instanceId: 'i',
  instanceName: 'one',
  engine: 'kafka',
  task: { id: 't', name: 'restartInstance', status: 'FAILED', user_name: 'u', created_at: '', updated_at: '' },
  detectedAt: new Date(t0).toISOString(),
};
const pending = queue(notification, t0, MAX_AGE).record;
const claimed = claim(pending, 'run-1', t0 + 5 * 60_000, MAX_AGE).record;

describe('outbox transitions', () => {
  it('queue: pending, due at once, kept for max age plus the remembered-id time', () => {
    expect(queue(notification, t0, MAX_AGE)).toEqual({
      record: { notification, state: 'pending', attempts: 0, createdAt: t0, nextAttemptAt: t0 },
      options: { due: t0, expiresAt: t0 + MAX_AGE + DELIVERY.keepDoneMs },
    });
  });

  it('claim: held by the run, listed again when the lease ends', () => {
    const w = claim(pending, 'run-1', t0 + 60_000, MAX_AGE);
    expect(w.record).toEqual({ ...pending, claimedBy: 'run-1', claimedUntil: t0 + 60_000 });
    expect(w.options).toEqual({ due: t0 + 60_000, expiresAt: t0 + MAX_AGE + DELIVERY.keepDoneMs });
  });

  it('claimable: pending and due; a claim is claimable again once its lease ran out', () => {
    const item = (value: OutboxRecord, due?: number) => ({
      key: 'k',
      version: 1,
      value,
      ...(due !== undefined ? { due } : {}),
    });
    expect(claimable(item(pending, t0), t0)).toEqual(pending);
    expect(claimable(item(pending, t0 + 1), t0)).toBeUndefined();
    expect(claimable(item(pending), t0)).toBeUndefined();
    expect(claimable(undefined, t0)).toBeUndefined();
    expect(claimable(item(claimed, t0 + 5 * 60_000), t0 + 60_000)).toBeUndefined(); // lease still held
    expect(claimable(item(claimed, t0 + 5 * 60_000), t0 + 5 * 60_000)).toEqual(claimed); // lease expired
    const done = settleDelivered(claimed, 1, t0).record;
    expect(claimable(item(done, t0), t0)).toBeUndefined();
  });

  it('claimableAhead: pending and held by no live claim, however far its due time (catch-up)', () => {
    const item = (value: OutboxRecord, due?: number) => ({
      key: 'k',
      version: 1,
      value,
      ...(due !== undefined ? { due } : {}),
    });
    const backingOff = settleRetry(claimed, { at: t0 + HOUR, attempts: 3, reason: 'HTTP 503' }, t0, MAX_AGE).record;
    expect(claimableAhead(item(backingOff, t0 + HOUR), t0)).toEqual(backingOff);
    expect(claimableAhead(item(pending, t0), t0)).toEqual(pending);
    expect(claimableAhead(item(claimed, t0 + 5 * 60_000), t0 + 60_000)).toBeUndefined(); // another run holds it
    expect(claimableAhead(item(claimed, t0 + 5 * 60_000), t0 + 5 * 60_000)).toEqual(claimed); // lease expired
    expect(claimableAhead(item(settleDelivered(claimed, 1, t0).record), t0)).toBeUndefined();
    expect(claimableAhead(item(backingOff), t0)).toBeUndefined(); // not listed
    expect(claimableAhead(undefined, t0)).toBeUndefined();
  });

  it('settleDelivered: claim and next attempt dropped, never listed, expires after the remembered-id time', () => {
    const w = settleDelivered(claimed, 2, t0 + 1000);
    expect(w.record).toEqual({ notification, state: 'delivered', attempts: 2, createdAt: t0, doneAt: t0 + 1000 });
    expect(w.options).toEqual({ expiresAt: t0 + 1000 + DELIVERY.keepDoneMs });
  });

  it('settleDead: the reason kept as lastError', () => {
    const w = settleDead(claimed, 'HTTP 410 (endpoint gone)', 1, t0 + 1000);
    expect(w.record).toEqual({
      notification,
      state: 'dead',
      attempts: 1,
      createdAt: t0,
      lastError: 'HTTP 410 (endpoint gone)',
      doneAt: t0 + 1000,
    });
    expect(w.options).toEqual({ expiresAt: t0 + 1000 + DELIVERY.keepDoneMs });
  });

  it('settleRetry: back to pending, due at the given time, capped at max age', () => {
    const w = settleRetry(claimed, { at: t0 + 60_000, attempts: 3, reason: 'HTTP 503' }, t0, MAX_AGE);
    expect(w.record).toEqual({ ...pending, attempts: 3, nextAttemptAt: t0 + 60_000, lastError: 'HTTP 503' });
    expect(w.options).toEqual({ due: t0 + 60_000, expiresAt: t0 + MAX_AGE + DELIVERY.keepDoneMs });
    const capped = settleRetry(claimed, { at: t0 + 2 * MAX_AGE, attempts: 3 }, t0, MAX_AGE);
    expect(capped.options.due).toBe(t0 + MAX_AGE);
  });

  it('settleRetry without a reason (deferred) keeps the earlier lastError', () => {
    const failedOnce = { ...claimed, lastError: 'HTTP 500' };
    expect(settleRetry(failedOnce, { at: t0, attempts: 1 }, t0, MAX_AGE).record.lastError).toBe('HTTP 500');
  });

  it('settleRetry past max age: dead instead, saying why it was not delivered', () => {
    const at = t0 + MAX_AGE;
    const w = settleRetry(claimed, { at: at + 1, attempts: 4, reason: 'HTTP 503' }, at, MAX_AGE);
    expect(w.record).toMatchObject({ state: 'dead', attempts: 4, lastError: 'max age reached (HTTP 503)', doneAt: at });
    const deferred = settleRetry(claimed, { at, attempts: 0 }, at, MAX_AGE);
    expect(deferred.record.lastError).toBe('max age reached (not delivered)');
  });

  it('max age from the configuration; reached at exactly createdAt + max age', () => {
    expect(maxAgeOf({ maxAgeHours: 2 })).toBe(2 * HOUR);
    expect(pastMaxAge(pending, t0 + MAX_AGE - 1, MAX_AGE)).toBe(false);
    expect(pastMaxAge(pending, t0 + MAX_AGE, MAX_AGE)).toBe(true);
  });

  it('does not change the record it is given', () => {
    const before = structuredClone(claimed);
    settleDelivered(claimed, 1, t0);
    settleRetry(claimed, { at: t0, attempts: 1, reason: 'x' }, t0, MAX_AGE);
    settleDead(claimed, 'x', 1, t0);
    expect(claimed).toEqual(before);
  });
});
