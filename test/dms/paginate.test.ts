import { afterEach, describe, expect, it } from 'vitest';
import { DmsClient, collectTasks, type OffsetParam } from '../../lib/dms';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator, type EmulatorOptions } from '../../dev/emulator';

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function setup(
  options: EmulatorOptions = {},
  offsetParam: OffsetParam = 'start',
): Promise<{ emu: Emulator; client: DmsClient }> {
  const emu = await startEmulator(options);
  started.push(emu);
  const client = new DmsClient({
    projectId: SEED_IDS.mainProject,
    endpoint: emu.url,
    credentials: EMULATOR_CREDENTIALS,
    offsetParam,
  });
  return { emu, client };
}

describe('collectTasks (pagination that trusts no single reading of the contract)', () => {
  it('walks every page of a 64-task instance with start, newest first, no duplicates', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.tasks).toHaveLength(64);
    expect(new Set(r.tasks.map((t) => t.id)).size).toBe(64);
    expect(r.tasks.map((t) => t.created_at)).toEqual([...r.tasks.map((t) => t.created_at)].sort().reverse());
    expect(r.truncated).toBe(false);
    expect(r.pages).toBe(7);
    expect(emu.requests.map((q) => q.query.start)).toEqual(['0', '10', '20', '30', '40', '50', '60']);
  });

  it('works the same with offset against a server that only knows offset', async () => {
    const { emu, client } = await setup({ acceptedOffsetParams: ['offset'] }, 'offset');
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 50 });
    expect(r.tasks).toHaveLength(64);
    expect(emu.requests.every((q) => q.query.offset !== undefined && q.query.start === undefined)).toBe(true);
  });

  it('stops instead of looping when the server ignores the offset name we send', async () => {
    const { emu, client } = await setup({ acceptedOffsetParams: ['offset'] }, 'start');
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.stopReason).toBe('no-new');
    expect(r.tasks).toHaveLength(10);
    expect(emu.requests).toHaveLength(2);
  });

  it('de-duplicates when the server counts from 1', async () => {
    const { client } = await setup({ offsetBase: 1 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(new Set(r.tasks.map((t) => t.id)).size).toBe(r.tasks.length);
    expect(r.tasks.length).toBeGreaterThanOrEqual(63);
  });

  it('keeps going through short pages when the server clamps limit but task_count says more remain', async () => {
    const { emu, client } = await setup({ maxLimit: 20 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 50 });
    expect(r.tasks).toHaveLength(64);
    expect(emu.requests.map((q) => q.query.start)).toEqual(['0', '20', '40', '60']);
  });

  it('stops on an empty instance after one request', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaEmpty });
    expect(r.tasks).toEqual([]);
    expect(r.stopReason).toBe('empty');
    expect(emu.requests).toHaveLength(1);
  });

  it('respects the hard page bound and says so', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10, maxPages: 3 });
    expect(r).toMatchObject({ truncated: true, stopReason: 'max-pages', pages: 3, nextOffset: 30 });
    expect(r.tasks).toHaveLength(30);
    expect(emu.requests).toHaveLength(3);
  });

  it('passes begin_time and end_time through on every page', async () => {
    const { emu, client } = await setup();
    await collectTasks(client, {
      instanceId: SEED_IDS.kafkaPaged,
      beginTime: '20000101000000',
      endTime: '20991231235959',
      pageSize: 50,
    });
    expect(
      emu.requests.every((q) => q.query.begin_time === '20000101000000' && q.query.end_time === '20991231235959'),
    ).toBe(true);
  });
});
