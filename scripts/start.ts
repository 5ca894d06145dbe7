/**
 * `npm start`: the DMS emulator with its seed data, a webhook sink that prints what it receives,
 * serverless-offline serving `list` and `show` against the emulator, and the notifier on a short
 * schedule. Prints the base URL, a bearer token and curl lines that return real data. Ctrl-C
 * stops everything it started.
 *
 * Output, one prefix per source: `[list]` / `[show]` a function's JSON log line (look a 500 up by its
 * `requestId`), `[offline]` serverless-offline's own lines, `[notify]` the notifier, `[sink]` what the
 * webhook sink received. serverless-offline runs in the stage `local`, where serverless.yml turns
 * notify-on-failure's schedule off: the notifier runs in this process instead, against the sink.
 *
 * To add a service: start it, push it onto `services` (anything with `name` and `stop()`), and add
 * its settings to the config built by `buildLocalConfig`.
 *
 * The fleet page (`/ops/v1/fleet`) is served by the ops handler behind `dev/serveHandler.ts` (PAGE_PORT, else a
 * free port), on the notifier's state; its URL is printed with the others.
 *
 * Environment: PORT (serverless-offline HTTP port; unset: 3000, or a free one if 3000 is taken),
 * EMULATOR_PORT, SINK_PORT and PAGE_PORT (unset: a free port). A port given explicitly must be free:
 * a taken one stops the start with one line, before anything runs. API_TOKENS (default: a fresh random
 * token; a token the functions would refuse stops the start with the rule), NOTIFY_INTERVAL_SECONDS
 * (default 15, at least 2). Flags: `--redis` (`npm start -- --redis`): the notifier's state in a local
 * `redis-server` instead of the file store, when it is installed; `--keep-state`: the file store in
 * `.state/notify-local.json`, kept from one `--keep-state` run to the next (otherwise each run has its
 * own state, removed when it stops, so tasks seen by an earlier run are not taken as seen).
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal closed) stop everything it started.
 */
import { startEmulator, SEED_IDS } from '../dev/emulator';
import { offlineLineSource } from '../dev/offlineLog';
import { freePort, startOffline, type Service } from '../dev/startOffline';
import { buildLocalConfig, localEnvironment, localNotify, randomToken } from '../dev/localConfig';
import { REDIS_INSTALL_COMMAND, redisServerVersion, startRedisServer } from '../dev/redisServer';
import { startSink } from '../dev/sink';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import { createOpsHandler } from '../lib/ops/createOpsHandler';
import { serveHandler } from '../dev/serveHandler';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveTokens } from '../lib/http/bearerAuth';

process.env.SLS_TELEMETRY_DISABLED = '1';
process.env.SLS_NOTIFICATIONS_MODE = 'off';

const services: Service[] = [];
let stopping = false;

/** What `npm start` tells `fail-task` (and a person) about this run. */
const RUN_FILE = join('.state', 'npm-start.json');

/** A problem with how `npm start` was called: one line, nothing started. */
class StartError extends Error {}

const USAGE = 'usage: npm start [-- --redis] [-- --keep-state]';

function parseStartArgs(argv: readonly string[]): { redis: boolean; keepState: boolean } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { redis: { type: 'boolean', default: false }, 'keep-state': { type: 'boolean', default: false } },
    });
    return { redis: values.redis === true, keepState: values['keep-state'] === true };
  } catch (e) {
    throw new StartError(`${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)} (${USAGE})`);
  }
}

/** Whether `port` can be listened on at 127.0.0.1 right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The port named by environment variable `name`: unset, `fallback` (0: any free port); set, it must be
 * a port number that is free now, else a one-line `StartError` (a named port is never silently replaced).
 */
async function explicitPort(name: string, fallback: number): Promise<number> {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new StartError(`${name}=${raw} is not a port number`);
  if (!(await portFree(port)))
    throw new StartError(`${name}=${port} is taken by another process: stop it, or choose another ${name}`);
  return port;
}

/** The bearer tokens, checked with the functions' own rule: a token they would refuse stops the start. */
async function checkedTokens(): Promise<string[]> {
  const given = process.env.API_TOKENS;
  if (given === undefined || given.trim() === '') return [randomToken()];
  try {
    await resolveTokens([{ env: 'API_TOKENS' }], { env: { API_TOKENS: given } });
  } catch (e) {
    const problem = e instanceof Error ? e.message.replace(/^invalid configuration at http\.tokens\[0\]: /, '') : '';
    throw new StartError(
      `API_TOKENS: ${problem} (each token: at least 16 of A-Z a-z 0-9 - . _ ~ + /, comma-separated); ` +
        'unset it for a random one',
    );
  }
  return given
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  for (const s of [...services].reverse()) {
    try {
      await s.stop();
    } catch (e) {
      console.error(`stopping ${s.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  process.exit(code);
}

/** serverless-offline's port: PORT when set (and free), else 3000, else a free one (said so). */
async function offlinePort(): Promise<number> {
  const explicit = await explicitPort('PORT', 0);
  if (explicit !== 0) return explicit;
  if (await portFree(3000)) return 3000;
  const port = await freePort();
  console.log(`port 3000 is taken: serverless-offline listens on ${port} instead (set PORT to choose)`);
  return port;
}

/**
 * `--redis`: the notifier's state in a `redis-server` started here (a free loopback port, a temporary
 * directory, stopped with everything else), when one is installed; the file store otherwise.
 */
async function localStore(redis: boolean): Promise<{ store?: Record<string, unknown> }> {
  if (!redis) return {};
  if (!redisServerVersion()) {
    console.log(`redis-server is not installed (${REDIS_INSTALL_COMMAND}): the notifier uses the file store`);
    return {};
  }
  const server = await startRedisServer();
  services.push({ name: 'redis-server', stop: () => server.stop() });
  console.log(`redis-server:        redis://${server.host}:${server.port} (notifier state, key prefix dtf:)`);
  return { store: { type: 'redis', host: server.host, port: server.port } };
}

/**
 * The notifier's file store for this run: its own folder under `.state/`, removed when the run stops,
 * so a task an earlier run saw is new again; with `--keep-state`, the one file every such run shares.
 */
function runState(keepState: boolean): string {
  if (keepState) return join('.state', 'notify-local.json');
  const dir = join('.state', `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  services.push({ name: 'run state', stop: async () => rmSync(dir, { recursive: true, force: true }) });
  return join(dir, 'notify-state.json');
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
  // Once the terminal is gone, writing to it fails (EIO, EPIPE): keep stopping rather than crash.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  // Everything that can be wrong with how it was called, before anything starts.
  const args = parseStartArgs(process.argv.slice(2));
  const tokens = await checkedTokens();
  const ports = {
    emulator: await explicitPort('EMULATOR_PORT', 0),
    sink: await explicitPort('SINK_PORT', 0),
    page: await explicitPort('PAGE_PORT', 0),
    offline: await offlinePort(),
  };

  const emulator = await startEmulator({ port: ports.emulator });
  services.push({ name: 'emulator', stop: () => emulator.close() });
  console.log(`DMS emulator:        ${emulator.url}`);

  // Notifier: a webhook sink that prints what it receives, and the notify section pointing at it.
  const sink = await startSink({ port: ports.sink, print: true });
  services.push({ name: 'webhook sink', stop: () => sink.close() });
  const statePath = runState(args.keepState);
  const local = localNotify(sink.url, statePath);
  for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
  console.log(`webhook sink:        ${sink.url}`);
  // NOTIFY_REPEAT_AFTER_MINUTES: reminders of stuck tasks sooner than the default 240 minutes (to watch one).
  const repeat = Number(process.env.NOTIFY_REPEAT_AFTER_MINUTES ?? 0);
  const redisStore = await localStore(args.redis);
  const notifySection = {
    ...local.notify,
    ...redisStore,
    ...(repeat >= 1 ? { repeatAfterMinutes: Math.floor(repeat) } : {}),
  };
  const config = buildLocalConfig({ endpoint: emulator.url, notify: notifySection });
  const env = { ...localEnvironment(config, tokens), ...local.env };
  if (redisStore.store === undefined)
    console.log(`notifier state:      ${statePath}${args.keepState ? ' (kept: --keep-state)' : ' (this run only)'}`);
  mkdirSync('.state', { recursive: true });
  writeFileSync(RUN_FILE, JSON.stringify({ emulator: emulator.url, sink: sink.url, pid: process.pid }));
  services.push({ name: 'run file', stop: async () => removeRunFile() });

  console.log('starting serverless-offline (esbuild bundles first, a few seconds)...');
  const offline = await startOffline({
    env,
    httpPort: ports.offline,
    // Every line, prefixed by its source: a function's log line by the function (from its `route`).
    onOutput: (line, stream) => {
      const prefixed = `[${offlineLineSource(line)}] ${line}`;
      if (stream === 'stderr') console.error(prefixed);
      else console.log(prefixed);
    },
  });
  services.push(offline);

  // The notifier on a short schedule, in this process. serverless-offline runs in the stage `local`,
  // where serverless.yml turns notify-on-failure's own schedule off (it would lack the notify settings).
  const notifyEverySeconds = Math.max(2, Number(process.env.NOTIFY_INTERVAL_SECONDS ?? 15));
  const notify = createNotifyHandler({
    env: { ...process.env, ...env },
    log: (e) => {
      if (e.msg === 'notify run')
        console.log(
          `[notify] scanned ${e.instancesScanned}, tasks ${e.tasksSeen}, new failures ${e.newFailures}, ` +
            `stuck ${e.stuck}, reminders ${e.reminders}, recovered ${e.recovered}, baselined ${e.baselined}, ` +
            `sent ${e.sent}, pending ${e.pending}, dead ${e.dead}, silenced ${e.silenced}, held ${e.held} ` +
            `(${e.durationMs} ms)`,
        );
      else console.log(`[notify] ${JSON.stringify(e)}`);
    },
  });
  let notifying = false;
  const tick = async (): Promise<void> => {
    if (notifying) return;
    notifying = true;
    try {
      const t0 = Date.now();
      await notify(
        {
          version: 'v1.0',
          time: new Date().toISOString(),
          trigger_type: 'TIMER',
          trigger_name: 'npm-start',
          user_event: '',
        },
        { getRemainingTimeInMillis: () => 60_000 - (Date.now() - t0) },
      );
    } catch (e) {
      console.error(`[notify] run failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      notifying = false;
    }
  };
  const timer = setInterval(() => void tick(), notifyEverySeconds * 1000);
  services.push({ name: 'notifier', stop: async () => clearInterval(timer) });
  void tick();

  // The fleet page, served by the ops function's handler behind a small node:http adapter (payload 2.0
  // events, cookies as API Gateway sends them), on the notifier's own state: PAGE_PORT, else a free port.
  // Its log lines are prefixed [page].
  const pageHandler = createOpsHandler({
    env: { ...process.env, ...env },
    log: (line) => console.log(`[page] ${line}`),
  });
  const page = await serveHandler(pageHandler, ports.page);
  services.push({ name: 'fleet page', stop: () => page.close() });

  const token = tokens[0] ?? '';
  const base = offline.url;
  const p = SEED_IDS.mainProject;
  const k = SEED_IDS.kafkaPaged;
  const failed = SEED_IDS.recentFailures[0].taskId;
  const tasks = `${base}/v2/${p}/instances/${k}/tasks`;
  console.log(`
serverless-offline:  ${base}   (pid group ${offline.pid}, stage local)
Lambda invoke port:  ${offline.lambdaUrl}   (serverless-offline's; loopback only, any local user can invoke)
bearer token:        ${token}

Try:
  export TOKEN='${token}'
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}?limit=5'
  curl -si -H "Authorization: Bearer $TOKEN" '${tasks}?offset=6&limit=5'   # page 2 (offsets count from 1); see Link
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}?all=true' | head -c 300; echo
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}/${failed}'
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}?begin_time=20260230000000'   # 400: not a date
  curl -si '${tasks}'   # 401 without a token

Notifier: runs every ${notifyEverySeconds} s in this process against the emulator (NOTIFY_INTERVAL_SECONDS);
serverless-offline's own schedule of notify-on-failure is off in the stage local. The first run records
the seed failures as a baseline. Make a task fail and watch the [sink] lines:
  npm run fail-task                         # a FAILED task (a new id each time) on the seed Kafka instance
  npm run fail-task -- --stuck              # EXECUTING for 3 h: a "stuck" notice
  npm run fail-task -- --succeed <task_id>  # it finishes: a "recovered" notice
(NOTIFY_REPEAT_AFTER_MINUTES=1 npm start: a stuck task's reminders every minute, at most 3.)

Operator API (ops): the outbox history and the silences:
  curl -s -H "Authorization: Bearer $TOKEN" '${base}/ops/v1/history'
  curl -s -H "Authorization: Bearer $TOKEN" -XPOST '${base}/ops/v1/silences' \\
    -d '{"endsAt":"'$(date -u -d '+1 hour' +%Y-%m-%dT%H:%MZ)'","matchers":{"tasks":["modify*"]},"createdBy":"me"}'

Self-check and test notifications (ops): each check's verdict, evidence and fix; one marked message:
  curl -s -H "Authorization: Bearer $TOKEN" '${base}/ops/v1/doctor?format=text'
  curl -s -H "Authorization: Bearer $TOKEN" -XPOST '${base}/ops/v1/destinations/hook/test'

Fleet page:          ${page.url}/ops/v1/fleet   (sign in with the bearer token above; PAGE_PORT)
Emulator control:    curl -s ${emulator.url}/__emulator/state | head -c 300; echo   (routes: docs/emulator.md)
Function log lines appear as [list] / [show] (find a 500 by its requestId), serverless-offline's as [offline].
Ctrl-C (or closing the terminal) stops everything.`);
}

/** Removes `.state/npm-start.json` if it still describes this run (a later run may have replaced it). */
function removeRunFile(): void {
  try {
    const run: unknown = JSON.parse(readFileSync(RUN_FILE, 'utf8'));
    if (typeof run === 'object' && run !== null && 'pid' in run && run.pid === process.pid) rmSync(RUN_FILE);
  } catch {
    // gone already
  }
}

main().catch((e: unknown) => {
  if (e instanceof StartError) console.error(`npm start: ${e.message}`);
  else console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
  void stopAll(1);
});
