import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, startEmulator } from '../dev/emulator';
import { startSink } from '../dev/sink';
import { cleanEnv } from './cleanEnv';
import { repeated, round, spreadText } from './stats';
import type { Row } from './table';

export interface ScanOptions {
  readonly instances: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  /** Runs of each size; the rows show the median and the range. @default 1 */
  readonly reps?: number;
  /** `NODE_OPTIONS` of the notifier's process, as a deployment sets it. @default none */
  readonly nodeOptions?: string;
}

export interface ScanResult {
  readonly instances: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  /** Handler invocation, from event in to summary out (module load excluded). */
  readonly wallMs: number;
  /** ceil(requests / concurrency) x latency: what perfect overlap would cost. */
  readonly lowerBoundMs: number;
  /** DMS requests the emulator answered. */
  readonly requests: number;
  readonly deliveries: number;
  readonly failuresPlanted: number;
  /** Instances the run scanned (its summary's `instancesScanned`). */
  readonly instancesScanned: number;
  /** CPU time (user + system) of the notifier process during the invocation, module load excluded. */
  readonly cpuMs: number;
  /** `cpuMs` / `instancesScanned`. */
  readonly cpuMsPerInstance: number;
  /** Peak resident set of the process that ran the handler. */
  readonly peakRssMb: number;
  readonly summary: Record<string, unknown>;
}

/** The scan targets of issue 9: notifier CPU per scanned instance, and peak RSS at 10,000 instances. */
export const SCAN_TARGETS = { cpuMsPerInstance: 0.5, peakRssMb: 150 } as const;

/**
 * The scan rows: `reps` runs at `options.instances` (CPU per instance, wall time next to the lower
 * bound, requests, peak RSS) and `reps` at `largeInstances` (peak RSS against its target, CPU per
 * instance); each figure the median of its runs, with their range.
 */
export async function scanRows(
  bundlePath: string,
  options: ScanOptions,
  largeInstances: number,
): Promise<{ rows: Row[]; scan: ScanResult; scanLarge: ScanResult; runs: ScanResult[]; largeRuns: ScanResult[] }> {
  const reps = Math.max(1, options.reps ?? 1);
  const runs: ScanResult[] = [];
  const largeRuns: ScanResult[] = [];
  for (let r = 0; r < reps; r++) runs.push(await runScan(bundlePath, options));
  for (let r = 0; r < reps; r++) largeRuns.push(await runScan(bundlePath, { ...options, instances: largeInstances }));
  const row = (
    metric: string,
    figures: readonly number[],
    reference: number,
    target: string,
    limit: number | undefined,
    digits: number,
  ): Row => {
    const r = repeated(figures);
    return {
      section: 'scan',
      metric,
      ours: round(r.median, digits),
      reference,
      ratio: round(r.median / reference, 3),
      ...(figures.length > 1 ? { spread: spreadText(r, digits) } : {}),
      target,
      met: limit === undefined ? undefined : r.median <= limit,
    };
  };
  const at = (results: readonly ScanResult[]): string =>
    `scan ${results[0]?.instances ?? 0} instances (budget ${REQUESTS_PER_SECOND}/s)`;
  const cpuRow = (results: readonly ScanResult[]): Row =>
    row(
      `${at(results)} CPU per instance (ms)`,
      results.map((r) => r.cpuMsPerInstance),
      SCAN_TARGETS.cpuMsPerInstance,
      `<= ${SCAN_TARGETS.cpuMsPerInstance} ms`,
      SCAN_TARGETS.cpuMsPerInstance,
      3,
    );
  const rssRow = (results: readonly ScanResult[], target: boolean): Row =>
    row(
      `${at(results)} peak RSS, file store (MB)`,
      results.map((r) => r.peakRssMb),
      SCAN_TARGETS.peakRssMb,
      target ? `<= ${SCAN_TARGETS.peakRssMb} MB` : '-',
      target ? SCAN_TARGETS.peakRssMb : undefined,
      1,
    );
  const scan = runs[runs.length - 1] ?? (await runScan(bundlePath, options));
  const scanLarge = largeRuns[largeRuns.length - 1] ?? scan;
  const rows = [
    cpuRow(runs),
    row(
      `${at(runs)} wall (ms)`,
      runs.map((r) => r.wallMs),
      scan.lowerBoundMs,
      '- (lower bound)',
      undefined,
      0,
    ),
    row('scan requests made', [scan.requests], scan.requests, '-', undefined, 0),
    rssRow(runs, false),
    cpuRow(largeRuns),
    rssRow(largeRuns, true),
  ];
  return { rows, scan, scanLarge, runs, largeRuns };
}

const PROJECT = '0b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e';
/**
 * DMS requests per second the scan rows allow (their names say so): the emulator has no limit, and the
 * default budget (20/s, the cloud's pace) would make these rows measure the budget (10,000 instances:
 * 500 s) instead of the notifier's CPU and memory.
 */
const REQUESTS_PER_SECOND = 10_000;

/**
 * `notify-on-failure` over N watched instances, each with a few tasks, one in 50 with a fresh failure.
 * The emulator and the webhook sink run in this process and add a fixed latency to every DMS request;
 * the handler bundle runs in a child process, so its CPU time and peak RSS are its own. The
 * configuration goes by file (`DMS_TASKS_CONFIG_FILE`): at 10,000 instances it is over 1 MB, more
 * than one environment variable may hold (128 KiB on Linux).
 */
export async function runScan(bundlePath: string, options: ScanOptions): Promise<ScanResult> {
  const emu = await startEmulator({ seed: false });
  const sink = await startSink();
  const dir = await mkdtemp(join(tmpdir(), 'dtf-scan-'));
  try {
    const now = Date.now();
    const instances: { id: string; engine: 'kafka' | 'rocketmq' | 'rabbitmq'; name: string }[] = [];
    let failuresPlanted = 0;
    const engines = ['kafka', 'rocketmq', 'rabbitmq'] as const;
    for (let i = 0; i < options.instances; i++) {
      const engine = engines[i % 3] ?? 'kafka';
      const inst = emu.addInstance(PROJECT, { name: `bench-${i}`, engine });
      instances.push({ id: inst.instance_id, engine, name: `bench-${i}` });
      for (let t = 0; t < 3; t++) {
        emu.addTask(PROJECT, inst.instance_id, {
          status: 'SUCCESS',
          created_at: new Date(now - (t + 1) * 3_600_000).toISOString(),
        });
      }
      if (i % 50 === 0) {
        emu.addTask(PROJECT, inst.instance_id, { status: 'FAILED', created_at: new Date(now - 600_000).toISOString() });
        failuresPlanted++;
      }
    }
    emu.setLatency(options.latencyMs);
    emu.resetRequests();
    const config = {
      endpoint: emu.url,
      requestsPerSecond: REQUESTS_PER_SECOND,
      projects: { [PROJECT]: { region: 'cn-north-4', instances } },
      http: { authRequired: false },
      notify: {
        baseline: false,
        concurrency: options.concurrency,
        allowInsecureWebhooks: true,
        store: { type: 'file', path: join(dir, 'state.json') },
        destinations: {
          sink: { type: 'webhook', url: { env: 'BENCH_SINK_URL' }, secrets: [{ env: 'BENCH_SINK_SECRET' }] },
        },
        routes: { all: { destinations: ['sink'] } },
      },
    };
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify(config));
    // A clean environment: nothing inherited (NODE_OPTIONS would change the heap measured).
    const env = cleanEnv({
      CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
      CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
      BENCH_SINK_URL: sink.urlFor('webhook', 'bench'),
      BENCH_SINK_SECRET: `whsec_${Buffer.from('bench-secret-key-0123456789abcdef').toString('base64')}`,
      DMS_TASKS_CONFIG_FILE: configFile,
      ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
    });
    const r = parseResult(await runNode(childScript(bundlePath), env));
    const requests = emu.requests.length;
    const scanned = typeof r.summary.instancesScanned === 'number' ? r.summary.instancesScanned : 0;
    return {
      instances: options.instances,
      concurrency: options.concurrency,
      latencyMs: options.latencyMs,
      wallMs: r.wallMs,
      lowerBoundMs: Math.ceil(requests / options.concurrency) * options.latencyMs,
      requests,
      deliveries: sink.accepted.length,
      failuresPlanted,
      instancesScanned: scanned,
      cpuMs: r.cpuMs,
      cpuMsPerInstance: scanned > 0 ? r.cpuMs / scanned : Number.NaN,
      peakRssMb: r.maxRssKb / 1024,
      summary: r.summary,
    };
  } finally {
    await Promise.all([emu.close(), sink.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the child process reports on its last line. */
interface ChildResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly summary: Record<string, unknown>;
}

/** The child: loads the bundle, then times one scheduled invocation (wall and CPU) and reports its peak RSS. */
function childScript(bundlePath: string): string {
  const event = "{ source: 'aws.events', 'detail-type': 'Scheduled Event', time: new Date().toISOString() }";
  const context = '{ getRemainingTimeInMillis: () => 900000 }';
  const result = '{ wallMs, cpuMs, summary, maxRssKb: process.resourceUsage().maxRSS }';
  return `
    const { handler } = require(${JSON.stringify(bundlePath)});
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    handler(${event}, ${context})
      .then((summary) => {
        const cpu = process.cpuUsage(cpu0);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
        process.stdout.write('\\n@@RESULT' + JSON.stringify(${result}) + '\\n');
      })
      .catch((e) => { console.error(e && e.stack || e); process.exit(1); });
  `;
}

function parseResult(stdout: string): ChildResult {
  const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT'));
  if (!line) throw new Error('scan produced no result');
  return JSON.parse(line.slice('@@RESULT'.length)) as ChildResult;
}

/** Runs a script in a fresh node process; resolves with its stdout, rejects on a non-zero exit. */
function runNode(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    // BENCH_SCAN_PROFILE=<dir>: write a V8 CPU profile of the scanning process there (open it in Chrome
    // DevTools).
    const profile = process.env.BENCH_SCAN_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SCAN_PROFILE}`]
      : [];
    const child = spawn(process.execPath, [...profile, '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`scan process exited ${code}: ${stderr.slice(-800)}`)),
    );
  });
}
