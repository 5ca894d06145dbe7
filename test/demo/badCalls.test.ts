import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, SEED_IDS, startEmulator } from '../../dev/emulator';

/**
 * How the demo's two commands answer a bad call (README, "Quick start"): `npm start` stops with one
 * line before anything starts (so nothing is written and no port is taken), `fail-task` refuses and
 * creates nothing. Each case is its own process; they run side by side.
 */

const ROOT = join(__dirname, '../..');
const TSX = ['--import', 'tsx'];

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A script of the repository, asynchronously (the emulator it talks to may live in this process). */
function run(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TSX, script, ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}

describe('npm start: a bad call stops with one line, before anything starts', () => {
  it('refuses a taken explicit port, a token the functions would refuse, an unknown flag', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => {
        const a = holder.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    try {
      const names = ['PORT', 'PAGE_PORT', 'SINK_PORT', 'EMULATOR_PORT'];
      const [flag, token, ...taken] = await Promise.all([
        run('scripts/start.ts', ['--keep-stat']),
        run('scripts/start.ts', [], { API_TOKENS: 'short' }),
        ...names.map((name) => run('scripts/start.ts', [], { [name]: String(port) })),
      ]);
      for (const [i, name] of names.entries()) {
        expect(taken[i]?.status).toBe(1);
        expect((taken[i]?.stdout ?? '') + (taken[i]?.stderr ?? '')).toBe(
          `npm start: ${name}=${port} is taken by another process: stop it, or choose another ${name}\n`,
        );
      }
      expect(token?.status).toBe(1);
      expect(token?.stdout).toBe('');
      expect(token?.stderr.trim().split('\n')).toHaveLength(1);
      expect(token?.stderr).toMatch(/^npm start: API_TOKENS: .*shorter than 16 characters.*A-Z a-z 0-9 - \. _ ~ \+ \//);
      expect(flag?.status).toBe(1);
      expect(flag?.stderr).toMatch(/^npm start: Unknown option '--keep-stat' \(usage: npm start/);
    } finally {
      holder.close();
    }
  });
});

describe('fail-task refuses what it does not understand, and creates nothing', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.close());

  /** The ids of the tasks of the instance fail-task uses by default. */
  const taskIds = (): string[] => emulator.tasks(SEED_IDS.mainProject, SEED_IDS.kafkaPaged).map((t) => t.id);

  it('refuses an unknown flag, a flag without its value, a stray word; --help only prints', async () => {
    const before = taskIds();
    const cases = [['--stuk'], ['--succeed'], ['--succeed', '--stuck'], ['stuck'], ['--name'], ['--help']];
    const results = await Promise.all(
      cases.map((args) => run('scripts/fail-task.ts', [...args, '--url', emulator.url])),
    );
    for (const [i, r] of results.entries()) {
      if (cases[i]?.[0] === '--help') {
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/--stuck[\s\S]*--succeed <task_id>/);
        continue;
      }
      expect(r.status, cases[i]?.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^fail-task: .*\(npm run fail-task -- --help\)/);
    }
    expect(taskIds()).toEqual(before);
  });

  it('makes a new task id every time', async () => {
    const runs = await Promise.all([1, 2].map(() => run('scripts/fail-task.ts', ['--url', emulator.url])));
    const ids = runs.map((r) => r.stdout.match(/task ([0-9a-f]{32})/)?.[1]);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(taskIds()).toEqual(expect.arrayContaining(ids));
  });
});
