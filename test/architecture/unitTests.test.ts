import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../lib/core/glob';
import { UNIT_TESTS } from '../support/unitTests';

const ROOT = resolve(__dirname, '..', '..');

/** Every test file (relative to the repository root). */
function testFiles(dir = 'test'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative('.', path)] : [];
  });
}

/** What a unit test must not import: servers, child processes, browsers, bundlers, the SDK oracle. */
const SLOW_PARTS = [
  /dev\/(emulator|sink|serveHandler|redis|dynalite|chromium)/,
  /notify\/harness|ops\/stack|support\/(functions|http)/,
  /node:(child_process|http|https|net|dns)/,
  /playwright|esbuild|ioredis|dynalite|@huaweicloud|sdkOracle/,
];

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  // Import statements only (a line that starts one, or ends a multi-line one): not strings in test data.
  return [...text.matchAll(/^(?:import|\}).*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

describe('npm run test:unit (test/support/unitTests.ts)', () => {
  const all = testFiles();
  const unit = all.filter((f) => UNIT_TESTS.some((pattern) => globMatch(pattern, f)));

  it('every entry names at least one test file', () => {
    for (const pattern of UNIT_TESTS)
      expect(
        all.some((f) => globMatch(pattern, f)),
        pattern,
      ).toBe(true);
  });

  it('its files start nothing: no server, child process, browser, bundler or SDK import', () => {
    expect(unit.length).toBeGreaterThan(20);
    const offending = unit.flatMap((f) =>
      imports(f)
        .filter((spec) => SLOW_PARTS.some((p) => p.test(spec)))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
