import type { DoctorReport } from './runDoctor';

const HEADERS = ['check', 'subject', 'verdict', 'evidence', 'fix'] as const;

/** Cuts a cell to `max` characters (a table row stays readable in a terminal or a log). */
function cell(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The report as a plain-text table (what `npm run doctor` prints and `GET /ops/v1/doctor` answers to
 * `Accept: text/plain`): one row per check, problems first, then unknowns, then the rest, with a last
 * line of counts.
 */
export function renderDoctorText(report: DoctorReport, width = { evidence: 90, fix: 110 }): string {
  const order = { problem: 0, unknown: 1, ok: 2 } as const;
  const rows = [...report.results]
    .sort((a, b) => order[a.verdict] - order[b.verdict])
    .map((r) => [r.check, r.subject, r.verdict, cell(r.evidence, width.evidence), cell(r.fix ?? '', width.fix)]);
  const all = [[...HEADERS], ...rows];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const { ok, problem, unknown } = report.counts;
  return [
    line(all[0] ?? []),
    ...rows.map(line),
    '',
    `${problem} problem, ${unknown} unknown, ${ok} ok (checked at ${report.checkedAt})`,
  ].join('\n');
}
