import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLOB_LIMITS, globMatch, globProblem, globSteps } from '../../lib/core/glob';

/** The bound the matcher promises: pattern × text, whatever the pattern. */
const bound = (pattern: string, text: string): number => (pattern.length + 1) * (text.length + 1);

/**
 * A reference for small inputs only: the textbook dynamic programme over (pattern, text) prefixes.
 * Quadratic by construction, never backtracking; a second way to be right, not the code under test.
 */
function reference(pattern: string, text: string): boolean {
  let row = Array.from({ length: text.length + 1 }, (_, t) => t === 0);
  for (const c of pattern) {
    const next = Array.from({ length: text.length + 1 }, () => false);
    for (let t = 0; t <= text.length; t++) {
      if (c === '*') next[t] = (row[t] ?? false) || (t > 0 && (next[t - 1] ?? false));
      else next[t] = t > 0 && (row[t - 1] ?? false) && text[t - 1] === c;
    }
    row = next;
  }
  return row[text.length] ?? false;
}

describe('globMatch', () => {
  it.each([
    ['kafka-*', 'kafka-orders', true],
    ['kafka-*', 'rocketmq-orders', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['*orders*', 'kafka-orders-eu', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['*.*', 'a.b', true],
    ['a.c', 'abc', false],
    ['(x)+?', '(x)+?', true],
    ['*#', 'kafka-orders', false],
    ['Kafka-*', 'kafka-orders', false],
    ['multi*line', 'multi\nline', true],
  ])('%j against %j: %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
    expect(reference(pattern, text)).toBe(expected);
  });

  it('agrees with the reference on 2,000 random patterns and texts (small alphabet, so stars matter)', () => {
    const chars = fc.constantFrom('a', 'b', '*', '.');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 10 }), fc.string({ unit: chars, maxLength: 14 }), (p, t) => {
        expect(globMatch(p, t)).toBe(reference(p, t));
      }),
      { numRuns: 2000, seed: 20 },
    );
  });
});

describe('globSteps on adversarial patterns (counted, not timed)', () => {
  const uuid = 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f';
  const cases: [string, string, string][] = [
    ['the issue’s silence, 8 stars, on an instance id', '********#', uuid],
    ['9 stars on an instance id', '*********#', uuid],
    ['8 stars on a 10,000-character text', '********#', 'a'.repeat(10_000)],
    ['9 stars on a 10,000-character text', '*********#', 'a'.repeat(10_000)],
    ['16 stars between letters, no match', `${'a*'.repeat(16)}b`, 'a'.repeat(5_000)],
    [
      'a long literal after a star, almost matching everywhere',
      `*${'a'.repeat(127)}`.slice(0, 128),
      `${'a'.repeat(126)}b`.repeat(40),
    ],
    ['stars around a literal that never occurs', '*x*x*x*x*x*x*x*x*', 'y'.repeat(10_000)],
  ];
  it.each(cases)('%s: within pattern × text', (_label, pattern, text) => {
    const { matched, steps } = globSteps(pattern, text);
    expect(matched).toBe(false);
    expect(steps).toBeLessThanOrEqual(bound(pattern, text));
  });

  it('the issue’s pattern costs at most two steps per character, however many stars (was exponential)', () => {
    for (const stars of [1, 8, 9, 16]) {
      const pattern = `${'*'.repeat(stars)}#`;
      for (const length of [36, 1_000, 10_000]) {
        const { steps } = globSteps(pattern, 'a'.repeat(length));
        expect(steps).toBeLessThanOrEqual(2 * length + stars + 1);
      }
    }
  });

  it('grows linearly with the text: ten times the text, under eleven times the steps (quadratic would be 100)', () => {
    for (const pattern of ['*a*a*a*a*b', '********#', `*${'ab'.repeat(30)}c`]) {
      const small = globSteps(pattern, 'ab'.repeat(500)).steps;
      const large = globSteps(pattern, 'ab'.repeat(5_000)).steps;
      expect(large / small).toBeLessThan(11);
    }
  });
});

describe('globProblem (the limits every reader of patterns applies)', () => {
  it.each([
    ['', 'must not be empty'],
    ['a'.repeat(GLOB_LIMITS.maxLength + 1), `must be at most ${GLOB_LIMITS.maxLength} characters`],
    ['*'.repeat(GLOB_LIMITS.maxWildcards + 1), `at most ${GLOB_LIMITS.maxWildcards} "*" wildcards`],
    [`${'a*'.repeat(GLOB_LIMITS.maxWildcards + 1)}`, 'wildcards'],
  ])('refuses %j', (pattern, problem) => {
    expect(globProblem(pattern)).toContain(problem);
  });

  it.each(['a'.repeat(GLOB_LIMITS.maxLength), '*'.repeat(GLOB_LIMITS.maxWildcards), '********#', 'kafka-*'])(
    'accepts %j',
    (pattern) => {
      expect(globProblem(pattern)).toBeUndefined();
    },
  );
});
