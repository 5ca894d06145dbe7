// Child process for the FileStore crash test: one committed write, then a batch during which the
// process dies (SIGKILL, no clean-up) after writing the temporary file and before the `rename`.
import fsp from 'node:fs/promises';
import { FileStore } from '../../lib/state/fileStore';

async function main(): Promise<void> {
  const [path] = process.argv.slice(2);
  if (!path) throw new Error('usage: fileStoreCrashWorker PATH');
  const store = new FileStore(path);
  await store.put('kept', { v: 1 });
  process.stdout.write('committed\n');
  // The module object is what the store calls through, so this replaces its `rename` from now on.
  (fsp as { rename: typeof fsp.rename }).rename = async () => {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  };
  await Promise.all([
    store.put('kept', { v: 2 }),
    store.create('lost', { v: 1 }),
    ...Array.from({ length: 20 }, (_, i) => store.put(`lost-${i}`, { i })),
  ]);
  process.stdout.write('not reached\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
