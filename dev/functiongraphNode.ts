import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** FunctionGraph's newest Node.js on the international site (REFERENCE.md, "Huawei FunctionGraph"). */
export const FUNCTIONGRAPH_NODE_VERSION = '20.15.0';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

/**
 * The folder holding `node@20.15.0`, outside package.json on purpose: as a dependency its `node`
 * bin would shadow the machine's Node in every npm script (and vitest needs 20.19 or later).
 */
export function functiongraphNodeDir(root: string = ROOT): string {
  return join(root, 'node_modules', '.cache', `dtf-node-${FUNCTIONGRAPH_NODE_VERSION}`);
}

function binaryIn(dir: string): string {
  return join(dir, 'node_modules', 'node', 'bin', 'node');
}

function versionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}

const isPinned = (bin: string): boolean => versionOf(bin) === `v${FUNCTIONGRAPH_NODE_VERSION}`;

export interface EnsureNodeOptions {
  /** @default the project root */
  readonly root?: string;
  /** Told when an install starts. */
  readonly log?: (line: string) => void;
}

/**
 * The path of a Node.js 20.15.0 binary (FunctionGraph's runtime), installed on first use from the npm
 * package `node@20.15.0` into `node_modules/.cache`. Safe to call from several processes at once:
 * each installs into its own temporary folder and renames it into place; a loser of the race uses
 * the winner's. Checks the binary's `--version` every time.
 */
export async function ensureFunctionGraphNode(options: EnsureNodeOptions = {}): Promise<string> {
  const dir = functiongraphNodeDir(options.root);
  const bin = binaryIn(dir);
  if (isPinned(bin)) return bin;
  options.log?.(`installing node@${FUNCTIONGRAPH_NODE_VERSION} (FunctionGraph's Node.js) into ${dir}`);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', tmp];
    await run('npm', [...args, `node@${FUNCTIONGRAPH_NODE_VERSION}`], {
      cwd: tmp,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const got = versionOf(binaryIn(tmp));
    if (got !== `v${FUNCTIONGRAPH_NODE_VERSION}`) {
      throw new Error(`node@${FUNCTIONGRAPH_NODE_VERSION} installed a binary reporting ${got ?? 'nothing'}`);
    }
    if (!isPinned(bin)) {
      // A broken leftover (never a complete install: those are renamed into place whole) goes first.
      await rm(dir, { recursive: true, force: true });
      try {
        await rename(tmp, dir);
      } catch (err) {
        if (!isPinned(bin)) throw err; // another process won the race with a good install otherwise
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  if (!isPinned(bin)) throw new Error(`${bin} is not Node.js v${FUNCTIONGRAPH_NODE_VERSION}`);
  return bin;
}
