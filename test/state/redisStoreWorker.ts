// Child process for the Redis store's cross-process tests (one server, or a cluster seeded by PORT).
// Mode `race`: contested creates and updates plus private puts, printing what it won. Mode `crash`:
// writes that each touch a record and the due index, until the parent kills it with SIGKILL.
import { connectRedis } from '../../lib/state/connectRedis';
import { RedisStore } from '../../lib/state/redisStore';

async function main(): Promise<void> {
  const [mode, port, prefix, name, topology] = process.argv.slice(2);
  if (!mode || !port || !prefix || !name) throw new Error('usage: redisStoreWorker MODE PORT PREFIX NAME [cluster]');
  const cluster = topology === 'cluster';
  const client = connectRedis({ host: '127.0.0.1', port: Number(port), ...(cluster ? { cluster } : {}) });
  const store = new RedisStore({ client, keyPrefix: prefix });
  if (mode === 'race') {
    // One repetition per key prefix `${prefix}${rep}:` (a process racing the other through all of them).
    const reps = Number(process.argv[7] ?? '0');
    const results: { wins: string[]; updates: string[] }[] = [];
    for (let rep = 0; rep < Math.max(1, reps); rep++) {
      const s = reps > 0 ? new RedisStore({ client, keyPrefix: `${prefix}${rep}:` }) : store;
      const wins: string[] = [];
      const updates: string[] = [];
      for (let i = 0; i < 40; i++) {
        const [won] = await Promise.all([
          s.create(`contested-${i}`, { by: name }, { due: i }),
          s.put(`own-${name}-${i}`, { by: name }),
        ]);
        if (won) wins.push(`contested-${i}`);
        // Both processes read version 1 and try to move it to 2: exactly one of them may.
        if (await s.update(`contested-${i}`, 1, { by: name, updated: true }, { due: i }))
          updates.push(`contested-${i}`);
      }
      results.push({ wins, updates });
    }
    process.stdout.write(JSON.stringify(reps > 0 ? results : results[0]));
    await store.close();
    return;
  }
  for (let i = 0; ; i++) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        store.put(`crash-${(i * 20 + j) % 200}`, { n: i * 20 + j, pad: 'x'.repeat(2000) }, { due: i * 20 + j }),
      ),
    );
    // Once a first batch is stored, so that a kill always finds something written.
    if (i === 0) process.stdout.write('started\n');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
