/**
 * Issue 20 item 1's example, measured (docs/silences.md, "Patterns"):
 *
 *   node --import tsx scripts/glob-bench.ts [--pattern '********#'] [--runs 3]
 *
 * Starts the emulator with its seed and the webhook sink, then twice on a fresh file store, once
 * without a silence and once with an operator API silence of instances `--pattern` (created with
 * `POST /ops/v1/silences`): one notifier run without a baseline (every seed failure is queued and
 * comes due, so every item is matched against the silence), then `GET /ops/v1/fleet.json` with the
 * bearer token (every visible instance's id and name matched against it), median of `--runs`.
 * Real clock, real HTTP to the emulator and the sink; the figures compare the two stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../dev/emulator';
import { buildLocalConfig, localEnvironment, localNotify } from '../dev/localConfig';
import { startSink } from '../dev/sink';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import { createOpsHandler } from '../lib/ops/createOpsHandler';
import { FileStore } from '../lib/state/fileStore';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const TOKEN = 'glob-bench-token-0123456789abcdef';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function event(method: string, path: string, body?: string) {
  return {
    version: '2.0',
    rawPath: path,
    rawQueryString: '',
    headers: { host: '127.0.0.1:1', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    requestContext: { http: { method, path }, requestId: 'glob-bench' },
    isBase64Encoded: false,
    ...(body ? { body } : {}),
  };
}

async function main(): Promise<void> {
  const pattern = arg('pattern', '********#');
  const runs = Number(arg('runs', '3'));
  const emulator = await startEmulator({});
  const sink = await startSink();
  const local = localNotify(sink.url);
  for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
  const rows: string[][] = [
    ['silence', 'notifier run ms', 'queued items', 'fleet.json status', 'fleet.json median ms'],
  ];
  try {
    for (const silenced of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'glob-bench-'));
      try {
        const storePath = join(dir, 'state.json');
        const notify = { ...local.notify, baseline: false, store: { type: 'file', path: storePath } };
        const env = {
          ...localEnvironment(buildLocalConfig({ endpoint: emulator.url, notify }), [TOKEN]),
          ...local.env,
        };
        const store = new FileStore(storePath);
        const ops = createOpsHandler({ env, store, log: () => {} });
        if (silenced) {
          const body = JSON.stringify({
            endsAt: new Date(Date.now() + 3_600_000).toISOString(),
            matchers: { instances: [pattern] },
            createdBy: 'glob-bench',
          });
          const created = await ops(event('POST', '/ops/v1/silences', body), {});
          if (created.statusCode !== 201) throw new Error(`silence refused: ${created.statusCode} ${created.body}`);
        }
        let queued = 0;
        const t0 = performance.now();
        await createNotifyHandler({
          env,
          store,
          log: (e) => {
            if (e.msg === 'notify run' && typeof e.queued === 'number') queued = e.queued;
          },
        })({}, { getRemainingTimeInMillis: () => 600_000 });
        const runMs = performance.now() - t0;
        const times: number[] = [];
        let status = 0;
        for (let r = 0; r < runs; r++) {
          const started = performance.now();
          const res = await ops(event('GET', '/ops/v1/fleet.json'), {});
          times.push(performance.now() - started);
          status = res.statusCode;
        }
        rows.push([
          silenced ? `instances ${JSON.stringify(pattern)}` : 'none',
          runMs.toFixed(0),
          String(queued),
          String(status),
          median(times).toFixed(1),
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    console.log(`\nglob matching, emulator seed, median of ${runs} fleet.json views:`);
    for (const r of rows) console.log(`  ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ')}`);
  } finally {
    await emulator.close();
    await sink.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
