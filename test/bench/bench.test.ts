import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Row } from '../../bench/table';

const run = promisify(execFile);

describe('npm run bench (tiny sizes, so it does not rot)', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('prints one table and writes the same figures as JSON', async () => {
    out = await mkdtemp(join(tmpdir(), 'dtf-bench-test-'));
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--runs',
        '2',
        '--calls',
        '5',
        '--instances',
        '6',
        '--latency',
        '2',
        '--concurrency',
        '4',
        '--rtt',
        '2',
        '--handshake-calls',
        '5',
        '--reps',
        '2',
        '--out',
        out,
      ],
      {
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        timeout: 170_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const report = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as {
      rows: Row[];
      options: { instances: number };
      scan: { requests: number; deliveries: number; failuresPlanted: number };
      tls: { walk: { pages: number; tasks: number; handshakes: number } };
    };
    const sections = new Set(report.rows.map((r) => r.section));
    expect([...sections].sort()).toEqual(['bundle', 'cold', 'interactive', 'scan', 'warm']);
    for (const r of report.rows) {
      expect(Number.isFinite(r.ours), r.metric).toBe(true);
      expect(Number.isFinite(r.reference), r.metric).toBe(true);
      // Differences ("load above node", "cost above floor") may dip below zero with a handful of samples; sizes, times
      // and counts may not.
      if (!r.metric.includes(' above ')) expect(r.ours, r.metric).toBeGreaterThanOrEqual(0);
    }
    // The table printed is the one in the JSON: every metric appears as a row.
    for (const r of report.rows) expect(stdout).toContain(`| ${r.metric}`);
    // Ours is compared against the official SDK in the same run.
    const bundle = report.rows.find((r) => r.metric === 'list bundle (KB)');
    expect(bundle && bundle.reference > bundle.ours).toBe(true);
    // The HTTPS mode ran, ours next to the SDK and the bare floor, and our client made one TLS handshake per process
    // over back-to-back calls and over two all=true walks (the built-in fetch opened a second one).
    const tls = report.rows.filter((r) => r.metric.startsWith('TLS 2 ms RTT: '));
    expect(tls.map((r) => r.metric.replace(/^TLS 2 ms RTT: /, '').replace(/\d+/g, 'N'))).toEqual([
      'floor, bare node start (ms)',
      'first list answer, ours vs bare https.get (ms)',
      'first list answer, SDK vs bare https.get (ms)',
      'list pN, ours vs bare keep-alive https.request (ms)',
      'list pN, SDK vs bare keep-alive https.request (ms)',
      'TLS handshakes over N calls, ours vs SDK',
      'TLS handshakes over N calls, bare keep-alive',
      'TLS handshakes, N all=true walks of N pages (list handler)',
      'all=true walk of N pages, first vs second in a process (ms)',
      'list handler (shipped settings) back-to-back pN vs bare keep-alive request (ms)',
      'list handler (shipped settings) all=true walk of N pages vs N sequential bare requests (ms)',
    ]);
    // The fleet page's cold view: 25 DMS calls, every answer 200 (the row throws otherwise).
    expect(
      report.rows.find((r) => r.metric.startsWith('fleet page cold view, 25 of 100 instances (25 DMS calls')),
    ).toBeTruthy();
    // Every timed row with a target shows its spread over the repetitions and is judged on their median.
    for (const r of report.rows.filter(
      (r) => r.met !== undefined && r.section !== 'bundle' && !/handshakes/.test(r.metric),
    ))
      expect(r.spread, r.metric).toMatch(/^-?[\d.]+--?[\d.]+ \(n=\d+\)$/);
    const handshakes = tls.filter((r) => r.metric.includes('TLS handshakes'));
    for (const r of handshakes) expect(r.ours, r.metric).toBe(1);
    expect(report.tls.walk).toMatchObject({ pages: 7, tasks: 64, handshakes: 1 });
    // The scan really scanned: one request per instance at least, and the planted failure was delivered.
    expect(report.scan.requests).toBeGreaterThanOrEqual(report.options.instances);
    expect(report.scan.deliveries).toBeGreaterThanOrEqual(report.scan.failuresPlanted);
  }, 180_000);
});
