import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINE_WIRE_NAMES,
  SEED,
  SEED_IDS,
  startEmulator,
  type DmsTask,
  type Emulator,
  type EmulatorOptions,
} from '../../dev/emulator';
import { asError, asTaskPage, fixedNow, NOW, signedGet, tasksPath } from './helpers';

const { mainProject, otherProject, kafkaPaged, kafkaEmpty, rocketmq } = SEED_IDS;
const PAGED = tasksPath(mainProject, kafkaPaged);

/** `YYYYMMDDHHmmss` of a time. */
const queryTime = (iso: string): string => iso.replace(/[-:T]/g, '').slice(0, 14);

let emulator: Emulator;
let all: DmsTask[];
beforeAll(async () => {
  emulator = await startEmulator({ now: fixedNow });
  all = emulator.tasks(mainProject, kafkaPaged);
});
afterAll(() => emulator.close());

async function page(query: Record<string, string | number>, em: Emulator = emulator, path = PAGED) {
  const res = await signedGet(em, path, query);
  expect(res.status, res.text).toBe(200);
  return asTaskPage(res.json);
}

async function withEmulator<T>(options: EmulatorOptions, run: (em: Emulator) => Promise<T>): Promise<T> {
  const em = await startEmulator({ now: fixedNow, ...options });
  try {
    return await run(em);
  } finally {
    await em.close();
  }
}

describe('GET .../tasks (list)', () => {
  it('returns the default page of 10, newest first, with the total as a string', async () => {
    const body = await page({});
    expect(body.task_count).toBe('64');
    expect(body.tasks.map((t) => t.id)).toEqual(all.slice(0, 10).map((t) => t.id));
    for (let i = 1; i < body.tasks.length; i++) {
      expect((body.tasks[i - 1]?.created_at ?? '') >= (body.tasks[i]?.created_at ?? '')).toBe(true);
    }
  });

  it('sorts ties on created_at by id, descending', async () => {
    const em = await startEmulator({ now: fixedNow, seed: false });
    try {
      em.addInstance(mainProject, { instance_id: kafkaPaged, name: 'k', engine: 'kafka' });
      const at = '2026-03-01T11:00:00.000Z';
      for (const id of ['aa'.padEnd(32, '0'), 'cc'.padEnd(32, '0'), 'bb'.padEnd(32, '0')])
        em.addTask(mainProject, kafkaPaged, { id, created_at: at });
      expect((await page({}, em)).tasks.map((t) => t.id.slice(0, 2))).toEqual(['cc', 'bb', 'aa']);
    } finally {
      await em.close();
    }
  });

  it('pages with start (1-based by default): two pages of 50 cover all 64 tasks exactly once', async () => {
    const first = await page({ start: 1, limit: 50 });
    const second = await page({ start: 51, limit: 50 });
    expect(first.tasks).toHaveLength(50);
    expect(second.tasks).toHaveLength(14);
    expect(second.task_count).toBe('64');
    expect([...first.tasks, ...second.tasks].map((t) => t.id)).toEqual(all.map((t) => t.id));
    expect((await page({ start: 65 })).tasks).toEqual([]);
    expect((await page({ start: 64 })).tasks.map((t) => t.id)).toEqual([all[63]?.id]);
  });

  it('reads start=0 as the first task, like start=1', async () => {
    expect(await page({ start: 0, limit: 5 })).toEqual(await page({ start: 1, limit: 5 }));
  });

  it('gives every task in one page at limit 100 (Huawei’s RocketMQ data source sends 100)', async () => {
    const body = await page({ start: 1, limit: 100 });
    expect(body.tasks.map((t) => t.id)).toEqual(all.map((t) => t.id));
    expect(body.task_count).toBe('64');
  });

  it('pages with offset the same way; when both are given, offset wins', async () => {
    expect((await page({ offset: 8, limit: 3 })).tasks.map((t) => t.id)).toEqual(all.slice(7, 10).map((t) => t.id));
    expect((await page({ start: 1, offset: 6, limit: 1 })).tasks[0]?.id).toBe(all[5]?.id);
  });

  it('judges paging values by value: leading zeros are allowed, 2147483647 is the largest', async () => {
    expect(await page({ start: '006', limit: '0050' })).toEqual(await page({ start: 6, limit: 50 }));
    expect(await page({ start: '06', limit: '050' })).toEqual(await page({ start: 6, limit: 50 }));
    expect((await page({ start: 2_147_483_647 })).tasks).toEqual([]);
    for (const query of [{ start: '2147483648' }, { offset: '99999999999999999999' }]) {
      const res = await signedGet(emulator, PAGED, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('the 0-based mode: start=0 is the first task', async () => {
    await withEmulator({ offsetBase: 0 }, async (em) => {
      expect((await page({ start: 0, limit: 1 }, em)).tasks[0]?.id).toBe(all[0]?.id);
      expect((await page({ start: 1, limit: 1 }, em)).tasks[0]?.id).toBe(all[1]?.id);
    });
  });

  it('ignores a paging parameter it is configured not to accept', async () => {
    await withEmulator({ acceptedOffsetParams: ['start'] }, async (em) => {
      expect((await page({ offset: 5, limit: 1 }, em)).tasks[0]?.id).toBe(all[0]?.id);
      expect((await page({ start: 6, offset: 9, limit: 1 }, em)).tasks[0]?.id).toBe(all[5]?.id);
    });
    await withEmulator({ acceptedOffsetParams: ['offset'] }, async (em) => {
      expect((await page({ start: 6, limit: 1 }, em)).tasks[0]?.id).toBe(all[0]?.id);
    });
  });

  it('ignores both names when configured to accept neither (acceptedOffsetParams: [])', async () => {
    await withEmulator({ acceptedOffsetParams: [] }, async (em) => {
      expect((await page({ start: 6, limit: 1 }, em)).tasks[0]?.id).toBe(all[0]?.id);
      expect((await page({ offset: 6, limit: 1 }, em)).tasks[0]?.id).toBe(all[0]?.id);
    });
  });

  it('task_count as the page length (taskCount: page), or the total (the default)', async () => {
    expect((await page({ start: 61, limit: 10 })).task_count).toBe(String(all.length));
    await withEmulator({ taskCount: 'page' }, async (em) => {
      expect((await page({ start: 1, limit: 10 }, em)).task_count).toBe('10');
      expect((await page({ start: 61, limit: 10 }, em)).task_count).toBe(String(all.length - 60));
      expect((await page({ start: 100, limit: 10 }, em)).task_count).toBe('0');
    });
  });

  it('treats start=1 as the first task with offsetBase 1 (the default)', async () => {
    expect((await page({ start: 1, limit: 1 })).tasks[0]?.id).toBe(all[0]?.id);
    expect((await page({ start: 2, limit: 1 })).tasks[0]?.id).toBe(all[1]?.id);
  });

  it('clamps a limit above the maximum silently, and honours configured defaults', async () => {
    await withEmulator({ seed: false }, async (em) => {
      em.addInstance(mainProject, { instance_id: 'many', name: 'many', engine: 'kafka' });
      for (let i = 0; i < 120; i++) em.addTask(mainProject, 'many');
      const path = tasksPath(mainProject, 'many');
      expect((await page({}, em, path)).tasks).toHaveLength(10);
      expect((await page({ limit: 100 }, em, path)).tasks).toHaveLength(100);
      expect((await page({ limit: 500 }, em, path)).tasks).toHaveLength(100);
    });
    await withEmulator({ maxLimit: 50 }, async (em) => {
      expect((await page({ limit: 100 }, em)).tasks).toHaveLength(50);
    });
    await withEmulator({ defaultLimit: 3, maxLimit: 5 }, async (em) => {
      expect((await page({}, em)).tasks).toHaveLength(3);
      expect((await page({ limit: 20 }, em)).tasks).toHaveLength(5);
    });
  });

  it('refuses a limit of 0 or a non-integer paging value with 400', async () => {
    for (const query of [{ limit: 0 }, { limit: 'ten' }, { start: -1 }, { offset: '1.5' }]) {
      const res = await signedGet(emulator, PAGED, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(asError(res.json).error_code).toBe('DMS.00400001');
    }
  });

  it('filters on created_at with begin_time and end_time, both inclusive (UTC, whole seconds)', async () => {
    const newer = all[5] as DmsTask;
    const older = all[20] as DmsTask;
    const body = await page({
      begin_time: queryTime(older.created_at),
      end_time: queryTime(newer.created_at),
      limit: 50,
    });
    const expected = all.filter(
      (t) =>
        t.created_at.slice(0, 19) >= older.created_at.slice(0, 19) &&
        t.created_at.slice(0, 19) <= newer.created_at.slice(0, 19),
    );
    expect(body.tasks.map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(body.task_count).toBe(String(expected.length));
    expect(body.tasks.map((t) => t.id)).toContain(newer.id);
    expect(body.tasks.map((t) => t.id)).toContain(older.id);
    expect(expected.length).toBeGreaterThanOrEqual(16);
    expect(expected.length).toBeLessThan(64);
  });

  it('filters with only begin_time: the last 24 hours', async () => {
    const since = new Date(NOW.getTime() - 24 * 3_600_000).toISOString();
    const body = await page({ begin_time: queryTime(since), limit: 50 });
    expect(body.tasks.map((t) => t.id)).toEqual(all.filter((t) => t.created_at >= since).map((t) => t.id));
    expect(body.tasks.length).toBe(7);
  });

  it('refuses a malformed begin_time or end_time with 400 DMS.00400001', async () => {
    for (const query of [
      { begin_time: '2026-03-01' },
      { end_time: '20261301000000' },
      { begin_time: '202603011200' },
    ]) {
      const res = await signedGet(emulator, PAGED, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(asError(res.json).error_code).toBe('DMS.00400001');
    }
  });

  it('lists an instance with no tasks as an empty page', async () => {
    expect(await page({}, emulator, tasksPath(mainProject, kafkaEmpty))).toEqual({ task_count: '0', tasks: [] });
  });

  it('answers an unknown instance or project with 404 DMS.00404022, a bad project id 400 DMS.00400002', async () => {
    const unknownInstance = await signedGet(emulator, tasksPath(mainProject, '00000000-0000-4000-8000-000000000000'));
    expect(unknownInstance.status).toBe(404);
    expect(asError(unknownInstance.json)).toEqual({
      error_code: 'DMS.00404022',
      error_msg: 'The instance does not exist.',
    });
    const otherProjectsInstance = await signedGet(emulator, tasksPath(otherProject, kafkaPaged));
    expect(otherProjectsInstance.status).toBe(404);
    const unknownProject = await signedGet(emulator, tasksPath('f'.repeat(32), kafkaPaged));
    expect(asError(unknownProject.json).error_code).toBe('DMS.00404022');
    const malformed = await signedGet(emulator, tasksPath('not-a-project', kafkaPaged));
    expect(malformed.status).toBe(400);
    expect(asError(malformed.json).error_code).toBe('DMS.00400002');
  });
});

describe('GET .../tasks/{task_id} (show)', () => {
  it('returns the one task, as a one-element list with task_count "1"', async () => {
    const { projectId, instanceId, taskId } = SEED_IDS.stuckTask;
    const res = await signedGet(emulator, [...tasksPath(projectId, instanceId), taskId]);
    expect(res.status).toBe(200);
    const body = asTaskPage(res.json);
    expect(body.task_count).toBe('1');
    expect(body.tasks).toEqual([emulator.tasks(projectId, instanceId).find((t) => t.id === taskId)]);
    expect(body.tasks[0]?.status).toBe('EXECUTING');
  });

  it('answers an unknown task with 404 and its own code, and an unknown instance with DMS.00404022', async () => {
    const res = await signedGet(emulator, [...PAGED, 'f'.repeat(32)]);
    expect(res.status).toBe(404);
    expect(asError(res.json).error_code).toBe('DMS.00404040');
    expect(asError(res.json).error_msg).toContain('f'.repeat(32));
    const taskOfOtherInstance = await signedGet(emulator, [...tasksPath(mainProject, rocketmq), all[0]?.id ?? '']);
    expect(taskOfOtherInstance.status).toBe(404);
    const noInstance = await signedGet(emulator, [
      ...tasksPath(mainProject, '00000000-0000-4000-8000-000000000000'),
      all[0]?.id ?? '',
    ]);
    expect(asError(noInstance.json).error_code).toBe('DMS.00404022');
  });
});

describe('GET /v2/{project_id}/instances', () => {
  interface InstanceList {
    instances: {
      instance_id: string;
      name: string;
      engine: string;
      engine_version: string;
      status: string;
      type: string;
    }[];
    instance_num: number;
  }
  const list = async (
    query: Record<string, string | number>,
    projectId: string = mainProject,
  ): Promise<InstanceList> => {
    const res = await signedGet(emulator, ['v2', projectId, 'instances'], query);
    expect(res.status, res.text).toBe(200);
    return res.json as InstanceList;
  };

  it('lists every instance of the project without an engine filter', async () => {
    const body = await list({});
    expect(body.instance_num).toBe(4);
    expect(body.instances.map((i) => i.instance_id).sort()).toEqual(
      SEED.projects[0]?.instances.map((i) => i.instance_id).sort(),
    );
  });

  it('filters by engine, with RocketMQ called reliability', async () => {
    const kafka = await list({ engine: 'kafka' });
    expect(kafka.instances.map((i) => i.instance_id).sort()).toEqual([kafkaPaged, kafkaEmpty].sort());
    expect(kafka.instance_num).toBe(2);
    const reliability = await list({ engine: 'reliability' });
    expect(reliability.instances).toEqual([
      expect.objectContaining({ instance_id: rocketmq, engine: ENGINE_WIRE_NAMES.rocketmq, status: 'RUNNING' }),
    ]);
    const rabbit = await list({ engine: 'rabbitmq' }, otherProject);
    expect(rabbit.instances.map((i) => i.name)).toEqual(['rabbitmq-billing']);
  });

  it('pages with offset and limit; instance_num stays the total', async () => {
    const first = await list({ offset: 0, limit: 3 });
    const rest = await list({ offset: 3, limit: 3 });
    expect(first.instances).toHaveLength(3);
    expect(rest.instances).toHaveLength(1);
    expect(rest.instance_num).toBe(4);
  });

  it('accepts rocketmq as an alias of reliability, and refuses an unknown engine name with 400', async () => {
    expect((await list({ engine: 'rocketmq' })).instances.map((i) => [i.instance_id, i.engine])).toEqual([
      [rocketmq, 'reliability'],
    ]);
    const res = await signedGet(emulator, ['v2', mainProject, 'instances'], { engine: 'activemq' });
    expect(res.status).toBe(400);
    expect(asError(res.json).error_code).toBe('DMS.00400001');
  });

  it('lists nothing for a project it does not know, and refuses a malformed project id', async () => {
    expect(await list({}, 'e'.repeat(32))).toEqual({ instances: [], instance_num: 0 });
    const res = await signedGet(emulator, ['v2', 'bad', 'instances']);
    expect(res.status).toBe(400);
    expect(asError(res.json).error_code).toBe('DMS.00400002');
  });
});
