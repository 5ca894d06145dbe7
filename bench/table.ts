export interface Row {
  readonly section: 'bundle' | 'cold' | 'warm' | 'interactive' | 'scan';
  readonly metric: string;
  readonly ours: number;
  readonly reference: number;
  /** ours / reference */
  readonly ratio: number;
  readonly target: string;
  /**
   * undefined: no target for this row. Judged on the median of the repetitions (the figure shown),
   * never on the best of them.
   */
  readonly met: boolean | undefined;
  /**
   * The range of the judged figure (the ratio when there is a target on it, else `ours`) over the
   * repetitions, `min-max (n=N)`; absent for a figure measured once (a size, a count).
   */
  readonly spread?: string;
}

/** A Markdown table, so the output pastes straight into the README. */
export function renderTable(rows: readonly Row[]): string {
  const head = ['metric', 'ours', 'reference', 'ratio', 'spread', 'target', 'met'];
  const lines = rows.map((r) => [
    r.metric,
    String(r.ours),
    String(r.reference),
    String(r.ratio),
    r.spread ?? '',
    r.target,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}
