import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

/** Every `.ts` file below `dir` (relative to the repository root). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The top-level folder each relative import or require of `file` resolves to. */
function importedFolders(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](\.[^'"]*)['"]/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split(/[\\/]/)[0] as string);
}

/** Which folders may not be imported from which. */
const FORBIDDEN: Record<string, readonly string[]> = {
  lib: ['dev', 'test', 'scripts', 'bench', 'functions'],
  functions: ['dev', 'test', 'scripts', 'bench'],
  dev: ['test', 'scripts', 'bench'],
  scripts: ['test'],
  bench: ['test'],
};

describe('layering between top-level folders', () => {
  it('finds the folder of a relative import (the check itself works)', () => {
    expect(importedFolders('lib/http/x.ts', "import { a } from '../../dev/emulator';")).toEqual(['dev']);
    expect(importedFolders('scripts/x.ts', "const t = require('../test/support/y');")).toEqual(['test']);
    expect(importedFolders('lib/http/x.ts', "import { b } from '../core/sleep';")).toEqual(['lib']);
  });

  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${folder}/ imports nothing from ${forbidden.join(', ')}`, () => {
      const offending: string[] = [];
      for (const file of sources(folder)) {
        for (const target of importedFolders(file, readFileSync(join(ROOT, file), 'utf8'))) {
          if (forbidden.includes(target)) offending.push(`${file} -> ${target}/`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});
