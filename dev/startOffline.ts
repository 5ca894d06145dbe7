import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { copyProject, serverlessBin, serverlessEnv, type ProjectCopy } from './projectCopy';

/** Something `npm start` or a test started, stopped in reverse order. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

export interface OfflineOptions {
  /** Environment of the serverless process (config, credentials, tokens), added to `process.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** @default a free port */
  readonly httpPort?: number;
  /**
   * serverless-offline's own Lambda-invoke port (the AWS SDK's `Invoke` API, for every function). It
   * cannot be turned off; like the HTTP port it listens on 127.0.0.1 only (`--host`).
   * @default a free port (a fixed one would clash with a second run)
   */
  readonly lambdaPort?: number;
  /**
   * The stage; in `local`, serverless.yml turns notify-on-failure's schedule off (`params`).
   * @default 'local'
   */
  readonly stage?: string;
  /** @default 90_000 */
  readonly readyTimeoutMs?: number;
  /**
   * Receives each output line, whole, with the stream it came from (default: kept, shown only if
   * it fails to start). The handlers' console output is among them: serverless-offline passes it on.
   */
  readonly onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** @default the repository root */
  readonly cwd?: string;
  /**
   * Run from a private copy of the service (`copyProject` in `dev/projectCopy.ts`), so its
   * `.esbuild/` build folder is its own and nothing is written to the repository. Used by the tests;
   * `npm start` runs in the repository (so an edit to `functions/` or `lib/` is rebuilt).
   * @default false
   */
  readonly isolate?: boolean;
}

export interface Offline extends Service {
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  /** `http://127.0.0.1:{lambdaPort}`, serverless-offline's Lambda-invoke endpoint. */
  readonly lambdaUrl: string;
  readonly pid: number;
  /** Output so far (for a failing test's message). */
  output(): string;
}

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Whether any process of the group is still there (zombies not yet reaped count). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Spawns `serverless offline` in its own process group (so stopping it kills serverless, esbuild and
 * every worker with it) and resolves once it answers HTTP. `stop()` sends SIGTERM to the group, then
 * SIGKILL after 5 s. The serverless CLI never calls home: telemetry and notifications are off.
 */
export async function startOffline(options: OfflineOptions): Promise<Offline> {
  const root = options.cwd ?? join(__dirname, '..');
  const copy: ProjectCopy | undefined = options.isolate ? copyProject(root, 'dtf-offline-') : undefined;
  const cwd = copy?.dir ?? root;
  const httpPort = options.httpPort ?? (await freePort());
  const lambdaPort = options.lambdaPort ?? (await freePort());
  const bin = serverlessBin(root);
  // --host binds both servers, HTTP and Lambda-invoke (serverless-offline's lambda/HttpServer.js uses it too).
  const args = ['offline', 'start', '--stage', options.stage ?? 'local', '--host', '127.0.0.1'];
  args.push('--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort), '--noPrependStageInUrl', '--noSponsor');
  const child = spawn(bin, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverlessEnv(options.env),
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('serverless offline did not start');
  let out = '';
  const follow = (stream: 'stdout' | 'stderr', from: NodeJS.ReadableStream | null): void => {
    let partial = ''; // a line cut between two chunks
    const emit = (line: string): void => {
      if (line.trim() !== '') options.onOutput?.(line.trimEnd(), stream);
    };
    from?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out = (out + text).slice(-20_000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(emit);
    });
    from?.on('end', () => emit(partial));
  };
  follow('stdout', child.stdout);
  follow('stderr', child.stderr);
  // Never leave the group (or the copy) behind, even if the parent dies on an exception.
  const onExit = (): void => {
    killGroup(pid, 'SIGKILL');
    copy?.remove();
  };
  process.once('exit', onExit);

  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    killGroup(pid, 'SIGKILL'); // stragglers of an exited leader
    // Wait until the kernel has removed every member of the group (up to 5 s).
    for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    copy?.remove();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`serverless offline exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${out}`);
    }
    try {
      // Any HTTP answer means the routes are up (the probe is unauthenticated: 401 or 404).
      await fetch(`${url}/v2/probe/instances/probe/tasks`, { signal: AbortSignal.timeout(2_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`serverless offline was not ready within ${options.readyTimeoutMs ?? 90_000} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const lambdaUrl = `http://127.0.0.1:${lambdaPort}`;
  return { name: 'serverless-offline', url, lambdaUrl, pid, stop, output: () => out };
}
