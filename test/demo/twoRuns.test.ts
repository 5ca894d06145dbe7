import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, type ProjectCopy } from '../../dev/projectCopy';
import { freePort } from '../../dev/startOffline';

/**
 * The local demo as a new user runs it (README, "Quick start"): `npm start`, then `npm run fail-task`
 * in another terminal, twice in a row. The second run must announce its new failure like the first
 * (each `fail-task` makes a new task id, each run has its own state), SIGTERM and SIGHUP must stop
 * everything (test/demo/badCalls.test.ts: the bad calls). Run in a private copy of the project, so its
 * `.state/` and `.esbuild/` are its own.
 */

const TSX = ['--import', 'tsx'];
let copy: ProjectCopy;

beforeAll(() => {
  copy = copyProject(undefined, 'dtf-demo-');
  for (const d of ['dev', 'scripts', 'schema'])
    cpSync(join(__dirname, '../..', d), join(copy.dir, d), { recursive: true });
});
afterAll(() => copy?.remove());

interface Run {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited(): Promise<number | null>;
}

function npmStart(env: Record<string, string>, args: readonly string[] = []): Run {
  const child = spawn(process.execPath, [...TSX, 'scripts/start.ts', ...args], {
    cwd: copy.dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  for (const s of [child.stdout, child.stderr])
    s?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      for (const l of listeners) l();
    });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited: () => exit,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = out.match(pattern);
          if (m) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exit.then(() => setTimeout(check, 50));
      }),
  };
}

/** `npm run fail-task`, asynchronously: the emulator it talks to may live in this very process. */
function failTask(args: readonly string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TSX, 'scripts/fail-task.ts', ...args],
      { cwd: copy.dir, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** One `npm start`, one `fail-task`, its notification at the sink, then `signal`; the new task's id. */
/** A printed shell line, run as printed (with TOKEN exported as the instructions say): its stdout. */
function shell(line: string, token: string): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', line], { env: { ...process.env, TOKEN: token }, timeout: 15_000 }, (error, stdout) =>
      resolve({ status: error && typeof error.code === 'number' ? error.code : error ? null : 0, stdout }),
    );
  });
}

/**
 * Every single-line `curl` the start prints answers as its comment says: data, the 400 or the 401
 * (never a 404, a 500 or nothing), and the page-2 line does not repeat page 1.
 */
async function printedLinesWork(output: string): Promise<void> {
  const token = output.match(/^bearer token:\s+(\S+)/m)?.[1] ?? '';
  const lines = [...output.matchAll(/^\s+(curl .*?)(?:\s{3}#.*)?$/gm)]
    .map((m) => m[1] ?? '')
    .filter((l) => !l.endsWith('\\'));
  lines.push(output.match(/^Emulator control:\s+(curl .*?)\s{3}\(/m)?.[1] ?? 'missing emulator control line');
  expect(lines.length).toBeGreaterThanOrEqual(7);
  for (const line of lines) {
    const { status, stdout } = await shell(line, token);
    expect(status, line).toBe(0);
    expect(stdout.trim(), line).not.toBe('');
    expect(stdout, line).not.toMatch(/DTF\.00404|DTF\.005|Not Found|No control route/);
    // The self-check finds nothing wrong with the demo, and its test notification arrives.
    if (line.includes('/ops/v1/doctor')) expect(stdout, line).toMatch(/^0 problem, /m);
    if (line.includes('/destinations/')) expect(stdout, line).toContain('"delivered":true');
  }
  const ids = async (line: string | undefined): Promise<string[]> => {
    const body = (await shell((line ?? '').replace('curl -si', 'curl -s'), token)).stdout;
    return [...body.matchAll(/"id":"([0-9a-f]{32})"/g)].map((m) => m[1] ?? '');
  };
  const page1 = await ids(lines.find((l) => l.includes('?limit=5')));
  const page2 = await ids(lines.find((l) => l.includes('offset=6&limit=5')));
  expect(page1).toHaveLength(5);
  expect(page2).toHaveLength(5);
  expect(page2.filter((id) => page1.includes(id))).toEqual([]);
}

async function demoRun(signal: NodeJS.Signals, checkPrinted = false): Promise<string> {
  const port = await freePort();
  const run = npmStart({ PORT: String(port), NOTIFY_INTERVAL_SECONDS: '2' });
  try {
    await run.waitFor(/Ctrl-C/, 90_000);
    await run.waitFor(/\[notify\] scanned \d+/, 20_000); // the first run: the seed failures as a baseline
    if (checkPrinted) await printedLinesWork(run.output());
    const made = await failTask();
    expect(made.status, made.stderr).toBe(0);
    const id = made.stdout.match(/task ([0-9a-f]{32}) \(modifyInstanceSpec\) is FAILED/)?.[1] ?? '';
    expect(id).not.toBe('');
    await run.waitFor(new RegExp(`\\[sink\\] webhook/hook -> 204 \\(signature ok\\).*\\(${id}\\)`), 20_000);
    await run.waitFor(/\[notify\] scanned \d+, tasks \d+, new failures 1,/, 10_000);
    run.child.kill(signal);
    expect(await run.exited()).toBe(0);
    expect(await listening(port)).toBe(false);
    // Its own state is gone with it, and so is the file that points fail-task at it.
    expect(readdirSync(join(copy.dir, '.state')).filter((f) => f.startsWith('run-') || f === 'npm-start.json')).toEqual(
      [],
    );
    return id;
  } finally {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  }
}

describe('npm start and fail-task, twice in a row', () => {
  it('announces a new failure in each run, its printed lines work, SIGTERM and SIGHUP stop everything', async () => {
    const first = await demoRun('SIGTERM', true);
    const second = await demoRun('SIGHUP');
    expect(second).not.toBe(first);
  }, 240_000);
});
