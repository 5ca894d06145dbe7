/**
 * p50/p90 latency of `list` through serverless-offline against the emulator, N sequential calls
 * after one warm-up: `node --import tsx test/e2e/measureLatency.ts [N=50]`.
 */
import { buildLocalConfig, localEnvironment, randomToken } from '../../dev/localConfig';
import { startEmulator, SEED_IDS } from '../../dev/emulator';
import { startOffline } from '../../dev/startOffline';

async function main(): Promise<void> {
  process.env.SLS_TELEMETRY_DISABLED = '1';
  process.env.SLS_NOTIFICATIONS_MODE = 'off';
  const n = Number(process.argv[2] ?? 50);
  const emulator = await startEmulator();
  const token = randomToken();
  const offline = await startOffline({
    env: localEnvironment(buildLocalConfig({ endpoint: emulator.url }), [token]),
    isolate: true,
  });
  try {
    const url = `${offline.url}/v2/${SEED_IDS.mainProject}/instances/${SEED_IDS.kafkaPaged}/tasks?limit=10`;
    const call = async (): Promise<number> => {
      const t = performance.now();
      const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`status ${r.status}`);
      return performance.now() - t;
    };
    const cold = await call();
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await call());
    times.sort((a, b) => a - b);
    const q = (p: number): string => (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(1);
    console.log(JSON.stringify({ calls: n, coldMs: cold.toFixed(1), p50Ms: q(0.5), p90Ms: q(0.9), maxMs: q(1) }));
  } finally {
    await offline.stop();
    await emulator.close();
  }
}

void main();
