import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** FunctionGraph's newest Node.js on the international site (REFERENCE.md, "Huawei FunctionGraph"). */
export const FUNCTIONGRAPH_NODE_VERSION = '20.15.0';

/**
 * The Lambda runtime `serverless.yml` deploys, and the Node.js the Lambda bundles are tested under.
 * `nodejs24.x` rather than `nodejs22.x`: both are supported today, but 22 is deprecated on 2027-04-30
 * (function creation blocked from 2027-06-01) while 24 is supported to 2028-04-30 (AWS's runtime
 * deprecation schedule, REFERENCE.md "Evidence gathered 2026-12-05"). The version is the newest 24.x on
 * the npm registry when chosen; AWS patches the runtime's minor version itself.
 */
export const LAMBDA_RUNTIME = 'nodejs24.x';
export const LAMBDA_NODE_VERSION = '24.21.0';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

/**
 * The folder holding `node@<version>`, outside package.json on purpose: as a dependency its `node`
 * bin would shadow the machine's Node in every npm script (and vitest needs 20.19 or later).
 */
export function pinnedNodeDir(version: string, root: string = ROOT): string {
  return join(root, 'node_modules', '.cache', `dtf-node-${version}`);
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

export interface EnsureNodeOptions {
  /** @default the project root */
  readonly root?: string;
  /** Told when an install starts. */
  readonly log?: (line: string) => void;
}

/**
 * The path of a Node.js binary of exactly `version`, installed on first use from the npm package
 * `node@<version>` into `node_modules/.cache`. Safe to call from several processes at once: each
 * installs into its own temporary folder and renames it into place; a loser of the race uses the
 * winner's. Checks the binary's `--version` every time.
 */
export async function ensurePinnedNode(version: string, options: EnsureNodeOptions = {}): Promise<string> {
  const dir = pinnedNodeDir(version, options.root);
  const bin = binaryIn(dir);
  const isPinned = (b: string): boolean => versionOf(b) === `v${version}`;
  if (isPinned(bin)) return bin;
  options.log?.(`installing node@${version} into ${dir}`);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    const args = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', tmp];
    await run('npm', [...args, `node@${version}`], { cwd: tmp, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    const got = versionOf(binaryIn(tmp));
    if (got !== `v${version}`) throw new Error(`node@${version} installed a binary reporting ${got ?? 'nothing'}`);
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
  if (!isPinned(bin)) throw new Error(`${bin} is not Node.js v${version}`);
  return bin;
}

/** Node.js 20.15 (FunctionGraph's runtime), for test/packaging/functiongraph.test.ts. */
export function ensureFunctionGraphNode(options: EnsureNodeOptions = {}): Promise<string> {
  return ensurePinnedNode(FUNCTIONGRAPH_NODE_VERSION, options);
}

/** Node.js 24 (the Lambda runtime `serverless.yml` deploys), for test/packaging/package.test.ts. */
export function ensureLambdaNode(options: EnsureNodeOptions = {}): Promise<string> {
  return ensurePinnedNode(LAMBDA_NODE_VERSION, options);
}
