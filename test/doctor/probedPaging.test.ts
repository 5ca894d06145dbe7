import { afterEach, describe, expect, it } from 'vitest';
import { loadPagingRecord, pagingFromRecord } from '../../lib/notify/scan/pagingRecord';
import { doctorInputFrom } from '../../lib/ops/doctor/doctorInputFrom';
import { runDoctor } from '../../lib/ops/doctor/runDoctor';
import { createHarness, type Harness } from '../notify/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const base = { offsetParam: 'start', offsetBase: 1 } as const;

describe("the notifier's scan uses the paging the self-check found", () => {
  it('pagingFromRecord: the record where the document sets nothing, the document where it does', () => {
    const record = { param: 'offset', base: 0, countIsTotal: true, probedAt: 1 } as const;
    const none = { ...base, pagingExplicit: { param: false, base: false } };
    expect(pagingFromRecord(none, record)).toEqual({ offsetParam: 'offset', offsetBase: 0 });
    expect(pagingFromRecord({ ...base, pagingExplicit: { param: true, base: false } }, record)).toEqual({
      offsetParam: 'start',
      offsetBase: 0,
    });
    expect(pagingFromRecord({ ...base, pagingExplicit: { param: true, base: true } }, record)).toBeUndefined();
    expect(pagingFromRecord(none, undefined)).toBeUndefined();
    expect(pagingFromRecord(none, { ...record, param: 'start', base: 1 })).toBeUndefined();
  });

  it('offset only, from 0: after the self-check, every failure of a 3-page walk is announced', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      emulator: { acceptedOffsetParams: ['offset'], offsetBase: 0 },
    });
    const instance = h.addInstance('orders');
    for (let i = 0; i < 2; i += 1) h.emulator.addTask(h.projectId, instance, { status: 'SUCCESS' });
    const doc = { ...h.configDoc(), pageSize: 2 };
    const env = { ...h.env, DMS_TASKS_CONFIG: JSON.stringify(doc) };
    const report = await runDoctor(await doctorInputFrom(doc, { env, store: h.store, now: () => h?.clock.t ?? 0 }));
    expect(report.results.find((r) => r.check === 'dms.paging')?.evidence).toContain('honours offset from 0');
    const host = new URL(h.emulator.url).host;
    expect(await loadPagingRecord(h.store, host, h.projectId)).toMatchObject({ param: 'offset', base: 0 });
    const notifier = h.handler({ env });
    await notifier({ source: 'aws.events', 'detail-type': 'Scheduled Event' }); // baseline
    const failed = [0, 1, 2, 3, 4].map(() => h?.fail(instance) ?? '');
    h.advance(60_000);
    await notifier({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    const announced = h.sink.accepted.map((r) => JSON.stringify(r.body));
    for (const id of failed)
      expect(
        announced.some((b) => b.includes(id)),
        id,
      ).toBe(true);
    const listed = h.emulator.requests.filter((r) => r.path.endsWith('/tasks') && r.query.offset !== undefined);
    expect(listed.length).toBeGreaterThanOrEqual(2);
  });
});
