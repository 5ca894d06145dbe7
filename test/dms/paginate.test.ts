import { afterEach, describe, expect, it } from 'vitest';
import { DmsClient, collectTasks, type DmsClientOptions } from '../../lib/dms';
import { stalled, stopAfter } from '../../lib/dms/paginate';
import { OffsetParamMemory } from '../../lib/dms/offsetParamMemory';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator, type EmulatorOptions } from '../../dev/emulator';

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function setup(
  options: EmulatorOptions = {},
  client: Partial<DmsClientOptions> = {},
): Promise<{ emu: Emulator; client: DmsClient; all: string[] }> {
  const emu = await startEmulator(options);
  started.push(emu);
  const c = new DmsClient({
    projectId: SEED_IDS.mainProject,
    endpoint: emu.url,
    credentials: EMULATOR_CREDENTIALS,
    ...client,
  });
  return { emu, client: c, all: emu.tasks(SEED_IDS.mainProject, SEED_IDS.kafkaPaged).map((t) => t.id) };
}

const starts = (emu: Emulator): (string | undefined)[] => emu.requests.map((q) => q.query.start);

describe('collectTasks against the default emulator (1-based, 10 by default, up to 100, task_count the total)', () => {
  it('starts at 1 and asks 100 per page by default: 64 tasks in one request', async () => {
    const { emu, client, all } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(r).toMatchObject({ pages: 1, stopReason: 'total-reached', truncated: false, nextOffset: 65 });
    expect(emu.requests.map((q) => q.query)).toEqual([{ start: '1', limit: '100' }]);
  });

  it('advances by the tasks received, as Huawei’s Terraform provider does, and stops at task_count', async () => {
    const { emu, client, all } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(r.stopReason).toBe('total-reached');
    expect(starts(emu)).toEqual(['1', '11', '21', '31', '41', '51', '61']);
  });

  it('stops on a full last page once task_count tasks were seen (no empty request after it)', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 16 });
    expect(r.tasks).toHaveLength(64);
    expect(starts(emu)).toEqual(['1', '17', '33', '49']);
  });

  it('forwards a start below the base as given, then goes on from the base', async () => {
    const { emu, client, all } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 30, startOffset: 0 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(starts(emu)).toEqual(['0', '31', '61']);
  });

  it('from a later start: the tasks from there on, ending on task_count', async () => {
    const { emu, client, all } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 20, startOffset: 21 });
    expect(r.tasks.map((t) => t.id)).toEqual(all.slice(20));
    expect(starts(emu)).toEqual(['21', '41', '61']);
    expect(r.stopReason).toBe('total-reached');
  });

  it('stops on an empty instance after one request', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaEmpty });
    expect(r.tasks).toEqual([]);
    expect(r.stopReason).toBe('empty');
    expect(emu.requests).toHaveLength(1);
  });

  it('respects the hard page bound and says where to go on', async () => {
    const { emu, client } = await setup();
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10, maxPages: 3 });
    expect(r).toMatchObject({ truncated: true, stopReason: 'max-pages', pages: 3, nextOffset: 31 });
    expect(r.tasks).toHaveLength(30);
    expect(emu.requests).toHaveLength(3);
  });

  it('passes begin_time and end_time through on every page', async () => {
    const { emu, client } = await setup();
    await collectTasks(client, {
      instanceId: SEED_IDS.kafkaPaged,
      beginTime: '20000101000000',
      endTime: '20991231235959',
      pageSize: 20,
    });
    expect(emu.requests).toHaveLength(4);
    expect(
      emu.requests.every((q) => q.query.begin_time === '20000101000000' && q.query.end_time === '20991231235959'),
    ).toBe(true);
  });
});

describe('collectTasks against the other plausible servers (emulator modes)', () => {
  it('0-based server, offsetBase 0: starts at 0 and reads every task once', async () => {
    const { emu, client, all } = await setup({ offsetBase: 0 }, { offsetBase: 0 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(starts(emu)).toEqual(['0', '10', '20', '30', '40', '50', '60']);
  });

  it('0-based server, offsetBase 1 (the wrong base): the newest task is missed, never a loop', async () => {
    const { emu, client, all } = await setup({ offsetBase: 0 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.tasks.map((t) => t.id)).toEqual(all.slice(1));
    expect(r.stopReason).toBe('empty');
    expect(starts(emu)).toEqual(['1', '11', '21', '31', '41', '51', '61', '64']);
  });

  it('1-based server, offsetBase 0 (the wrong base): overlaps de-duplicated, nothing lost', async () => {
    const { client, all } = await setup({}, { offsetBase: 0 });
    for (const pageSize of [10, 16, 32, 100]) {
      const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize });
      expect(r.tasks.map((t) => t.id)).toEqual(all);
    }
  });

  it('a server allowing at most 50 per page: the short page goes on, as task_count says more remain', async () => {
    const { emu, client, all } = await setup({ maxLimit: 50 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(starts(emu)).toEqual(['1', '51']);
    expect(emu.requests.every((q) => q.query.limit === '100')).toBe(true);
  });

  it('a server clamping to 20: four short pages, every task', async () => {
    const { emu, client } = await setup({ maxLimit: 20 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 50 });
    expect(r.tasks).toHaveLength(64);
    expect(starts(emu)).toEqual(['1', '21', '41', '61']);
  });

  it('an offset-only server, offsetParam offset: every task', async () => {
    const { emu, client, all } = await setup({ acceptedOffsetParams: ['offset'] }, { offsetParam: 'offset' });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 25 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(emu.requests.map((q) => q.query.offset)).toEqual(['1', '26', '51']);
    expect(emu.requests.every((q) => q.query.start === undefined)).toBe(true);
  });

  it('an offset-only server sent start: the page that did not advance asked again as offset', async () => {
    const { emu, client, all } = await setup({ acceptedOffsetParams: ['offset'] });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(r).toMatchObject({
      stopReason: 'total-reached',
      incomplete: false,
      offsetParam: 'offset',
      switchedOffsetParam: true,
    });
    const sent = emu.requests.map((q) =>
      q.query.start !== undefined ? `start=${q.query.start}` : `offset=${q.query.offset}`,
    );
    expect(sent).toEqual([
      'start=1',
      'start=11',
      'offset=11',
      'offset=21',
      'offset=31',
      'offset=41',
      'offset=51',
      'offset=61',
    ]);
  });
});

const sentNames = (emu: Emulator): string[] =>
  emu.requests.map((q) => (q.query.start !== undefined ? 'start' : q.query.offset !== undefined ? 'offset' : 'none'));

describe('no silent short walk: the paging parameter name (SDK 3.1.178-3.1.209 sent offset, 3.1.215 start)', () => {
  const modes = [
    ['start only', ['start']],
    ['offset only', ['offset']],
    ['both', ['start', 'offset']],
  ] as const;

  it('every task found in each of the three server modes, whichever name is configured', async () => {
    const figures: string[] = [];
    for (const [mode, accepted] of modes) {
      for (const offsetParam of ['start', 'offset'] as const) {
        const { client, all } = await setup({ acceptedOffsetParams: accepted }, { offsetParam });
        const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
        figures.push(`${mode}, client sends ${offsetParam}: ${new Set(r.tasks.map((t) => t.id)).size}/${all.length}`);
        expect(r.tasks.map((t) => t.id)).toEqual(all);
        expect(r.incomplete).toBe(false);
        expect(r.switchedOffsetParam).toBe(!(accepted as readonly string[]).includes(offsetParam));
      }
    }
    console.log(`pager against the emulator's paging modes (tasks found/existing): ${figures.join('; ')}`);
  });

  it('remembers the name that works per endpoint: the next walk (another client) sends it from page one', async () => {
    const memory = new OffsetParamMemory();
    const { emu, client, all } = await setup({ acceptedOffsetParams: ['offset'] }, { offsetParamMemory: memory });
    await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 20 });
    expect(memory.get(emu.url)).toBe('offset');
    emu.resetRequests();
    const again = new DmsClient({
      projectId: SEED_IDS.mainProject,
      endpoint: emu.url,
      credentials: EMULATOR_CREDENTIALS,
      offsetParamMemory: memory,
    });
    expect(again.pagingParam()).toBe('offset');
    const r = await collectTasks(again, { instanceId: SEED_IDS.kafkaPaged, pageSize: 20 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(sentNames(emu)).toEqual(['offset', 'offset', 'offset', 'offset']);
    // A single page too (the list route's plain listing).
    await again.listTasks({ instanceId: SEED_IDS.kafkaPaged, offset: 11, limit: 5 });
    expect(emu.requests.at(-1)?.query).toMatchObject({ offset: '11' });
  });

  it('a server honouring neither: the walk tries each name once and stops stalled, incomplete', async () => {
    const { emu, client } = await setup({ acceptedOffsetParams: [] });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 10 });
    expect(r).toMatchObject({ stopReason: 'stalled', incomplete: true, truncated: false, offsetParam: 'start' });
    expect(r.tasks).toHaveLength(10);
    expect(sentNames(emu)).toEqual(['start', 'start', 'offset']);
  });

  it('task_count as the page length: a full page of nothing new is a stall too; the other name ends it', async () => {
    const { emu, client, all } = await setup({ acceptedOffsetParams: ['offset'], taskCount: 'page' });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 16 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(r).toMatchObject({ incomplete: false, offsetParam: 'offset' });
    expect(sentNames(emu)).toEqual(['start', 'start', 'offset', 'offset', 'offset', 'offset']);
  });

  it('task_count as the page length, both names honoured: every task, ending on the empty page', async () => {
    const { client, all } = await setup({ taskCount: 'page' });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 16 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(r).toMatchObject({ stopReason: 'empty', incomplete: false, switchedOffsetParam: false });
  });

  it('modes switched on a running emulator (setPaging) apply to the next request', async () => {
    const { emu, client, all } = await setup();
    emu.setPaging({ acceptedOffsetParams: ['offset'], offsetBase: 0 });
    const r = await collectTasks(client, { instanceId: SEED_IDS.kafkaPaged, pageSize: 32, offsetBase: 0 });
    expect(r.tasks.map((t) => t.id)).toEqual(all);
    expect(emu.paging).toMatchObject({ acceptedOffsetParams: ['offset'], offsetBase: 0, taskCount: 'total' });
  });
});

describe('stalled (a page that does not advance)', () => {
  const page = { received: 10, fresh: 0, pageSize: 10, total: 64, covered: 10 };
  it.each([
    ['nothing new, task_count says more remain', page, true],
    ['something new', { ...page, fresh: 1 }, false],
    ['an empty page', { ...page, received: 0 }, false],
    ['nothing new, task_count reached', { ...page, covered: 64 }, false],
    ['a full page of nothing new, task_count its length', { ...page, total: 10 }, true],
    ['a full page of nothing new, task_count not a number', { ...page, total: Number.NaN }, true],
    ['a short page of nothing new, task_count its length', { ...page, received: 4, total: 4 }, false],
  ] as const)('%s', (_name, facts, expected) => {
    expect(stalled(facts)).toBe(expected);
  });
});

describe('stopAfter (the walk’s guard clauses)', () => {
  const page = { received: 10, fresh: 10, pageSize: 10, total: 64, covered: 10 };
  it.each([
    ['an empty page', { ...page, received: 0, fresh: 0 }, 'empty'],
    ['a page with nothing new', { ...page, fresh: 0 }, 'no-new'],
    ['a full page, more remain', page, undefined],
    ['a full page, task_count reached', { ...page, covered: 64 }, 'total-reached'],
    ['a short page, task_count says more remain', { ...page, received: 5, fresh: 5 }, undefined],
    ['a short page, task_count reached', { ...page, received: 4, fresh: 4, covered: 64 }, 'total-reached'],
    ['a short page, task_count not a number', { ...page, received: 4, fresh: 4, total: Number.NaN }, 'short'],
    ['a full page, task_count not a number', { ...page, total: Number.NaN }, undefined],
    // A server that counts the page in task_count: a full page equal to it is not the end.
    ['a full first page, task_count its length', { ...page, total: 10 }, undefined],
    ['a short page, task_count its length', { ...page, received: 3, fresh: 3, total: 3, covered: 23 }, 'total-reached'],
  ] as const)('%s', (_name, facts, expected) => {
    expect(stopAfter(facts)).toBe(expected);
  });
});
