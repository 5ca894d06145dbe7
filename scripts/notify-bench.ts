/**
 * Figures of one local notifier run over many instances (README, "Notifications"):
 *
 *   node --import tsx scripts/notify-bench.ts [--instances 50] [--tasks 30] [--latency-ms 20] [--store file|dynamodb]
 *
 * Starts the emulator (no seed) with N instances of `--tasks` finished tasks each, and a webhook sink;
 * run 1 is the first-scan baseline; then 5 tasks fail on 3 instances and 1 task is stuck; run 2 must
 * deliver them: one webhook per failure, one grouped Slack message per instance. Real clock, real
 * timers, real HTTP. Prints time, DMS requests and deliveries per run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import type { RunSummary } from '../lib/notify/runNotifier';
import { FileStore } from '../lib/state/fileStore';
import type { StateStore } from '../lib/state/types';
import { EMULATOR_CREDENTIALS, startEmulator, type Engine } from '../dev/emulator';
import { startSink } from '../dev/sink';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const n = Number(arg('instances', '50'));
  const tasksPer = Number(arg('tasks', '30'));
  const latencyMs = Number(arg('latency-ms', '20'));
  const storeKind = arg('store', 'file');
  const emulator = await startEmulator({ seed: false, latencyMs });
  const sink = await startSink();
  const dir = mkdtempSync(join(tmpdir(), 'notify-bench-'));
  let closeStore = async (): Promise<void> => {};
  let store: StateStore = new FileStore(join(dir, 'state.json'));
  if (storeKind === 'dynamodb') {
    const { startDynalite } = await import('../dev/dynalite');
    const { DynamoStore } = await import('../lib/state/dynamoStore');
    const dyn = await startDynalite();
    store = new DynamoStore({ table: await dyn.newTable(), client: dyn.client });
    closeStore = () => dyn.close();
  }
  const projects = [randomBytes(16).toString('hex'), randomBytes(16).toString('hex')];
  const engines: Engine[] = ['kafka', 'rocketmq', 'rabbitmq'];
  const instances: { projectId: string; id: string; engine: Engine; name: string }[] = [];
  for (let i = 0; i < n; i++) {
    const projectId = projects[i % 2] as string;
    const engine = engines[i % 3] as Engine;
    const inst = emulator.addInstance(projectId, { name: `inst-${i}`, engine });
    instances.push({ projectId, id: inst.instance_id, engine, name: `inst-${i}` });
    for (let t = 0; t < tasksPer; t++) {
      emulator.addTask(projectId, inst.instance_id, {
        name: 'modifyInstanceSpec',
        status: t % 10 === 0 ? 'FAILED' : 'SUCCESS',
        created_at: new Date(Date.now() - (t + 1) * 20 * 60_000).toISOString(),
      });
    }
  }
  const whsec = `whsec_${randomBytes(24).toString('base64')}`;
  sink.setSecret('hook', whsec);
  const config = {
    endpoint: emulator.url,
    projects: Object.fromEntries(
      projects.map((p) => [
        p,
        {
          region: 'cn-north-4',
          instances: instances
            .filter((i) => i.projectId === p)
            .map((i) => ({ id: i.id, engine: i.engine, name: i.name })),
        },
      ]),
    ),
    http: { authRequired: false },
    notify: {
      destinations: {
        hook: { type: 'webhook', url: { env: 'H' }, secrets: [{ env: 'HS' }] },
        slack: { type: 'slack', url: { env: 'S' } },
      },
      allowInsecureWebhooks: true,
    },
  };
  const env = {
    DMS_TASKS_CONFIG: JSON.stringify(config),
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    H: sink.urlFor('webhook', 'hook'),
    HS: whsec,
    S: sink.urlFor('slack', 'slack'),
  };
  const handler = createNotifyHandler({ env, store, log: () => undefined });
  const context = (): { getRemainingTimeInMillis: () => number } => {
    const t0 = Date.now();
    return { getRemainingTimeInMillis: () => 120_000 - (Date.now() - t0) };
  };
  const run = async (label: string): Promise<RunSummary> => {
    emulator.resetRequests();
    const before = sink.requests.length;
    const t0 = performance.now();
    const s = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context());
    const ms = performance.now() - t0;
    const dms = emulator.requests.length;
    const posts = sink.requests.slice(before);
    console.log(
      `${label.padEnd(26)} ${ms.toFixed(0).padStart(6)} ms  DMS requests ${String(dms).padStart(4)}  ` +
        `webhook POSTs ${String(posts.length).padStart(3)} (accepted ${posts.filter((p) => p.ok).length}, ` +
        `signatures ok ${posts.filter((p) => p.verified === true).length})  ` +
        `scanned ${s.instancesScanned} tasks ${s.tasksSeen} baselined ${s.baselined} failures ${s.newFailures} ` +
        `stuck ${s.stuck} sent ${s.sent} messages ${s.messages} pending ${s.pending} dead ${s.dead}`,
    );
    return s;
  };
  console.log(
    `${n} instances x ${tasksPer} tasks, emulator latency ${latencyMs} ms/request, ${storeKind} store, ` +
      'destinations: webhook + slack',
  );
  await run('run 1 (cold, baseline)');
  for (const i of [0, 1, 1, 2, 2]) {
    const inst = instances[i * 7] as (typeof instances)[number];
    emulator.addTask(inst.projectId, inst.id, { name: 'restartInstance', status: 'FAILED' });
  }
  const stuckInst = instances[3] as (typeof instances)[number];
  emulator.addTask(stuckInst.projectId, stuckInst.id, {
    name: 'extendDisk',
    status: 'EXECUTING',
    created_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
  });
  const s2 = await run('run 2 (5 failures, 1 stuck)');
  await run('run 3 (nothing new)');
  const ids = sink.requests.filter((r) => r.type === 'webhook' && r.ok).map((r) => r.webhookId);
  console.log(
    `webhook deliveries ${ids.length}, distinct webhook-ids ${new Set(ids).size}; ` +
      `slack messages ${sink.requests.filter((r) => r.type === 'slack' && r.ok).length}; ` +
      `expected ${s2.newFailures + s2.stuck} webhooks and 4 slack messages`,
  );
  await Promise.all([emulator.close(), sink.close(), closeStore()]);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
