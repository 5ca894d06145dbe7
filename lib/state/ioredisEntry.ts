/**
 * Entry point of the notifier's companion bundle `functions/notify-on-failure.redis.js` (built by
 * `build/redisBundlePlugin.js`): ioredis on its own, loaded by {@link loadIoredis} only when the
 * Redis store is configured, so the notifier's own bundle stays small and the HTTP functions never
 * ship it.
 */
export { Cluster, Redis } from 'ioredis';
