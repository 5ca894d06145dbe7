import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS, startEmulator, type DmsTask, type Emulator } from '../../dev/emulator';
import { asError, asTaskPage, control, NOW, rawRequest, signedGet, tasksPath } from './helpers';

const { mainProject, rabbitmq } = SEED_IDS;

/** A clock the test moves forward, so updated_at visibly changes. */
let clock = NOW.getTime();
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ now: () => new Date(clock) });
});
afterAll(() => emulator.close());

const signedList = async (instanceId: string = rabbitmq) => {
  const res = await signedGet(emulator, tasksPath(mainProject, instanceId), {}, { date: new Date(clock) });
  expect(res.status, res.text).toBe(200);
  return asTaskPage(res.json);
};

describe('control surface (/__emulator, emulator only, unsigned)', () => {
  it('adds a FAILED task with curl-style JSON; the signed API then lists it first', async () => {
    clock += 1_000;
    const res = await control(emulator, 'POST', '/tasks', {
      projectId: mainProject,
      instanceId: rabbitmq,
      status: 'FAILED',
      name: 'restartInstance',
    });
    expect(res.status).toBe(201);
    const task = res.json as DmsTask;
    expect(task).toMatchObject({
      status: 'FAILED',
      name: 'restartInstance',
      created_at: new Date(clock).toISOString(),
    });
    expect(task.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await signedList()).tasks[0]).toEqual(task);
  });

  it('finds the project itself when only instanceId is given', async () => {
    const res = await control(emulator, 'POST', '/tasks', { instanceId: SEED_IDS.otherRabbitmq, status: 'CREATED' });
    expect(res.status).toBe(201);
    expect(emulator.tasks(SEED_IDS.otherProject, SEED_IDS.otherRabbitmq)[0]?.id).toBe((res.json as DmsTask).id);
  });

  it('changes a task status and its updated_at', async () => {
    const { taskId, projectId, instanceId } = SEED_IDS.stuckTask;
    clock += 60_000;
    const res = await control(emulator, 'POST', `/tasks/${taskId}/status`, { status: 'FAILED' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: taskId, status: 'FAILED', updated_at: new Date(clock).toISOString() });
    expect(emulator.tasks(projectId, instanceId).find((t) => t.id === taskId)?.status).toBe('FAILED');
  });

  it('refuses bad input with 400 and unknown things with 404, code EMULATOR.*', async () => {
    const badStatus = await control(emulator, 'POST', '/tasks', { instanceId: rabbitmq, status: 'BROKEN' });
    expect(badStatus.status).toBe(400);
    expect(asError(badStatus.json).error_code).toBe('EMULATOR.0400');
    const notString = await control(emulator, 'POST', '/tasks', { instanceId: rabbitmq, params: { a: 1 } });
    expect(notString.status).toBe(400);
    const noInstance = await control(emulator, 'POST', '/tasks', { instanceId: 'nope' });
    expect(noInstance.status).toBe(404);
    const noTask = await control(emulator, 'POST', `/tasks/${'0'.repeat(32)}/status`, { status: 'SUCCESS' });
    expect(noTask.status).toBe(404);
    const empty = await control(emulator, 'POST', '/faults', undefined);
    expect(empty.status).toBe(400);
    const notJson = await rawRequest(`${emulator.url}/__emulator/tasks`, {}, 'POST', "{instanceId: 'x'");
    expect(asError(notJson.json).error_msg).toContain('not valid JSON');
    const unknownRoute = await control(emulator, 'GET', '/nothing');
    expect(asError(unknownRoute.json).error_code).toBe('EMULATOR.0404');
  });

  it('injects and clears faults over HTTP', async () => {
    expect((await control(emulator, 'POST', '/faults', { kind: 'status', status: 500, count: 1 })).status).toBe(201);
    expect((await signedGet(emulator, tasksPath(mainProject, rabbitmq), {}, { date: new Date(clock) })).status).toBe(
      500,
    );
    await control(emulator, 'POST', '/faults', { kind: 'status', status: 500 });
    expect((await control(emulator, 'DELETE', '/faults')).status).toBe(204);
    await signedList();
    expect((await control(emulator, 'POST', '/faults', { kind: 'teapot' })).status).toBe(400);
  });

  it('shows and resets the request log, which holds API requests only', async () => {
    await control(emulator, 'DELETE', '/requests');
    await signedList();
    const log = (await control(emulator, 'GET', '/requests')).json as { requests: { path: string; signed: boolean }[] };
    expect(log.requests).toEqual([
      expect.objectContaining({ path: `/${tasksPath(mainProject, rabbitmq).join('/')}`, signed: true }),
    ]);
    expect(emulator.requests).toHaveLength(1);
  });

  it('shows the state: projects, instances with task counts, access key ids (never secrets)', async () => {
    const res = await control(emulator, 'GET', '/state');
    const state = res.json as {
      projects: { project_id: string; instances: { instance_id: string; task_count: number }[] }[];
      accessKeyIds: string[];
    };
    expect(state.projects.map((p) => p.project_id)).toEqual([mainProject, SEED_IDS.otherProject]);
    const main = state.projects[0]?.instances.find((i) => i.instance_id === SEED_IDS.kafkaPaged);
    expect(main?.task_count).toBe(64);
    expect(state.accessKeyIds).toEqual(['EMULATORAK0000000000']);
    expect(res.text).not.toContain('emulator-secret-key');
  });

  it('adds an instance over HTTP; the signed instance listing shows it', async () => {
    const projectId = '1'.repeat(32);
    const res = await control(emulator, 'POST', '/instances', { projectId, name: 'rocketmq-new', engine: 'rocketmq' });
    expect(res.status).toBe(201);
    const list = await signedGet(
      emulator,
      ['v2', projectId, 'instances'],
      { engine: 'reliability' },
      { date: new Date(clock) },
    );
    expect(list.json).toMatchObject({ instance_num: 1, instances: [{ name: 'rocketmq-new', engine: 'reliability' }] });
  });

  it('switches paging modes over HTTP, refusing a bad change whole', async () => {
    const before = await control(emulator, 'GET', '/paging');
    expect(before.json).toEqual({
      paging: {
        offsetBase: 1,
        acceptedOffsetParams: ['start', 'offset'],
        taskCount: 'total',
        defaultLimit: 10,
        maxLimit: 100,
      },
    });
    try {
      const set = await control(emulator, 'POST', '/paging', { acceptedOffsetParams: ['offset'], taskCount: 'page' });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({
        paging: { acceptedOffsetParams: ['offset'], taskCount: 'page', offsetBase: 1 },
      });
      const res = await signedGet(
        emulator,
        tasksPath(mainProject, SEED_IDS.kafkaPaged),
        { start: 11, limit: 5 },
        {
          date: new Date(clock),
        },
      );
      const listed = asTaskPage(res.json);
      expect(listed.task_count).toBe('5');
      expect(listed.tasks[0]?.id).toBe(emulator.tasks(mainProject, SEED_IDS.kafkaPaged)[0]?.id);
      for (const bad of [
        { offsetBase: 2 },
        { acceptedOffsetParams: ['page'] },
        { taskCount: 'x' },
        { maxLimit: 0 },
        { limit: 1 },
      ]) {
        const refused = await control(emulator, 'POST', '/paging', { taskCount: 'total', ...bad });
        expect(refused.status, JSON.stringify(bad)).toBe(400);
      }
      expect(emulator.paging.taskCount).toBe('page');
      expect((await control(emulator, 'GET', '/state')).json).toMatchObject({ paging: { taskCount: 'page' } });
    } finally {
      emulator.setPaging({ acceptedOffsetParams: ['start', 'offset'], taskCount: 'total' });
    }
  });

  it('sets the latency over HTTP', async () => {
    expect((await control(emulator, 'POST', '/latency', { ms: 60 })).status).toBe(200);
    const started = performance.now();
    await signedList();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await control(emulator, 'POST', '/latency', { ms: 0 });
  });
});

describe('programmatic API', () => {
  it('addInstance, addTask, setTaskStatus and tasks work together and validate their input', async () => {
    const projectId = '2'.repeat(32);
    const instance = emulator.addInstance(projectId, { name: 'kafka-x', engine: 'kafka' });
    expect(instance.instance_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    const task = emulator.addTask(projectId, instance.instance_id, { name: 'createTopic', status: 'EXECUTING' });
    expect(task.params).toMatch(/^\{/);
    clock += 5_000;
    const done = emulator.setTaskStatus(projectId, instance.instance_id, task.id, 'SUCCESS');
    expect(done.updated_at > task.updated_at).toBe(true);
    expect(emulator.tasks(projectId, instance.instance_id)).toEqual([done]);
    expect(() => emulator.addInstance('short', { name: 'x', engine: 'kafka' })).toThrow(/32 hex/);
    expect(() => emulator.addTask(projectId, instance.instance_id, { created_at: 'yesterday' })).toThrow(/created_at/);
    expect(() => emulator.addTask(projectId, instance.instance_id, { id: task.id })).toThrow(/already exists/);
    expect(() => emulator.setTaskStatus(projectId, instance.instance_id, 'f'.repeat(32), 'FAILED')).toThrow(
      /not found/,
    );
  });

  it('returns copies: changing a returned task does not change the emulator', () => {
    const [first] = emulator.tasks(mainProject, rabbitmq);
    if (!first) throw new Error('seed has tasks');
    (first as { status: string }).status = 'DELETED';
    expect(emulator.tasks(mainProject, rabbitmq)[0]?.status).not.toBe('DELETED');
  });
});
