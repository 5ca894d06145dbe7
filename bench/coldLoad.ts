import { spawnSync } from 'node:child_process';
import { median } from './stats';

export interface ColdTarget {
  readonly name: string;
  /** Script run with `node -e`: loads and initialises the bundle. Empty for bare node. */
  readonly script: string;
}

export interface ColdResult {
  readonly name: string;
  readonly medianMs: number;
  readonly samples: number;
}

/**
 * Starts a fresh `node` process per sample and times it from spawn to exit, `runs` times per target,
 * interleaved (target A, B, C, A, B, C...) so drift in machine load hits every target alike.
 */
export function measureColdLoad(targets: readonly ColdTarget[], runs: number, env: NodeJS.ProcessEnv): ColdResult[] {
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (const t of targets) spawnSync(process.execPath, ['-e', t.script], { env }); // warm the file cache once
  for (let i = 0; i < runs; i++) {
    for (const t of targets) {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-e', t.script], { env, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`cold load of ${t.name} failed: ${r.stderr.slice(0, 500)}`);
      samples.get(t.name)?.push(ms);
    }
  }
  return targets.map((t) => {
    const s = samples.get(t.name) ?? [];
    return { name: t.name, medianMs: median(s), samples: s.length };
  });
}
