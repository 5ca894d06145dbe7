// Child process for the cross-process FileStore tests: many operations issued at once, so they are
// group-committed in this process while the other process commits its own groups to the same file.
import { FileStore } from '../../lib/state/fileStore';

async function increment(store: FileStore, key: string): Promise<number> {
  for (let tries = 1; ; tries++) {
    const cur = await store.get(key);
    const n = typeof cur?.value.n === 'number' ? cur.value.n : 0;
    const ok = cur ? await store.update(key, cur.version, { n: n + 1 }) : await store.create(key, { n: 1 });
    if (ok) return tries;
  }
}

async function main(): Promise<void> {
  const [path, name] = process.argv.slice(2);
  if (!path || !name) throw new Error('usage: fileStoreBatchWorker PATH NAME');
  const store = new FileStore(path, { lockTimeoutMs: 30_000 });
  const creates = Array.from({ length: 100 }, (_, i) => store.create(`contested-${i}`, { by: name }));
  const puts = Array.from({ length: 100 }, (_, i) => store.put(`own-${name}-${i}`, { by: name, i }));
  // 50 read-modify-write increments of one shared counter, 5 at a time.
  let left = 50;
  const counters = Array.from({ length: 5 }, async () => {
    while (left > 0) {
      left--;
      await increment(store, 'counter');
    }
  });
  const [won] = await Promise.all([Promise.all(creates), Promise.all(puts), Promise.all(counters)]);
  process.stdout.write(JSON.stringify({ wins: won.filter(Boolean).length }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
