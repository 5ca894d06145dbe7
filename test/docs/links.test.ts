import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README is the manual (at most 300 lines) and points into docs/ and examples/; every relative
 * link there, in docs/ and in examples/README.md must reach a file, so moving a page cannot strand one.
 */

const ROOT = join(__dirname, '../..');
const pages = [
  'README.md',
  'examples/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Relative link targets of a Markdown page, without their #anchor. */
function links(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1] ?? '';
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.split('#')[0] ?? '');
  }
  return out;
}

describe('documentation links', () => {
  it('README.md is at most 300 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('every relative link of README.md, docs/*.md and examples/README.md reaches a file', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const target of links(readFileSync(join(ROOT, page), 'utf8'))) {
        if (!existsSync(join(ROOT, dirname(page), target))) broken.push(`${page} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
