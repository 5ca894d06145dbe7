import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { FunctionGraphInvocation, FunctionGraphRun } from './functiongraphRunTypes';

const run = promisify(execFile);

export interface InvokeOptions {
  /** The Node.js binary (`ensureFunctionGraphNode()`). */
  readonly node: string;
  /** An unpacked FunctionGraph package: the folder holding `index.js`. */
  readonly dir: string;
  /** The child's whole environment (nothing is inherited), as the function's configured variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly invocations: readonly FunctionGraphInvocation[];
  /** @default 60000 */
  readonly timeoutMs?: number;
}

export interface InvokeResult extends FunctionGraphRun {
  /** What the child printed (the functions' log lines). */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an unpacked FunctionGraph package the way the platform calls it: a child `node` process
 * loads `index.js` once and awaits `handler(event, context)` per invocation, with a FunctionGraph-
 * shaped context (dev/functiongraphRunner.ts). The child's working directory is the package.
 */
export async function invokeFunctionGraphPackage(options: InvokeOptions): Promise<InvokeResult> {
  const work = await mkdtemp(join(tmpdir(), 'dtf-fg-run-'));
  try {
    const runner = join(work, 'runner.js');
    await build({
      entryPoints: [join(__dirname, 'functiongraphRunner.ts')],
      outfile: runner,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    const input = join(work, 'input.json');
    const output = join(work, 'output.json');
    await writeFile(input, JSON.stringify({ invocations: options.invocations }));
    const { stdout, stderr } = await run(options.node, [runner, options.dir, input, output], {
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
