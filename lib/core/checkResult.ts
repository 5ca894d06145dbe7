/** What one self-check found: `ok`, a `problem` to fix, or `unknown` (it could not be told from here). */
export const VERDICTS = ['ok', 'problem', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * One row of the self-check (`GET /ops/v1/doctor`, `npm run doctor`, the notifier's cold-start subset).
 * `evidence` holds what was observed (status codes, upstream request ids, figures) and never a secret's
 * value; `fix` is one sentence, present on every row that is not `ok`.
 */
export interface CheckResult {
  /** A stable id of the check, e.g. `dms.credentials`. */
  readonly check: string;
  /** What was checked: a project id, a destination id, a secret reference (`env:NAME`), the store. */
  readonly subject: string;
  readonly verdict: Verdict;
  readonly evidence: string;
  readonly fix?: string;
}

/** An `ok` row. */
export function ok(check: string, subject: string, evidence: string): CheckResult {
  return { check, subject, verdict: 'ok', evidence };
}

/** A `problem` row with its fix. */
export function problem(check: string, subject: string, evidence: string, fix: string): CheckResult {
  return { check, subject, verdict: 'problem', evidence, fix };
}

/** An `unknown` row: why it cannot be told, and how to settle it. */
export function unknown(check: string, subject: string, evidence: string, fix: string): CheckResult {
  return { check, subject, verdict: 'unknown', evidence, fix };
}
