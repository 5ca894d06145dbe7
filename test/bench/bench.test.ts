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
    };
    const sections = new Set(report.rows.map((r) => r.section));
    expect([...sections].sort()).toEqual(['bundle', 'cold', 'scan', 'warm']);
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
    // The scan really scanned: one request per instance at least, and the planted failure was delivered.
    expect(report.scan.requests).toBeGreaterThanOrEqual(report.options.instances);
    expect(report.scan.deliveries).toBeGreaterThanOrEqual(report.scan.failuresPlanted);
  }, 180_000);
});
