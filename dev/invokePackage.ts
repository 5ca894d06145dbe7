import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { FunctionGraphRun } from './functiongraphRunTypes';

const run = promisify(execFile);

export interface PackageRunOptions {
  /** The Node.js binary (`ensureFunctionGraphNode()`, `ensureLambdaNode()`). */
  readonly node: string;
  /** An unpacked package: the child's working directory. */
  readonly dir: string;
  /** The child's whole environment (nothing is inherited), as the function's configured variables. */
  readonly env: Readonly<Record<string, string>>;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

export interface InvokeResult extends FunctionGraphRun {
  /** What the child printed (the functions' log lines). */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `runnerSource` (a TypeScript program in dev/, bundled with esbuild into plain CommonJS for
 * Node 20) in a child `node` process: argv `<package dir> <input JSON file> <output JSON file>
 * ...extraArgs`; the runner writes a {@link FunctionGraphRun} to the output file.
 */
export async function invokePackage(
  runnerSource: string,
  options: PackageRunOptions,
  input: unknown,
  extraArgs: readonly string[] = [],
): Promise<InvokeResult> {
  const work = await mkdtemp(join(tmpdir(), 'dtf-pkg-run-'));
  try {
    const runner = join(work, 'runner.js');
    await build({
      entryPoints: [runnerSource],
      outfile: runner,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    const inputFile = join(work, 'input.json');
    const output = join(work, 'output.json');
    await writeFile(inputFile, JSON.stringify(input));
    const { stdout, stderr } = await run(options.node, [runner, options.dir, inputFile, output, ...extraArgs], {
      cwd: options.dir,
      env: { ...options.env },
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const result = JSON.parse(await readFile(output, 'utf8')) as FunctionGraphRun;
    return { ...result, stdout, stderr };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
