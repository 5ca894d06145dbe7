import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the ioredis module the store uses. */
export type IoredisModule = Pick<typeof import('ioredis'), 'Redis' | 'Cluster'>;

/** File name of the companion bundle beside the deployed notifier (see `redisBundlePlugin.js`). */
export const REDIS_COMPANION_FILE = 'notify-on-failure.redis.js';
/** The companion of each function that may open a Redis store: the notifier's, the operator API's. */
export const REDIS_COMPANION_FILES = [REDIS_COMPANION_FILE, 'ops.redis.js'] as const;

/** The companion file a function's package carries (none for list and show). */
export function redisCompanionOf(fn: string): string[] {
  return REDIS_COMPANION_FILES.filter((f) => f === `${fn}.redis.js`);
}

/** Not a string literal, so that esbuild leaves this `require` alone instead of bundling ioredis. */
const IOREDIS_PACKAGE: string = 'ioredis';

let loaded: IoredisModule | undefined;

/**
 * Loads ioredis on first use: from the companion bundle when one lies beside this code (a deployed
 * notifier: `__dirname` is the bundle's folder), else from `node_modules` (tests, `npm start`). Only
 * the Redis store calls it, so a notifier on the file or DynamoDB store never reads the 190 KB.
 */
export function loadIoredis(): IoredisModule {
  if (loaded) return loaded;
  const companion = REDIS_COMPANION_FILES.map((f) => join(__dirname, f)).find((f) => existsSync(f));
  loaded = require(companion ?? IOREDIS_PACKAGE) as IoredisModule;
  return loaded;
}
