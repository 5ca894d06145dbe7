import { spawnSync } from 'node:child_process';
import { median, repeated, type Repeated } from './stats';

export interface ColdTarget {
  readonly name: string;
  /** Script run with `node -e`: loads and initialises the bundle. Empty for bare node. */
  readonly script: string;
}

export interface ColdResult {
  readonly name: string;
  readonly medianMs: number;
  /**
   * Median over rounds of (this target's time - the first target's time in the same round): pairing
   * each sample with the baseline measured right before it cancels most of the machine's drift.
   */
  readonly medianAboveBaselineMs: number;
  /** The per-round differences behind {@link medianAboveBaselineMs}: their median and range. */
  readonly aboveBaseline: Repeated;
  /** Median time the script itself took inside the fresh process (require + initialise), from `performance.now()`. */
  readonly medianInProcessMs: number;
  readonly samples: number;
}

/**
 * Starts a fresh `node` process per sample and times it from spawn to exit, `runs` times per target,
 * interleaved (target A, B, C, A, B, C...) so drift in machine load hits every target alike. The first
 * target is the baseline (bare node).
 */
export function measureColdLoad(targets: readonly ColdTarget[], runs: number, env: NodeJS.ProcessEnv): ColdResult[] {
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  const inProcess = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  // The script is timed inside the process too: process start-up noise (tens of ms here) does not reach that figure.
  const wrap = (script: string): string =>
    `const t0=performance.now();${script};process.stdout.write('\\n@@'+(performance.now()-t0))`;
  for (const t of targets) spawnSync(process.execPath, ['-e', wrap(t.script)], { env }); // warm the file cache once
  for (let i = 0; i < runs; i++) {
    for (const t of targets) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-e', wrap(t.script)], { env, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`cold load of ${t.name} failed: ${r.stderr.slice(0, 500)}`);
      samples.get(t.name)?.push(ms);
      inProcess.get(t.name)?.push(Number(r.stdout.split('\n@@').pop()));
    }
  }
  const baseline = samples.get(targets[0]?.name ?? '') ?? [];
  return targets.map((t) => {
    const s = samples.get(t.name) ?? [];
    return {
      name: t.name,
      medianMs: median(s),
      medianAboveBaselineMs: median(s.map((v, i) => v - (baseline[i] ?? v))),
      aboveBaseline: repeated(s.map((v, i) => v - (baseline[i] ?? v))),
      medianInProcessMs: median(inProcess.get(t.name) ?? []),
      samples: s.length,
    };
  });
}
