// Child process for the cross-process FileStore test: contested creates and private puts on one file.
import { FileStore } from '../../lib/state/fileStore';

async function main(): Promise<void> {
  const [path, name] = process.argv.slice(2);
  if (!path || !name) throw new Error('usage: fileStoreWorker PATH NAME');
  const store = new FileStore(path);
  let wins = 0;
  for (let i = 0; i < 40; i++) {
    const [won] = await Promise.all([
      store.create(`contested-${i}`, { by: name }),
      store.put(`own-${name}-${i}`, { by: name }),
    ]);
    if (won) wins++;
  }
  process.stdout.write(JSON.stringify({ wins }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
