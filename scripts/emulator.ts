/**
 * Starts the DMS emulator on its own and prints its URL, credentials, seed ids and a few curl
 * commands for the control surface.
 *
 *   node --import tsx scripts/emulator.ts [--port 8787] [--latency-ms 0] [--host 127.0.0.1] [--no-seed]
 *     [--rate-limit RPS[:BURST]] [--retry-after] [--no-lockout]
 *
 * Stops on Ctrl-C (SIGINT) or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { CONTROL_PREFIX, EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type RateLimitOptions } from '../dev/emulator';

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** `RPS` or `RPS:BURST` (e.g. `10` or `10:20`) as the emulator's rate limit; `undefined` when absent. */
function rateLimitArg(value: string | undefined, retryAfter: boolean): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(value);
  if (!m) throw new Error(`--rate-limit must be RPS or RPS:BURST (e.g. 10 or 10:20), got "${value}"`);
  return { requestsPerSecond: Number(m[1]), ...(m[2] === undefined ? {} : { burst: Number(m[2]) }), retryAfter };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      host: { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      'rate-limit': { type: 'string' },
      'retry-after': { type: 'boolean', default: false },
      'no-lockout': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'usage: scripts/emulator.ts [--port N] [--latency-ms N] [--host ADDR] [--no-seed]\n' +
        '  [--rate-limit RPS[:BURST]] [--retry-after] [--no-lockout]',
    );
    return;
  }
  const port = nonNegativeInt('port', values.port, 0);
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const emulator = await startEmulator({
    port,
    host: values.host ?? '127.0.0.1',
    latencyMs: nonNegativeInt('latency-ms', values['latency-ms'], 0),
    seed: !values['no-seed'],
    ...(values['no-lockout'] ? { lockout: false as const } : {}),
  });
  const rateLimit = rateLimitArg(values['rate-limit'], values['retry-after']);
  if (rateLimit) emulator.setRateLimit(rateLimit);
  const url = emulator.url;
  const lines = [
    `DMS emulator listening on ${url}`,
    '',
    `  CLOUD_SDK_AK=${EMULATOR_CREDENTIALS.accessKeyId}`,
    `  CLOUD_SDK_SK=${EMULATOR_CREDENTIALS.secretAccessKey}`,
    '',
  ];
  if (!values['no-seed']) {
    lines.push(
      `  main project:   ${SEED_IDS.mainProject}`,
      `    kafka (64 tasks, pages): ${SEED_IDS.kafkaPaged}`,
      `    kafka (no tasks):        ${SEED_IDS.kafkaEmpty}`,
      `    rocketmq (stuck task):   ${SEED_IDS.rocketmq}`,
      `    rabbitmq:                ${SEED_IDS.rabbitmq}`,
      `  other project:  ${SEED_IDS.otherProject}`,
      '',
    );
  }
  lines.push(
    'Control surface (emulator only, unsigned):',
    `  curl -s ${url}${CONTROL_PREFIX}/state`,
    `  curl -s -XPOST ${url}${CONTROL_PREFIX}/tasks -d '{"projectId":"${SEED_IDS.mainProject}",` +
      `"instanceId":"${SEED_IDS.rabbitmq}","status":"FAILED"}'`,
    `  curl -s -XPOST ${url}${CONTROL_PREFIX}/tasks/TASK_ID/status -d '{"status":"SUCCESS"}'`,
    `  curl -s -XPOST ${url}${CONTROL_PREFIX}/faults -d '{"kind":"status","status":429,"retryAfter":2,"count":1}'`,
    `  curl -s -XDELETE ${url}${CONTROL_PREFIX}/faults`,
    `  curl -s ${url}${CONTROL_PREFIX}/requests`,
    `  curl -s -XPOST ${url}${CONTROL_PREFIX}/rate-limit -d '{"requestsPerSecond":10,"burst":10,"retryAfter":false}'`,
    `  curl -s -XDELETE ${url}${CONTROL_PREFIX}/lockouts`,
  );
  console.log(lines.join('\n'));

  const stop = (signal: string): void => {
    console.log(`\n${signal}: stopping the emulator`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
