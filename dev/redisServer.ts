import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './startOffline';

/** The command that installs the server on Debian (and the message when it is missing). */
export const REDIS_INSTALL_COMMAND = 'apt-get update && apt-get install -y redis-server';

export interface RedisServerOptions {
  /** Require this password (`requirepass`). @default none */
  readonly password?: string;
  /** Serve TLS only, with a fresh self-signed certificate (see {@link RedisServer.tlsCa}). @default false */
  readonly tls?: boolean;
  /**
   * Persist every write before answering (`appendonly yes`, `appendfsync always`), so a server killed
   * with SIGKILL and restarted on the same directory still has every acknowledged write. @default false
   */
  readonly durable?: boolean;
  /** Reuse this data directory (a restart after a kill). @default a new temporary directory */
  readonly dir?: string;
  /** Reuse this port (a restart). @default a free loopback port */
  readonly port?: number;
  /**
   * Start in cluster mode (`cluster-enabled yes`, its `nodes.conf` in the data directory), to be joined
   * into a cluster by {@link startRedisCluster}. @default false
   */
  readonly clusterNode?: boolean;
}

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** PEM of the self-signed certificate, when started with `tls`. */
  readonly tlsCa?: string;
  /** SIGKILL, no shutdown: the data directory stays for a restart. */
  kill(): Promise<void>;
  /** Stops the server and deletes its temporary directory (unless it was given one). */
  stop(): Promise<void>;
}

/** Whether `redis-server` is on the PATH (its version line, or `undefined`). */
export function redisServerVersion(): string | undefined {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      const done = (ok: boolean): void => {
        s.destroy();
        resolve(ok);
      };
      s.once('connect', () => done(true));
      s.once('error', () => done(false));
      s.setTimeout(500, () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a real `redis-server` on a free loopback port with its own temporary directory, for tests and
 * `npm start`: no snapshot (`--save ''`), no AOF unless `durable`. Fails with the install command when
 * the server is missing.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!redisServerVersion()) throw new Error(`redis-server is not installed: ${REDIS_INSTALL_COMMAND}`);
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  args.push('--logfile', join(dir, 'redis.log'));
  args.push(...(options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  if (options.password !== undefined) args.push('--requirepass', options.password);
  if (options.clusterNode) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'));
    args.push('--cluster-node-timeout', '5000');
  }
  let tlsCa: string | undefined;
  if (options.tls) {
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    tlsCa = readFileSync(cert, 'utf8');
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key);
    args.push('--tls-auth-clients', 'no');
  } else args.push('--port', String(port));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForPort(port, child, 10_000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid ?? -1,
    ...(tlsCa !== undefined ? { tlsCa } : {}),
    kill,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis Cluster of masters on loopback, each a real `redis-server`. */
export interface RedisCluster {
  /** The masters (give any of them, or all, to a cluster client as its seed nodes). */
  readonly nodes: readonly RedisServer[];
  /** Stops every node and deletes their directories. */
  stop(): Promise<void>;
}

async function clusterReady(port: number, masters: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await new Promise<string>((resolve) => {
      execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info'], (error, stdout) =>
        resolve(error ? '' : stdout),
      );
    });
    if (/cluster_state:ok/.test(info) && new RegExp(`cluster_size:${masters}\\b`).test(info)) return;
    if (Date.now() > deadline) throw new Error(`redis cluster on ${port} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `masters` real `redis-server`s in cluster mode on free loopback ports and joins them with
 * `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes` (the 16,384 slots split between
 * them), then waits until every node says `cluster_state:ok`. For the store's contract and race tests
 * against a real cluster: start it once per test file.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const nodes = await Promise.all(Array.from({ length: masters }, () => startRedisServer({ clusterNode: true })));
  try {
    const addresses = nodes.map((n) => `${n.host}:${n.port}`);
    await new Promise<void>((resolve, reject) => {
      execFile(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
        { timeout: 30_000 },
        (error, _stdout, stderr) =>
          error ? reject(new Error(`redis-cli --cluster create failed: ${stderr}`)) : resolve(),
      );
    });
    await Promise.all(nodes.map((n) => clusterReady(n.port, masters, 20_000)));
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return {
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
