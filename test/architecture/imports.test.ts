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
  lib: ['build', 'dev', 'test', 'scripts', 'bench', 'functions'],
  functions: ['build', 'dev', 'test', 'scripts', 'bench'],
  build: ['dev', 'test', 'scripts', 'bench'],
  dev: ['test', 'scripts', 'bench'],
  scripts: ['test'],
  bench: ['test'],
};

/**
 * The layer rule inside `lib/`: the folders each folder may import (docs/architecture.md). Lower layers
 * first; a folder never imports one that is not listed for it, so no cycle between folders can form.
 */
const LIB_LAYERS: Record<string, readonly string[]> = {
  core: [],
  signing: ['core'],
  dms: ['core', 'signing'],
  config: ['core', 'dms'],
  secrets: ['core', 'signing', 'config'],
  state: ['core', 'config'],
  runtime: ['core', 'signing', 'dms', 'config', 'secrets'],
  http: ['core', 'dms', 'config', 'secrets', 'runtime'],
  tasks: ['core', 'signing', 'dms', 'config', 'secrets', 'runtime', 'http'],
  notify: ['core', 'signing', 'dms', 'config', 'secrets', 'runtime', 'state'],
  ops: ['core', 'signing', 'dms', 'config', 'secrets', 'runtime', 'state', 'http', 'tasks', 'notify'],
};

/** The `lib/` folder of each relative import of `file` that lands in another existing `lib/` folder. */
function importedLibFolders(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](\.[^'"]*)['"]/g)].map(
    (m) => m[1] as string,
  );
  const own = file.split(/[\\/]/)[1];
  return specifiers
    .map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).split(/[\\/]/))
    .filter((parts) => parts[0] === 'lib' && parts.length > 2 && parts[1] !== own)
    .map((parts) => parts[1] as string);
}

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

describe('layer rule inside lib/', () => {
  it('finds the lib folder of a relative import (the check itself works)', () => {
    expect(importedLibFolders('lib/dms/x.ts', "import { a } from '../notify/runNotifier';")).toEqual(['notify']);
    expect(importedLibFolders('lib/dms/x.ts', "import { a } from './paginate';")).toEqual([]);
  });

  it('names every lib/ folder in the table', () => {
    const folders = readdirSync(join(ROOT, 'lib'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(LIB_LAYERS).sort());
  });

  for (const [folder, allowed] of Object.entries(LIB_LAYERS)) {
    it(`lib/${folder}/ imports only ${allowed.length > 0 ? allowed.join(', ') : 'nothing else in lib/'}`, () => {
      const offending: string[] = [];
      for (const file of sources(join('lib', folder))) {
        for (const target of importedLibFolders(file, readFileSync(join(ROOT, file), 'utf8'))) {
          if (!allowed.includes(target)) offending.push(`${file} -> lib/${target}/`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});
