import { createPrng, randomHex, randomUuid } from './prng';
import { buildSeedTasks, paramsFor, SEED, SEED_USERS, seedInstanceRecord, taskNameFor } from './seed';
import {
  ENGINES,
  EmulatorInputError,
  TASK_STATUSES,
  type DmsTask,
  type EmulatorInstance,
  type NewInstance,
  type TaskInput,
  type TaskStatus,
} from './types';

/** Project ids are 32 hex characters, as on Huawei Cloud. */
export const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/i;
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const DEFAULT_ENGINE_VERSIONS = { kafka: '3.x', rocketmq: '5.x', rabbitmq: '3.8.35' } as const;

interface InstanceState {
  readonly instance: EmulatorInstance;
  readonly tasks: Map<string, DmsTask>;
}

interface ProjectState {
  readonly projectId: string;
  readonly instances: Map<string, InstanceState>;
}

/** Newest first: created_at descending, then id descending. ISO strings of one format sort as times. */
export function compareNewestFirst(a: DmsTask, b: DmsTask): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Projects, instances and tasks of one emulator. Not shared between emulators. */
export class EmulatorState {
  private readonly projects = new Map<string, ProjectState>();
  /** Ids of tasks added at run time: deterministic for a given order of calls. */
  private readonly ids = createPrng(0x5eed);

  constructor(private readonly now: () => Date) {}

  loadSeed(): void {
    const now = this.now();
    for (const project of SEED.projects) {
      const state = this.ensureProject(project.project_id);
      for (const spec of project.instances) {
        const tasks = new Map(buildSeedTasks(spec, now).map((t) => [t.id, t] as const));
        state.instances.set(spec.instance_id, { instance: seedInstanceRecord(spec, now), tasks });
      }
    }
  }

  hasProject(projectId: string): boolean {
    return this.projects.has(projectId);
  }

  /** Instances of a project in insertion order; `undefined` for an unknown project. */
  instances(projectId: string): EmulatorInstance[] | undefined {
    const project = this.projects.get(projectId);
    return project ? [...project.instances.values()].map((s) => s.instance) : undefined;
  }

  /** The instance's tasks, newest first; `undefined` for an unknown project or instance. */
  tasks(projectId: string, instanceId: string): DmsTask[] | undefined {
    const inst = this.projects.get(projectId)?.instances.get(instanceId);
    return inst ? [...inst.tasks.values()].sort(compareNewestFirst) : undefined;
  }

  task(projectId: string, instanceId: string, taskId: string): DmsTask | undefined {
    return this.projects.get(projectId)?.instances.get(instanceId)?.tasks.get(taskId);
  }

  /** Where a task id lives, searched across all projects (task ids are unique here). */
  locateTask(taskId: string): { projectId: string; instanceId: string } | undefined {
    for (const project of this.projects.values()) {
      for (const [instanceId, inst] of project.instances) {
        if (inst.tasks.has(taskId)) return { projectId: project.projectId, instanceId };
      }
    }
    return undefined;
  }

  snapshot(): { project_id: string; instances: (EmulatorInstance & { task_count: number })[] }[] {
    return [...this.projects.values()].map((p) => ({
      project_id: p.projectId,
      instances: [...p.instances.values()].map((s) => ({ ...s.instance, task_count: s.tasks.size })),
    }));
  }

  addInstance(projectId: string, input: NewInstance): EmulatorInstance {
    if (!PROJECT_ID_PATTERN.test(projectId))
      throw new EmulatorInputError(`project id must be 32 hex characters: ${projectId}`);
    if (!input || typeof input.name !== 'string' || input.name === '')
      throw new EmulatorInputError('instance name is required');
    if (!(ENGINES as readonly string[]).includes(input.engine))
      throw new EmulatorInputError(`engine must be one of ${ENGINES.join(', ')}`);
    const project = this.ensureProject(projectId);
    const instanceId = input.instance_id ?? randomUuid(this.ids);
    if (typeof instanceId !== 'string' || instanceId === '' || instanceId.includes('/'))
      throw new EmulatorInputError('instance_id must be a non-empty string without "/"');
    if (project.instances.has(instanceId)) throw new EmulatorInputError(`instance already exists: ${instanceId}`);
    const instance: EmulatorInstance = {
      instance_id: instanceId,
      name: input.name,
      engine: input.engine,
      engine_version: input.engine_version ?? DEFAULT_ENGINE_VERSIONS[input.engine],
      status: input.status ?? 'RUNNING',
      type: input.type ?? 'cluster',
      specification: `${input.engine}.2u4g.${input.type ?? 'cluster'}`,
      created_at: String(this.now().getTime()),
    };
    project.instances.set(instanceId, { instance, tasks: new Map() });
    return instance;
  }

  addTask(projectId: string, instanceId: string, partial: TaskInput = {}): DmsTask {
    const inst = this.instanceState(projectId, instanceId);
    if (partial === null || typeof partial !== 'object') throw new EmulatorInputError('task fields must be an object');
    for (const [key, value] of Object.entries(partial)) {
      if (value !== undefined && typeof value !== 'string')
        throw new EmulatorInputError(`task field ${key} must be a string (every task field is a string upstream)`);
    }
    if (partial.status !== undefined) assertStatus(partial.status);
    for (const key of ['created_at', 'updated_at'] as const) {
      const value = partial[key];
      if (value !== undefined && (!TIME_PATTERN.test(value) || Number.isNaN(Date.parse(value)))) {
        throw new EmulatorInputError(`${key} must look like 2020-06-23T03:00:03.471Z`);
      }
    }
    if (partial.params !== undefined) {
      try {
        JSON.parse(partial.params);
      } catch {
        throw new EmulatorInputError('params must be a JSON document in a string');
      }
    }
    const taskId = partial.id ?? this.newTaskId(inst.tasks);
    if (!/^[0-9a-f]{32}$/.test(taskId)) throw new EmulatorInputError('task id must be 32 lower-case hex characters');
    if (this.locateTask(taskId)) throw new EmulatorInputError(`task already exists: ${taskId}`);
    const name = partial.name ?? taskNameFor(inst.instance.engine, this.ids);
    const user = SEED_USERS[1];
    const created = partial.created_at ?? this.now().toISOString();
    const task: DmsTask = {
      id: taskId,
      name,
      user_name: partial.user_name ?? user.user_name,
      user_id: partial.user_id ?? user.user_id,
      params: partial.params ?? paramsFor(name, inst.instance.engine, this.ids),
      status: partial.status ?? 'CREATED',
      created_at: created,
      updated_at: partial.updated_at ?? created,
    };
    inst.tasks.set(taskId, task);
    return task;
  }

  /**
   * Deletes a task record, as upstream's `DELETE /v2/{project_id}/instances/{instance_id}/tasks/{task_id}`
   * (204) does: it is no longer listed, and showing it answers 404.
   */
  deleteTask(projectId: string, instanceId: string, taskId: string): void {
    const inst = this.instanceState(projectId, instanceId);
    if (!inst.tasks.delete(taskId)) throw new EmulatorInputError(`task not found: ${taskId}`, 'not-found');
  }

  setTaskStatus(projectId: string, instanceId: string, taskId: string, status: TaskStatus): DmsTask {
    assertStatus(status);
    const inst = this.instanceState(projectId, instanceId);
    const task = inst.tasks.get(taskId);
    if (!task) throw new EmulatorInputError(`task not found: ${taskId}`, 'not-found');
    const now = this.now().toISOString();
    // biome-ignore lint/complexity/useMathMinMax: ISO time strings, compared as strings
    const updated: DmsTask = { ...task, status, updated_at: now < task.created_at ? task.created_at : now };
    inst.tasks.set(taskId, updated);
    return updated;
  }

  private instanceState(projectId: string, instanceId: string): InstanceState {
    const project = this.projects.get(projectId);
    if (!project) throw new EmulatorInputError(`project not found: ${projectId}`, 'not-found');
    const inst = project.instances.get(instanceId);
    if (!inst) throw new EmulatorInputError(`instance not found: ${instanceId}`, 'not-found');
    return inst;
  }

  private ensureProject(projectId: string): ProjectState {
    let project = this.projects.get(projectId);
    if (!project) {
      project = { projectId, instances: new Map() };
      this.projects.set(projectId, project);
    }
    return project;
  }

  private newTaskId(existing: ReadonlyMap<string, DmsTask>): string {
    for (;;) {
      const taskId = `ff808082e0e0e0e0${randomHex(this.ids, 16)}`;
      if (!existing.has(taskId) && !this.locateTask(taskId)) return taskId;
    }
  }
}

function assertStatus(status: unknown): asserts status is TaskStatus {
  if (!(TASK_STATUSES as readonly unknown[]).includes(status)) {
    throw new EmulatorInputError(`status must be one of ${TASK_STATUSES.join(', ')}`);
  }
}
