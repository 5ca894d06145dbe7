// Child process for the Redis store's cross-process tests. Mode `race`: contested creates and
// updates plus private puts, printing what it won. Mode `crash`: writes that each touch a record and
// the due index, until the parent kills it with SIGKILL.
import { connectRedis } from '../../lib/state/connectRedis';
import { RedisStore } from '../../lib/state/redisStore';

async function main(): Promise<void> {
  const [mode, port, prefix, name] = process.argv.slice(2);
  if (!mode || !port || !prefix || !name) throw new Error('usage: redisStoreWorker MODE PORT PREFIX NAME');
  const store = new RedisStore({ client: connectRedis({ host: '127.0.0.1', port: Number(port) }), keyPrefix: prefix });
  if (mode === 'race') {
    const wins: string[] = [];
    const updates: string[] = [];
    for (let i = 0; i < 40; i++) {
      const [won] = await Promise.all([
        store.create(`contested-${i}`, { by: name }, { due: i }),
        store.put(`own-${name}-${i}`, { by: name }),
      ]);
      if (won) wins.push(`contested-${i}`);
      // Both processes read version 1 and try to move it to 2: exactly one of them may.
      if (await store.update(`contested-${i}`, 1, { by: name, updated: true }, { due: i }))
        updates.push(`contested-${i}`);
    }
    process.stdout.write(JSON.stringify({ wins, updates }));
    await store.close();
    return;
  }
  process.stdout.write('started\n');
  for (let i = 0; ; i++) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        store.put(`crash-${(i * 20 + j) % 200}`, { n: i * 20 + j, pad: 'x'.repeat(2000) }, { due: i * 20 + j }),
      ),
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
