import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (this file is in `dev/`). */
export const PROJECT_ROOT = resolve(__dirname, '..');

/** What the Serverless CLI needs of the project: these files and folders, copied; `node_modules`, linked. */
const PROJECT_FILES = ['serverless.yml', 'package.json', 'package-lock.json', 'tsconfig.json'] as const;
const PROJECT_FOLDERS = ['functions', 'lib', 'build'] as const;

/**
 * The environment every Serverless CLI process gets: the caller's, plus `extra`, with telemetry and
 * the CLI's update notifications off (it never calls home), and no colour codes in its output.
 */
export function serverlessEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...extra,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
}

/** The Serverless CLI installed in the repository. */
export function serverlessBin(root: string = PROJECT_ROOT): string {
  return join(root, 'node_modules', '.bin', 'serverless');
}

export interface ProjectCopy {
  /** The copy's directory: run the Serverless CLI here. */
  readonly dir: string;
  /** Deletes the copy (the linked `node_modules` stays untouched). */
  remove(): void;
}

/**
 * A private copy of the service in a temporary directory: `serverless.yml`, the package files,
 * `tsconfig.json`, `functions/` and `lib/`, with `node_modules` as a symlink to the repository's.
 * The Serverless CLI writes `.esbuild/` and `.serverless/` into its working directory, and
 * serverless-esbuild deletes `.esbuild/` when it finishes packaging; run in a copy, two CLI processes
 * (tests in parallel, a bench, `npm start`) can neither race on these folders nor litter the repository.
 */
export function copyProject(root: string = PROJECT_ROOT, prefix = 'dtf-project-'): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of PROJECT_FILES) if (existsSync(join(root, f))) copyFileSync(join(root, f), join(dir, f));
  for (const d of PROJECT_FOLDERS) cpSync(join(root, d), join(dir, d), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PackageOptions {
  /** Where the zips and the CloudFormation template go (`serverless package --package <outDir>`). */
  readonly outDir: string;
  /** @default 'ci' */
  readonly stage?: string;
  /** Added to the CLI's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 180_000 */
  readonly timeoutMs?: number;
}

/**
 * `serverless package` in a private copy of the project (see `copyProject`), the output in `outDir`;
 * nothing is written to the repository. No AWS credentials are needed or used.
 */
export async function packageProject(options: PackageOptions): Promise<void> {
  const copy = copyProject(PROJECT_ROOT, 'dtf-package-');
  try {
    const args = ['package', '--package', resolve(options.outDir), '--stage', options.stage ?? 'ci'];
    await run(serverlessBin(), args, {
      cwd: copy.dir,
      env: serverlessEnv({ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', ...options.env }),
      timeout: options.timeoutMs ?? 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    copy.remove();
  }
}
