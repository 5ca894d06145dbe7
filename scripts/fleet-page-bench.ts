/**
 * Figures of the fleet page over many watched instances (README, "The fleet page"):
 *
 *   node --import tsx scripts/fleet-page-bench.ts [--instances 1000] [--latency-ms 20] [--runs 15] [--rps 20]
 *
 * Starts the emulator (no seed) with N instances in two projects and three engines, each with one
 * running and one failed task, runs the notifier once against the local sink (no baseline: cursors
 * and outbox records for every instance, one webhook destination), then serves the page through the
 * ops handler at `/ops/v1/fleet` and measures one signed-in page view: HTML size, handler time with
 * a cold and a warm listing cache (median of --runs), the DMS calls each view made (counted by the
 * emulator), a search, and the JSON. Real clock, real HTTP to the emulator, the request budget at
 * `--rps` requests per second (the default 20 is the production one). Any answer but 200 stops it
 * (`bench/fleetView.ts`). `npm run bench` has the cold view of page 1 as a row of its own.
 */
import { performance } from 'node:perf_hooks';
import { startFleetFixture } from '../bench/fleetView';
import { FLEET_JSON_PATH, PAGE_BASE } from '../lib/ops/page/constants';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const n = Number(arg('instances', '1000'));
  const latencyMs = Number(arg('latency-ms', '20'));
  const runs = Number(arg('runs', '15'));
  const rps = Number(arg('rps', '20'));
  const fixture = await startFleetFixture({ instances: n, latencyMs, requestsPerSecond: rps });
  try {
    console.log(`notifier run over ${n} instances (cursors and outbox records): ${Math.round(fixture.notifierMs)} ms`);
    const rows: string[][] = [['view', 'status', 'bytes', 'median ms', 'DMS calls per view']];
    const measure = async (label: string, query: string, cold: boolean, path = PAGE_BASE): Promise<void> => {
      const times: number[] = [];
      let last = { bytes: 0, status: 0, calls: 0 };
      for (let r = 0; r < runs; r++) {
        // A cold view: a fresh handler (empty listing cache), signed in with the same cookie.
        const h = cold ? fixture.newHandler() : fixture.handler;
        fixture.emulator.resetRequests();
        const started = performance.now();
        const res = await fixture.view(h, path, query);
        times.push(performance.now() - started);
        last = { bytes: Buffer.byteLength(res.body), status: res.statusCode, calls: fixture.emulator.requests.length };
      }
      rows.push([label, String(last.status), String(last.bytes), median(times).toFixed(1), String(last.calls)]);
    };
    await fixture.view(fixture.handler, PAGE_BASE);
    await measure(`page 1 of ${n}, 25 shown, cold cache`, '', true);
    await measure(`page 1 of ${n}, 25 shown, warm cache (30 s)`, '', false);
    await measure(`page 40 of ${n}, cold cache`, 'page=40', true);
    await measure(`search "rocketmq-09", cold cache`, 'q=rocketmq-09', true);
    await measure(`100 per page, cold cache`, 'page_size=100', true);
    await measure(`JSON, page 1, cold cache`, '', true, FLEET_JSON_PATH);
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    console.log(
      `\nfleet page, ${n} instances, emulator latency ${latencyMs} ms, ${rps} DMS requests/s, median of ${runs}:`,
    );
    for (const r of rows) console.log(`  ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ')}`);
  } finally {
    await fixture.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
