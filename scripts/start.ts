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
 * Environment: PORT (serverless-offline HTTP port, default 3000, or a free one if taken),
 * EMULATOR_PORT and SINK_PORT (default: a free port), API_TOKENS (default: a fresh random token),
 * NOTIFY_INTERVAL_SECONDS (default 15, at least 2). Flag `--redis` (`npm start -- --redis`): the notifier's
 * state in a local `redis-server` instead of the file store, when it is installed.
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
import { mkdirSync, writeFileSync } from 'node:fs';

process.env.SLS_TELEMETRY_DISABLED = '1';
process.env.SLS_NOTIFICATIONS_MODE = 'off';

const services: Service[] = [];
let stopping = false;

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

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(freePort()));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(preferred)));
  });
}

/**
 * `--redis`: the notifier's state in a `redis-server` started here (a free loopback port, a temporary
 * directory, stopped with everything else), when one is installed; the file store otherwise.
 */
async function localStore(): Promise<{ store?: Record<string, unknown> }> {
  if (!process.argv.includes('--redis')) return {};
  if (!redisServerVersion()) {
    console.log(`redis-server is not installed (${REDIS_INSTALL_COMMAND}): the notifier uses the file store`);
    return {};
  }
  const redis = await startRedisServer();
  services.push({ name: 'redis-server', stop: () => redis.stop() });
  console.log(`redis-server:        redis://${redis.host}:${redis.port} (notifier state, key prefix dtf:)`);
  return { store: { type: 'redis', host: redis.host, port: redis.port } };
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0) });
  services.push({ name: 'emulator', stop: () => emulator.close() });
  console.log(`DMS emulator:        ${emulator.url}`);

  const tokens = (process.env.API_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.length === 0) tokens.push(randomToken());
  // Notifier: a webhook sink that prints what it receives, and the notify section pointing at it.
  const sinkPort = Number(process.env.SINK_PORT ?? 0);
  const sink = await startSink({ port: sinkPort, print: true });
  const local = localNotify(sink.url);
  for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
  services.push({ name: 'webhook sink', stop: () => sink.close() });
  console.log(`webhook sink:        ${sink.url}`);
  // NOTIFY_REPEAT_AFTER_MINUTES: reminders of stuck tasks sooner than the default 240 minutes (to watch one).
  const repeat = Number(process.env.NOTIFY_REPEAT_AFTER_MINUTES ?? 0);
  const notifySection = {
    ...local.notify,
    ...(await localStore()),
    ...(repeat >= 1 ? { repeatAfterMinutes: Math.floor(repeat) } : {}),
  };
  const config = buildLocalConfig({ endpoint: emulator.url, notify: notifySection });
  const env = { ...localEnvironment(config, tokens), ...local.env };
  mkdirSync('.state', { recursive: true });
  writeFileSync('.state/npm-start.json', JSON.stringify({ emulator: emulator.url, sink: sink.url }));

  console.log('starting serverless-offline (esbuild bundles first, a few seconds)...');
  const offline = await startOffline({
    env,
    httpPort: await portOr(Number(process.env.PORT ?? 3000)),
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
  const page = await serveHandler(pageHandler, Number(process.env.PAGE_PORT ?? 0));
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
  curl -si -H "Authorization: Bearer $TOKEN" '${tasks}?offset=5&limit=5'   # Link / X-Next-Offset headers
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}?all=true' | head -c 300; echo
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}/${failed}'
  curl -s -H "Authorization: Bearer $TOKEN" '${tasks}?begin_time=20260230000000'   # 400: not a date
  curl -si '${tasks}'   # 401 without a token

Notifier: runs every ${notifyEverySeconds} s in this process against the emulator (NOTIFY_INTERVAL_SECONDS);
serverless-offline's own schedule of notify-on-failure is off in the stage local. The first run records
the seed failures as a baseline. Make a task fail and watch the [sink] lines:
  node --import tsx scripts/fail-task.ts            # FAILED task on the seed Kafka instance
  node --import tsx scripts/fail-task.ts --stuck    # EXECUTING for 3 h: a "stuck" notice
  node --import tsx scripts/fail-task.ts --succeed <task_id>   # it finishes: a "recovered" notice
(NOTIFY_REPEAT_AFTER_MINUTES=1 npm start: a stuck task's reminders every minute, at most 3.)

Operator API (ops): the outbox history and the silences:
  curl -s -H "Authorization: Bearer $TOKEN" '${base}/ops/v1/history'
  curl -s -H "Authorization: Bearer $TOKEN" -XPOST '${base}/ops/v1/silences' \\
    -d '{"endsAt":"'$(date -u -d '+1 hour' +%Y-%m-%dT%H:%MZ)'","matchers":{"tasks":["modify*"]},"createdBy":"me"}'

Fleet page:          ${page.url}/ops/v1/fleet   (sign in with the bearer token above; PAGE_PORT)
Emulator control surface: ${emulator.url}/__emulator/  (faults, latency, new tasks)
Function log lines appear as [list] / [show] (find a 500 by its requestId), serverless-offline's as [offline].
Ctrl-C stops everything.`);
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
  void stopAll(1);
});
