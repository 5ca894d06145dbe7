import { afterEach, describe, expect, it } from 'vitest';
import { claimable, claimableAhead, queue } from '../../lib/notify/deliver/outbox';
import { cursorOf, keys, outboxKey, outboxOf, rateOf, readRecord, seenOf } from '../../lib/notify/records';
import type { Notification } from '../../lib/notify/types';
import type { StoredValue, Versioned } from '../../lib/state/types';
import { createHarness, type Harness } from './harness';

const t0 = Date.UTC(2026, 11, 5, 12, 0, 0);
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
const item = (key: string, value: StoredValue, due?: number): Versioned => ({
  key,
  version: 1,
  value,
  ...(due !== undefined ? { due } : {}),
});
const good = queue(notification, t0, 3_600_000).record;

/** Stored values that are not outbox records, each with the field its reader names. */
const BAD_OUTBOX: [string, StoredValue, RegExp][] = [
  ['no notification', { ...good, notification: undefined }, /^value\.notification: must be an object/],
  ['an unknown state', { ...good, state: 'sent' }, /^value\.state: must be one of/],
  ['attempts as text', { ...good, attempts: '1' }, /^value\.attempts: must be a number/],
  ['createdAt missing', { ...good, createdAt: undefined }, /^value\.createdAt: is required/],
  ['a NaN claim', { ...good, claimedUntil: Number.NaN }, /^value\.claimedUntil: must be a number/],
  ['an unknown event', { ...good, notification: { ...notification, event: 'exploded' } }, /notification\.event/],
  ['a task without id', { ...good, notification: { ...notification, task: { name: 'x' } } }, /notification\.task\.id/],
  ['routes not a list', { ...good, notification: { ...notification, routes: 'ops' } }, /notification\.routes/],
  ['an array', { list: [good] }, /^value\.notification/],
];

describe('typed readers of stored records', () => {
  it('reads back what the notifier writes, field for field', () => {
    expect(readRecord.outbox(item('outbox#msg_1', good))).toEqual({ ok: true, record: good });
    expect(cursorOf(item('cursor#p#i', { lastScanAt: '2026-12-05T12:00:00.000Z', baselineDone: true }))).toEqual({
      lastScanAt: '2026-12-05T12:00:00.000Z',
      baselineDone: true,
    });
    expect(seenOf(item('seen#p#i#t', { failed: 'FAILED', stuck: true, stuckAt: t0 }))).toMatchObject({
      failed: 'FAILED',
      stuck: true,
      stuckAt: t0,
    });
  });

  it.each(BAD_OUTBOX)('an outbox record with %s is malformed, naming the field', (_label, value, problem) => {
    const read = readRecord.outbox(item('outbox#msg_1', value));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.malformed).toEqual({ key: 'outbox#msg_1', problem: expect.stringMatching(problem) });
    expect(outboxOf(item('outbox#msg_1', value))).toBeUndefined();
  });

  it('a malformed outbox item is never claimed, due or ahead (not crashed on, not sent)', () => {
    for (const [, value] of BAD_OUTBOX) {
      expect(claimable(item('outbox#x', value, t0), t0)).toBeUndefined();
      expect(claimableAhead(item('outbox#x', value, t0 + 1), t0)).toBeUndefined();
    }
    expect(claimable(item('outbox#x', good, t0), t0)).toEqual(good);
  });

  it('a malformed cursor scans as baseline done with no last scan: notify rather than hide', () => {
    for (const value of [{ lastScanAt: 5, baselineDone: true }, { lastScanAt: '' }, { baselineDone: 'yes' }]) {
      expect(cursorOf(item('cursor#p#i', value))).toEqual({ lastScanAt: '', baselineDone: true });
    }
    expect(cursorOf(undefined)).toBeUndefined();
  });

  it('a malformed seen record reads as nothing recorded', () => {
    for (const value of [{ stuck: 'yes' }, { stuckAt: '12:00' }, { failed: 1 }, { reminders: null }]) {
      expect(readRecord.seen(item('seen#p#i#t', value)).ok).toBe(false);
      expect(seenOf(item('seen#p#i#t', value))).toBeUndefined();
    }
  });

  it('a rate record reads its send times and Retry-After; a malformed one as none (the limiter starts afresh)', () => {
    expect(rateOf(item('rate#hook', { sent: [t0, t0 + 1], notBefore: t0 + 60_000 }))).toEqual({
      sent: [t0, t0 + 1],
      notBefore: t0 + 60_000,
    });
    for (const value of [{ sent: 'recently' }, { sent: [t0, 'x'] }, { sent: [], notBefore: '12:00' }]) {
      expect(readRecord.rate(item('rate#hook', value)).ok).toBe(false);
      expect(rateOf(item('rate#hook', value))).toEqual({ sent: [] });
    }
    expect(rateOf(undefined)).toEqual({ sent: [] });
  });

  it('one outbox key per notification, a reminder each its own', () => {
    const key = outboxKey('p', 'i', 't', 'reminder', 'hook', 1);
    expect(key).toMatch(/^outbox#msg_[A-Za-z0-9_-]{32}$/);
    expect(outboxKey('p', 'i', 't', 'reminder', 'hook', 2)).not.toBe(key);
    expect(outboxKey('p', 'i', 't', 'reminder', 'hook', 1)).toBe(key);
  });
});

describe('a run over malformed records (emulator + sink)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('does not crash, sends what is well formed, reports each malformed record by key and field', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const orders = h.addInstance('orders');
    await h.run();
    // Hand-written damage: an outbox item due now with no notification, a cursor with a numeric time,
    // a silence index entry with an impossible date.
    await h.store.put('outbox#msg_broken', { state: 'pending', attempts: 0 }, { due: h.clock.t });
    const cursorKey = keys.cursor(h.projectId, orders);
    await h.store.put(cursorKey, { lastScanAt: 12, baselineDone: true });
    await h.store.put(keys.silences, { silences: [{ id: 'sil_x', endsAt: '2027-02-30T00:00Z' }] });
    h.advance(5 * 60_000);
    h.fail(orders);
    expect(await h.run()).toMatchObject({ newFailures: 1, sent: 1, silenced: 0 });
    const warnings = h.logs.filter((l) => l.msg === 'malformed record');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'outbox#msg_broken', problem: expect.stringMatching(/^value\.notification/) }),
        expect.objectContaining({ key: cursorKey, problem: expect.stringMatching(/^value\.lastScanAt/) }),
        expect.objectContaining({ key: keys.silences, problem: expect.stringMatching(/^value\.silences\[0\]/) }),
      ]),
    );
    // The record phase wrote a valid cursor over the malformed one.
    expect(readRecord.cursor((await h.store.get(cursorKey)) ?? item(cursorKey, {})).ok).toBe(true);
    expect(h.sink.accepted).toHaveLength(1);
  });
});
