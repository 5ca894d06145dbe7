/** Percentile by nearest rank (p in 0..100) of a non-empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The median of repeated figures with their range: what a row shows and judges by. */
export interface Repeated {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** {@link Repeated} of the figures of `values` (one per repetition). */
export function repeated(values: readonly number[]): Repeated {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    n: values.length,
  };
}

/** `min-max (n=N)` rounded to `digits`, for the table's spread column. */
export function spreadText(r: Repeated, digits = 3): string {
  return `${round(r.min, digits)}-${round(r.max, digits)} (n=${r.n})`;
}
