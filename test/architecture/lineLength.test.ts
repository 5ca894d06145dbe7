import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const MAX = 120;

/** The TypeScript files git knows (tracked, or new and not ignored). */
function sourceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  return out
    .toString()
    .split('\n')
    .filter((f) => /\.(ts|mts)$/.test(f));
}

/** `file:line (length)` for every line longer than `max`. */
function longLines(name: string, text: string, max: number): string[] {
  return text.split('\n').flatMap((line, i) => (line.length > max ? [`${name}:${i + 1} (${line.length})`] : []));
}

describe('line length', () => {
  it('finds a long line (the check itself works)', () => {
    expect(longLines('x.ts', `short\n${'a'.repeat(MAX + 1)}\n`, MAX)).toEqual([`x.ts:2 (${MAX + 1})`]);
  });

  it(`no source line is longer than ${MAX} characters (the formatter wraps code, not comments or strings)`, () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => longLines(f, readFileSync(join(ROOT, f), 'utf8'), MAX));
    expect(found).toEqual([]);
  });
});
