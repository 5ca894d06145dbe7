import { percentile } from './stats';

export interface WarmTarget {
  readonly name: string;
  /** One complete call; resolves when the response is fully handled. */
  readonly call: () => Promise<unknown>;
}

export interface WarmResult {
  readonly name: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly calls: number;
}

/** Warms every target up, then times `calls` calls of each, interleaved one by one. */
export async function measureWarmCalls(
  targets: readonly WarmTarget[],
  calls: number,
  warmup = 20,
): Promise<WarmResult[]> {
  for (let i = 0; i < warmup; i++) for (const t of targets) await t.call();
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < calls; i++) {
    for (const t of targets) {
      const start = process.hrtime.bigint();
      await t.call();
      samples.get(t.name)?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return targets.map((t) => {
    const s = samples.get(t.name) ?? [];
    return { name: t.name, p50Ms: percentile(s, 50), p99Ms: percentile(s, 99), calls: s.length };
  });
}
