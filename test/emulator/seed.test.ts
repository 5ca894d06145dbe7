import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, SEED_IDS, startEmulator, TASK_STATUSES, type DmsTask, type Emulator } from '../../dev/emulator';
import { fixedNow, NOW } from './helpers';

const HOUR = 3_600_000;

let emulator: Emulator;
let tasks: { projectId: string; instanceId: string; task: DmsTask }[];
beforeAll(async () => {
  emulator = await startEmulator({ now: fixedNow });
  tasks = SEED.projects.flatMap((p) =>
    p.instances.flatMap((i) =>
      emulator
        .tasks(p.project_id, i.instance_id)
        .map((task) => ({ projectId: p.project_id, instanceId: i.instance_id, task })),
    ),
  );
});
afterAll(() => emulator.close());

const age = (t: DmsTask): number => NOW.getTime() - Date.parse(t.created_at);

describe('seed data', () => {
  it('has at least two projects with 32-hex ids and UUID instances; the main one has all three engines', () => {
    expect(SEED.projects.length).toBeGreaterThanOrEqual(2);
    for (const project of SEED.projects) {
      expect(project.project_id).toMatch(/^[0-9a-f]{32}$/);
      for (const instance of project.instances)
        expect(instance.instance_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const main = SEED.projects.find((p) => p.project_id === SEED_IDS.mainProject);
    expect(new Set(main?.instances.map((i) => i.engine))).toEqual(new Set(['kafka', 'rocketmq', 'rabbitmq']));
  });

  it('gives each instance 5 to 40 tasks, except one with more than 50 and one with none', () => {
    const counts = new Map(
      SEED.projects.flatMap((p) =>
        p.instances.map((i) => [i.instance_id, emulator.tasks(p.project_id, i.instance_id).length] as const),
      ),
    );
    expect(counts.get(SEED_IDS.kafkaPaged)).toBeGreaterThan(50);
    expect(counts.get(SEED_IDS.kafkaEmpty)).toBe(0);
    for (const [instanceId, count] of counts) {
      if (instanceId === SEED_IDS.kafkaPaged || instanceId === SEED_IDS.kafkaEmpty) continue;
      expect(count, instanceId).toBeGreaterThanOrEqual(5);
      expect(count, instanceId).toBeLessThanOrEqual(40);
    }
  });

  it('has every status, all fields strings, 32-hex unique ids, JSON params, and times within the last ~10 days', () => {
    expect(new Set(tasks.map((t) => t.task.status))).toEqual(new Set(TASK_STATUSES));
    const ids = new Set<string>();
    for (const { task } of tasks) {
      for (const value of Object.values(task)) expect(typeof value).toBe('string');
      expect(task.id).toMatch(/^[0-9a-f]{32}$/);
      ids.add(task.id);
      expect(() => JSON.parse(task.params)).not.toThrow();
      expect(task.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(task.updated_at >= task.created_at).toBe(true);
      expect(task.updated_at <= NOW.toISOString()).toBe(true);
      expect(age(task)).toBeLessThanOrEqual(10 * 24 * HOUR);
    }
    expect(ids.size).toBe(tasks.length);
  });

  it('names exactly the FAILED tasks of the last 24 hours in SEED_IDS.recentFailures', () => {
    const recent = tasks
      .filter((t) => t.task.status === 'FAILED' && age(t.task) <= 24 * HOUR)
      .map((t) => ({ projectId: t.projectId, instanceId: t.instanceId, taskId: t.task.id }));
    expect(recent).toHaveLength(SEED_IDS.recentFailures.length);
    expect(recent).toEqual(expect.arrayContaining([...SEED_IDS.recentFailures]));
    expect(tasks.some((t) => t.task.status === 'FAILED' && age(t.task) > 24 * HOUR)).toBe(true);
  });

  it('has exactly one EXECUTING task started more than 3 hours ago: SEED_IDS.stuckTask', () => {
    const stuck = tasks.filter((t) => t.task.status === 'EXECUTING' && age(t.task) > 3 * HOUR);
    expect(stuck.map((t) => ({ projectId: t.projectId, instanceId: t.instanceId, taskId: t.task.id }))).toEqual([
      SEED_IDS.stuckTask,
    ]);
    expect(tasks.filter((t) => t.task.status === 'EXECUTING').length).toBeGreaterThan(1);
  });

  it('is deterministic for a given clock, and moves with the clock', async () => {
    const again = await startEmulator({ now: fixedNow });
    const later = await startEmulator({ now: () => new Date(NOW.getTime() + HOUR) });
    try {
      const { mainProject, rocketmq } = SEED_IDS;
      expect(again.tasks(mainProject, rocketmq)).toEqual(emulator.tasks(mainProject, rocketmq));
      const moved = later.tasks(mainProject, rocketmq);
      expect(moved.map((t) => t.id)).toEqual(emulator.tasks(mainProject, rocketmq).map((t) => t.id));
      expect(moved.map((t) => Date.parse(t.created_at) - HOUR)).toEqual(
        emulator.tasks(mainProject, rocketmq).map((t) => Date.parse(t.created_at)),
      );
    } finally {
      await Promise.all([again.close(), later.close()]);
    }
  });

  it("uses realistic task names (Kafka's offset reset as Huawei's provider names it)", () => {
    const names = new Set(tasks.map((t) => t.task.name));
    for (const name of [
      'kafkaResetConsumerOffset',
      'bindInstancePublicIp',
      'modifyInstanceSpec',
      'restartInstance',
      'createTopic',
      'resetConsumerOffset',
      'upgradeInstance',
      'changeDiskSize',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('starts empty with seed: false', async () => {
    const empty = await startEmulator({ now: fixedNow, seed: false });
    try {
      expect(() => empty.tasks(SEED_IDS.mainProject, SEED_IDS.kafkaPaged)).toThrow(/unknown project or instance/);
    } finally {
      await empty.close();
    }
  });
});
