import { lazyOnce } from '../core/once';
import type { StateStore } from './types';

/**
 * A store built on its first call rather than at cold start: the Redis store's password may be a
 * CSMS secret, which can only be read once an invocation has brought the credentials to sign with.
 * A failed build is not kept, so the next call (the next invocation) tries again.
 */
export function lazyStore(build: () => Promise<StateStore>): StateStore {
  const store = lazyOnce(build);
  return {
    get: async (k) => (await store()).get(k),
    getMany: async (k) => (await store()).getMany(k),
    put: async (k, v, o) => (await store()).put(k, v, o),
    create: async (k, v, o) => (await store()).create(k, v, o),
    update: async (k, ver, v, o) => (await store()).update(k, ver, v, o),
    listDue: async (n, l) => (await store()).listDue(n, l),
    scan: async (p, l, c) => (await store()).scan(p, l, c),
    persistence: async () => {
      const built = await store().catch(() => undefined);
      return built?.persistence ? built.persistence() : { persists: undefined, detail: 'store not built' };
    },
  };
}
