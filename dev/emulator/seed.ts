import { createPrng, hashSeed, randomHex } from './prng';
import type { DmsTask, Engine, EmulatorInstance, TaskStatus } from './types';

/**
 * Deterministic seed data. Ids are constants; times are generated relative to the emulator's
 * `now()`, so with a fixed clock every run produces the same tasks byte for byte.
 *
 * Shape (task counts include the scripted ones):
 *
 * | project | instance | engine | tasks | notable |
 * |---|---|---|---|---|
 * | main (cn-north-4) | kafka-orders | kafka | 64 | more than 50 (paging); FAILED 2 h and 20 h ago; every status |
 * | main | kafka-sandbox | kafka | 0 | no tasks at all |
 * | main | rocketmq-payments | rocketmq | 25 | EXECUTING since 5 h (stuck); FAILED 30 min ago |
 * | main | rabbitmq-notify | rabbitmq | 12 | FAILED 3 h ago |
 * | other (cn-east-3) | kafka-analytics | kafka | 8 | nothing in the last 24 h |
 * | other | rabbitmq-billing | rabbitmq | 16 | FAILED 8 h ago |
 * | other | rocketmq-events | rocketmq | 5 | nothing in the last 24 h |
 *
 * Only the scripted tasks below fall in the last 24 hours; generated ("fill") tasks are created
 * between 26 hours and 10 days ago with status SUCCESS, FAILED, CANCELLED or DELETED, so
 * {@link SEED_IDS}.recentFailures lists exactly the FAILED tasks of the last 24 h and
 * {@link SEED_IDS}.stuckTask is the only EXECUTING task older than 3 h.
 */
export const SEED_IDS = {
  mainProject: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
  otherProject: '0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
  /** main project, kafka, 64 tasks: more than one page at the maximum limit (50). */
  kafkaPaged: '6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5',
  /** main project, kafka, no tasks. */
  kafkaEmpty: '7a2b3c4d-5e6f-4a7b-9c8d-e0f1a2b3c4d5',
  /** main project, rocketmq, holds the stuck task. */
  rocketmq: '8b3c4d5e-6f7a-4b8c-ad9e-f0a1b2c3d4e6',
  /** main project, rabbitmq. */
  rabbitmq: '9c4d5e6f-7a8b-4c9d-be0f-a1b2c3d4e5f7',
  otherKafka: 'ad5e6f7a-8b9c-4dae-8f10-b2c3d4e5f6a8',
  otherRabbitmq: 'be6f7a8b-9cad-4ebf-9021-c3d4e5f6a7b9',
  otherRocketmq: 'cf7a8b9c-adbe-4fc0-a132-d4e5f6a7b8ca',
  /** EXECUTING, created 5 h before `now()`: the one stuck task. */
  stuckTask: {
    projectId: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
    instanceId: '8b3c4d5e-6f7a-4b8c-ad9e-f0a1b2c3d4e6',
    taskId: 'ff8080828f1a2b3c018f1a2b3c4d0101',
  },
  /** Every FAILED task created in the 24 hours before `now()`. */
  recentFailures: [
    {
      projectId: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
      instanceId: '6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5',
      taskId: 'ff8080828f1a2b3c018f1a2b3c4d0001',
    },
    {
      projectId: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
      instanceId: '6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5',
      taskId: 'ff8080828f1a2b3c018f1a2b3c4d0002',
    },
    {
      projectId: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
      instanceId: '8b3c4d5e-6f7a-4b8c-ad9e-f0a1b2c3d4e6',
      taskId: 'ff8080828f1a2b3c018f1a2b3c4d0102',
    },
    {
      projectId: '05a4f3c2b1e04d9c8b7a6f5e4d3c2b1a',
      instanceId: '9c4d5e6f-7a8b-4c9d-be0f-a1b2c3d4e5f7',
      taskId: 'ff8080828f1a2b3c018f1a2b3c4d0201',
    },
    {
      projectId: '0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
      instanceId: 'be6f7a8b-9cad-4ebf-9021-c3d4e5f6a7b9',
      taskId: 'ff8080828f1a2b3c018f1a2b3c4d0301',
    },
  ],
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A task placed at a fixed age, so tests can rely on it. */
export interface ScriptedTask {
  readonly id: string;
  readonly name: string;
  readonly status: TaskStatus;
  /** created_at = now - ageMs */
  readonly ageMs: number;
  /** updated_at = created_at + durationMs */
  readonly durationMs: number;
}

export interface SeedInstance {
  readonly instance_id: string;
  readonly name: string;
  readonly engine: Engine;
  readonly engine_version: string;
  readonly type: string;
  readonly specification: string;
  /** Generated tasks, 26 h to 10 days old. */
  readonly fillCount: number;
  readonly scripted: readonly ScriptedTask[];
}

export interface SeedProject {
  readonly project_id: string;
  readonly region: string;
  readonly instances: readonly SeedInstance[];
}

const id = (suffix: string): string => `ff8080828f1a2b3c018f1a2b3c4d${suffix}`;

/** The seed projects and instances (tasks are produced by {@link buildSeedTasks}). */
export const SEED: { readonly projects: readonly SeedProject[] } = {
  projects: [
    {
      project_id: SEED_IDS.mainProject,
      region: 'cn-north-4',
      instances: [
        {
          instance_id: SEED_IDS.kafkaPaged,
          name: 'kafka-orders',
          engine: 'kafka',
          engine_version: '3.x',
          type: 'cluster',
          specification: 'kafka.2u4g.cluster * 3 broker',
          fillCount: 57,
          scripted: [
            { id: id('0001'), name: 'modifyInstanceSpec', status: 'FAILED', ageMs: 2 * HOUR, durationMs: 7 * MINUTE },
            { id: id('0002'), name: 'createTopic', status: 'FAILED', ageMs: 20 * HOUR, durationMs: 4_120 },
            { id: id('0003'), name: 'restartInstance', status: 'EXECUTING', ageMs: 10 * MINUTE, durationMs: 19 },
            { id: id('0004'), name: 'upgradeInstance', status: 'CREATED', ageMs: 30 * MINUTE, durationMs: 0 },
            { id: id('0005'), name: 'changeDiskSize', status: 'CANCELLED', ageMs: 6 * HOUR, durationMs: MINUTE },
            { id: id('0006'), name: 'deleteTopic', status: 'DELETED', ageMs: 12 * HOUR, durationMs: 3_050 },
            { id: id('0007'), name: 'bindInstancePublicIp', status: 'SUCCESS', ageMs: HOUR, durationMs: 4_659 },
          ],
        },
        {
          instance_id: SEED_IDS.kafkaEmpty,
          name: 'kafka-sandbox',
          engine: 'kafka',
          engine_version: '2.7',
          type: 'single',
          specification: 'kafka.2u4g.single',
          fillCount: 0,
          scripted: [],
        },
        {
          instance_id: SEED_IDS.rocketmq,
          name: 'rocketmq-payments',
          engine: 'rocketmq',
          engine_version: '5.x',
          type: 'cluster',
          specification: 'rocketmq.b2.large.1',
          fillCount: 22,
          scripted: [
            {
              id: SEED_IDS.stuckTask.taskId,
              name: 'modifyInstanceSpec',
              status: 'EXECUTING',
              ageMs: 5 * HOUR,
              durationMs: 15,
            },
            { id: id('0102'), name: 'resetConsumerOffset', status: 'FAILED', ageMs: 30 * MINUTE, durationMs: 2_210 },
            { id: id('0103'), name: 'createTopic', status: 'SUCCESS', ageMs: 3 * HOUR, durationMs: 3_007 },
          ],
        },
        {
          instance_id: SEED_IDS.rabbitmq,
          name: 'rabbitmq-notify',
          engine: 'rabbitmq',
          engine_version: '3.8.35',
          type: 'single',
          specification: 'rabbitmq.2u4g.single',
          fillCount: 11,
          scripted: [
            { id: id('0201'), name: 'restartInstance', status: 'FAILED', ageMs: 3 * HOUR, durationMs: 2 * MINUTE },
          ],
        },
      ],
    },
    {
      project_id: SEED_IDS.otherProject,
      region: 'cn-east-3',
      instances: [
        {
          instance_id: SEED_IDS.otherKafka,
          name: 'kafka-analytics',
          engine: 'kafka',
          engine_version: '2.7',
          type: 'cluster',
          specification: 'kafka.4u8g.cluster * 3 broker',
          fillCount: 8,
          scripted: [],
        },
        {
          instance_id: SEED_IDS.otherRabbitmq,
          name: 'rabbitmq-billing',
          engine: 'rabbitmq',
          engine_version: '3.12.13',
          type: 'cluster',
          specification: 'rabbitmq.4u8g.cluster * 3',
          fillCount: 15,
          scripted: [{ id: id('0301'), name: 'changeDiskSize', status: 'FAILED', ageMs: 8 * HOUR, durationMs: MINUTE }],
        },
        {
          instance_id: SEED_IDS.otherRocketmq,
          name: 'rocketmq-events',
          engine: 'rocketmq',
          engine_version: '4.8.0',
          type: 'cluster',
          specification: 'rocketmq.4u8g.cluster',
          fillCount: 5,
          scripted: [],
        },
      ],
    },
  ],
};

/** Users that appear on tasks (the first one is the doc example's). */
export const SEED_USERS = [
  { user_name: 'paas_dms', user_id: '3df5acbc24a54fadb62a043c9000a307' },
  { user_name: 'dms_admin', user_id: '8a1f0c2e9b7d4e6fa3c5b1d2e4f60718' },
  { user_name: 'ops_robot', user_id: 'c0ffee1234564d7a9b8c7d6e5f4a3b2c' },
] as const;

type Params = Record<string, string | number | boolean>;
type ParamsFactory = (next: () => number, engine: Engine) => Params;

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const ip = (next: () => number): string =>
  `49.${4 + Math.floor(next() * 200)}.${Math.floor(next() * 255)}.${1 + Math.floor(next() * 250)}`;

const UPGRADES: Readonly<Record<Engine, Params>> = {
  kafka: { old_engine_version: '2.7', new_engine_version: '3.x' },
  rocketmq: { old_engine_version: '4.8.0', new_engine_version: '5.x' },
  rabbitmq: { old_engine_version: '3.8.35', new_engine_version: '3.12.13' },
};

/** Task names and realistic `params` for each, per engine. */
const TASK_KINDS: Readonly<Record<string, ParamsFactory>> = {
  bindInstancePublicIp: (n) => ({
    public_ip_id: `06a13350-4305-4338-9f0e-${randomHex(n, 12)}`,
    public_ip_address: ip(n),
    enable_public_ip: true,
  }),
  modifyInstanceSpec: (n) => {
    const from = 3 + Math.floor(n() * 3);
    return { oper_type: 'horizontal', old_broker_num: from, new_broker_num: from + 2 };
  },
  restartInstance: () => ({}),
  changeRetentionPolicy: () => ({ new_retention_policy: 'produce_reject', origin_retention_policy: 'time_base' }),
  modifyMessageRetention: (n) => ({ old_retention_hours: 72, new_retention_hours: pick(n, [24, 48, 168]) }),
  createTopic: (n) => ({
    topic: `${pick(n, ['orders', 'payments', 'audit-log', 'click-stream'])}-v${1 + Math.floor(n() * 4)}`,
    partition: pick(n, [3, 6, 12]),
    replication: 3,
  }),
  deleteTopic: (n) => ({ topics: pick(n, ['tmp-load-test', 'orders-v1', 'legacy-events']) }),
  resetConsumerOffset: (n) => ({
    group: pick(n, ['billing-consumer', 'search-indexer', 'notifier']),
    topic: pick(n, ['orders', 'payments']),
    timestamp: 1_700_000_000_000 + Math.floor(n() * 1e9),
  }),
  // Kafka's name in Huawei's Terraform provider (services/kafka/…_message_offset_reset.go).
  kafkaResetConsumerOffset: (n) => ({
    group: pick(n, ['billing-consumer', 'search-indexer', 'notifier']),
    topic: pick(n, ['orders', 'payments']),
    timestamp: 1_700_000_000_000 + Math.floor(n() * 1e9),
  }),
  upgradeInstance: (_n, engine) => UPGRADES[engine],
  changeDiskSize: (n) => {
    const from = pick(n, [300, 600, 900]);
    return { old_storage_space: from, new_storage_space: from * 2 };
  },
  modifyAutoTopic: () => ({ old_auto_status: true, new_auto_status: false }),
  createVhost: (n) => ({ vhost: pick(n, ['/billing', '/notify', '/staging']) }),
  modifyPlugins: (n) => ({
    plugins: pick(n, ['rabbitmq_shovel', 'rabbitmq_federation', 'rabbitmq_tracing']),
    enable: true,
  }),
};

const NAMES_BY_ENGINE: Readonly<Record<Engine, readonly string[]>> = {
  kafka: [
    'bindInstancePublicIp',
    'modifyInstanceSpec',
    'restartInstance',
    'changeRetentionPolicy',
    'createTopic',
    'deleteTopic',
    'kafkaResetConsumerOffset',
    'upgradeInstance',
    'changeDiskSize',
    'modifyAutoTopic',
  ],
  rocketmq: [
    'bindInstancePublicIp',
    'modifyInstanceSpec',
    'restartInstance',
    'modifyMessageRetention',
    'createTopic',
    'deleteTopic',
    'resetConsumerOffset',
    'upgradeInstance',
    'changeDiskSize',
  ],
  rabbitmq: [
    'bindInstancePublicIp',
    'modifyInstanceSpec',
    'restartInstance',
    'createVhost',
    'modifyPlugins',
    'upgradeInstance',
    'changeDiskSize',
  ],
};

/** A realistic `params` string for a task name (`{}` for a name without a known shape). */
export function paramsFor(name: string, engine: Engine, next: () => number): string {
  const factory = TASK_KINDS[name];
  return JSON.stringify(factory ? factory(next, engine) : {});
}

/** A task name the given engine really reports. */
export function taskNameFor(engine: Engine, next: () => number): string {
  return pick(next, NAMES_BY_ENGINE[engine]);
}

const FILL_STATUSES: readonly TaskStatus[] = [
  ...Array<TaskStatus>(15).fill('SUCCESS'),
  ...Array<TaskStatus>(3).fill('FAILED'),
  'CANCELLED',
  'DELETED',
];

function durationFor(status: TaskStatus, next: () => number): number {
  switch (status) {
    case 'SUCCESS':
    case 'FAILED':
      return 2_000 + Math.floor(next() * 15 * MINUTE);
    case 'CANCELLED':
      return Math.floor(next() * HOUR);
    case 'DELETED':
      return 1_000 + Math.floor(next() * 9_000);
    default:
      return Math.floor(next() * 50);
  }
}

/** The instance as the emulator stores it; created 30 to 90 days before `now`. */
export function seedInstanceRecord(spec: SeedInstance, now: Date): EmulatorInstance {
  const next = createPrng(hashSeed(`instance:${spec.instance_id}`));
  return {
    instance_id: spec.instance_id,
    name: spec.name,
    engine: spec.engine,
    engine_version: spec.engine_version,
    status: 'RUNNING',
    type: spec.type,
    specification: spec.specification,
    created_at: String(now.getTime() - 30 * DAY - Math.floor(next() * 60 * DAY)),
  };
}

/** The seed tasks of one instance, in no particular order; deterministic for a given `now`. */
export function buildSeedTasks(spec: SeedInstance, now: Date): DmsTask[] {
  const next = createPrng(hashSeed(`tasks:${spec.instance_id}`));
  const nowMs = now.getTime();
  const make = (taskId: string, name: string, status: TaskStatus, ageMs: number, durationMs: number): DmsTask => {
    const user = pick(next, SEED_USERS);
    const created = nowMs - ageMs;
    return {
      id: taskId,
      name,
      user_name: user.user_name,
      user_id: user.user_id,
      params: paramsFor(name, spec.engine, next),
      status,
      created_at: new Date(created).toISOString(),
      updated_at: new Date(Math.min(created + durationMs, nowMs)).toISOString(),
    };
  };
  const tasks = spec.scripted.map((t) => make(t.id, t.name, t.status, t.ageMs, t.durationMs));
  const used = new Set(tasks.map((t) => t.id));
  const jvm = hashSeed(spec.instance_id).toString(16).padStart(8, '0');
  for (let i = 0; i < spec.fillCount; i++) {
    let taskId = `ff808082${jvm}${randomHex(next, 16)}`;
    while (used.has(taskId)) taskId = `ff808082${jvm}${randomHex(next, 16)}`;
    used.add(taskId);
    const status = pick(next, FILL_STATUSES);
    const ageMs = 26 * HOUR + Math.floor(next() * (10 * DAY - 26 * HOUR));
    tasks.push(make(taskId, taskNameFor(spec.engine, next), status, ageMs, durationFor(status, next)));
  }
  return tasks;
}
