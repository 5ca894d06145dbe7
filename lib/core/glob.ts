/**
 * Glob patterns (`*` matches any run of characters, everything else is literal, case-sensitive), as
 * silences, filters and stuck thresholds use them. Matched by a two-pointer scan, never by a regular
 * expression built from the pattern: a pattern comes from an operator (API token, page session), and
 * a backtracking `^.*.*.*#$` took seconds per match (issue 20).
 *
 * Cost: at most `(pattern.length + 1) × (text.length + 1)` steps, whatever the pattern. On a mismatch
 * after a `*` the scan resumes one character further into the text from the last `*` only (earlier
 * stars never need revisiting: the last star can absorb whatever an earlier one would), so each text
 * position is tried against each pattern position at most once.
 */

/** Bounds of one pattern, checked where patterns are read (configuration, silences, the page's form). */
export const GLOB_LIMITS = {
  /** Characters in one pattern: longer than any DMS id or name (64) with room for wildcards. */
  maxLength: 128,
  /** `*` in one pattern: consecutive ones mean the same as one, so more is never needed. */
  maxWildcards: 16,
  /** Patterns in one list (a silence's `instances`, a filter's `include`): bounds the work per item. */
  maxPatterns: 32,
} as const;

/** The outcome of one match and the steps (character comparisons and resumptions) it took. */
export interface GlobResult {
  readonly matched: boolean;
  readonly steps: number;
}

/** {@link globMatch}, counting its steps: what the tests bound on adversarial patterns. */
export function globSteps(pattern: string, text: string): GlobResult {
  let p = 0;
  let t = 0;
  /** Position of the last `*` seen, and the text position it currently absorbs up to. */
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (t < text.length) {
    steps++;
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (c !== undefined && c === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return { matched: false, steps };
    }
  }
  while (pattern[p] === '*') {
    steps++;
    p++;
  }
  return { matched: p === pattern.length, steps };
}

/** Whether `text` matches the glob `pattern` as a whole. */
export function globMatch(pattern: string, text: string): boolean {
  return globSteps(pattern, text).matched;
}

/** What is wrong with a pattern (`undefined`: nothing), worded to follow the name of its field. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > GLOB_LIMITS.maxLength) return `must be at most ${GLOB_LIMITS.maxLength} characters`;
  let stars = 0;
  for (const c of pattern) if (c === '*') stars++;
  if (stars > GLOB_LIMITS.maxWildcards) return `must have at most ${GLOB_LIMITS.maxWildcards} "*" wildcards`;
  return undefined;
}
