import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { type RedisServer, startRedisServer } from '../../dev/redisServer';
import { doctorInputFrom } from '../../lib/ops/doctor/doctorInputFrom';
import { runDoctor } from '../../lib/ops/doctor/runDoctor';

let emulator: Emulator | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await emulator?.close();
  await redis?.stop();
  emulator = undefined;
  redis = undefined;
});

/** The self-check over a real redis-server store and an emulator in `taskCount` mode. */
async function check(durable: boolean, taskCount: 'total' | 'page') {
  redis = await startRedisServer({ durable });
  emulator = await startEmulator({ seed: false, taskCount });
  const projectId = randomBytes(16).toString('hex');
  const instanceId = emulator.addInstance(projectId, { name: 'orders', engine: 'kafka' }).instance_id;
  for (let i = 0; i < 3; i += 1) emulator.addTask(projectId, instanceId, { status: 'SUCCESS' });
  const doc = {
    endpoint: emulator.url,
    projects: { [projectId]: { region: 'cn-north-4', instances: [{ id: instanceId, engine: 'kafka' }] } },
    notify: { store: { type: 'redis', host: '127.0.0.1', port: redis.port }, destinations: {} },
  };
  const env = { CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId, CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey };
  const input = await doctorInputFrom(doc, { env });
  const report = await runDoctor(input);
  const store = input.store ? await input.store.open() : undefined;
  if (store && 'close' in store && typeof store.close === 'function') await store.close();
  return report;
}

describe('the self-check: the store persists, and what task_count counts', () => {
  it('a Redis store without persistence is a problem; with AOF it is ok', async () => {
    const bare = await check(false, 'total');
    expect(bare.results.find((r) => r.check === 'store.conditional-write')?.verdict).toBe('ok');
    expect(bare.results.find((r) => r.check === 'store.persists')).toMatchObject({
      verdict: 'problem',
      fix: expect.stringContaining('persists'),
    });
    await emulator?.close();
    await redis?.stop();
    const durable = await check(true, 'total');
    expect(durable.results.find((r) => r.check === 'store.persists')?.verdict).toBe('ok');
  });

  it('task_count per page is told apart from the total (the pager reads on until a short page)', async () => {
    const report = await check(true, 'page');
    expect(report.results.find((r) => r.check === 'dms.task_count')?.evidence).toContain("the page's length");
  });
});
