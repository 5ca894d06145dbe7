/**
 * The throttled scan of the figure, in real time (about 20 s per mode at the defaults):
 *
 *   node --import tsx scripts/throttle-bench.ts [--limit 10] [--instances 200] [--concurrency 16]
 *     [--rps 20] [--latency-ms 0] [--retry-after] [--modes budget,alone]
 *
 * Starts the emulator (no seed, real clock) with a per-AK rate limit of `--limit` requests per second
 * (429 `APIGW.0308`, with `Retry-After` only when `--retry-after` is given), `--instances` watched
 * instances and no tasks, and runs the notifier once per mode:
 * - `budget`: the request budget as shipped, at `--rps` (the `requestsPerSecond` setting; default 20);
 * - `alone`: the same rate, but a throttle neither pauses nor slows the budget: each worker only backs
 *   off on its own, as before the budget existed.
 * Prints per mode: time, instances scanned and failed, 429s the emulator sent, the summary's
 * `throttled` and `budgetWaitMs`, and the DMS requests answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestBudgets } from '../lib/dms/requestBudgets';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import { FileStore } from '../lib/state/fileStore';
import { EMULATOR_CREDENTIALS, startEmulator } from '../dev/emulator';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const MODES = {
  budget: (rps: number) => new RequestBudgets({ requestsPerSecond: rps }),
  alone: (rps: number) => new RequestBudgets({ requestsPerSecond: rps, slowdown: 1, defaultPauseMs: 0, maxPauseMs: 0 }),
} as const;
type Mode = keyof typeof MODES;

async function runMode(mode: Mode): Promise<void> {
  const limit = Number(arg('limit', '10'));
  const n = Number(arg('instances', '200'));
  const concurrency = Number(arg('concurrency', '16'));
  const rps = Number(arg('rps', '20'));
  const latencyMs = Number(arg('latency-ms', '0'));
  const retryAfter = process.argv.includes('--retry-after');
  const emulator = await startEmulator({ seed: false, latencyMs, rateLimit: { requestsPerSecond: limit, retryAfter } });
  const dir = mkdtempSync(join(tmpdir(), 'throttle-bench-'));
  const projectId = randomBytes(16).toString('hex');
  const instances = Array.from({ length: n }, (_, i) => {
    const inst = emulator.addInstance(projectId, { name: `inst-${i}`, engine: 'kafka' });
    return { id: inst.instance_id, engine: 'kafka', name: `inst-${i}` };
  });
  const config = {
    endpoint: emulator.url,
    requestsPerSecond: rps,
    projects: { [projectId]: { region: 'cn-north-4', instances } },
    notify: { concurrency },
  };
  const env = {
    DMS_TASKS_CONFIG: JSON.stringify(config),
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
  };
  const store = new FileStore(join(dir, 'state.json'));
  const handler = createNotifyHandler({ env, store, log: () => undefined, budgets: MODES[mode](rps) });
  const t0 = Date.now();
  const context = { getRemainingTimeInMillis: () => 300_000 - (Date.now() - t0) };
  const s = await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, context);
  const ms = Date.now() - t0;
  console.log(
    `${mode.padEnd(7)} ${String(ms).padStart(6)} ms  scanned ${s.instancesScanned} failed ${s.instancesFailed} ` +
      `skipped ${s.instancesSkipped}  429s sent ${emulator.throttled}  summary throttled ${s.throttled} ` +
      `budgetWaitMs ${s.budgetWaitMs}  DMS requests ${emulator.requests.length}`,
  );
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const modes = arg('modes', 'budget,alone').split(',') as Mode[];
  for (const m of modes) if (!(m in MODES)) throw new Error(`unknown mode ${m} (budget, alone)`);
  const withRetryAfter = process.argv.includes('--retry-after') ? ' with Retry-After' : '';
  console.log(
    `emulator limit ${arg('limit', '10')}/s per AK${withRetryAfter}, ` +
      `${arg('instances', '200')} instances, concurrency ${arg('concurrency', '16')}, budget ${arg('rps', '20')}/s`,
  );
  for (const m of modes) await runMode(m);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
