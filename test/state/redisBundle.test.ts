import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../bench/bundles';
import { REDIS_COMPANION_FILE } from '../../lib/state/loadIoredis';
import { startRedisServer } from '../../dev/redisServer';

// The plugin serverless.yml names (custom.esbuild.plugins), as serverless-esbuild loads it.
const plugins = require('../../build/redisBundlePlugin.js') as Plugin[];
const ROOT = join(__dirname, '../..');
// Outside the repository, so nothing can resolve `ioredis` from a node_modules folder.
const out = mkdtempSync(join(tmpdir(), 'redis-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const bundle = (fn: string) =>
  build({
    entryPoints: [join(ROOT, 'functions', `${fn}.ts`)],
    outdir: join(out, 'functions'),
    ...ESBUILD_OPTIONS,
    plugins,
  });

describe('ioredis ships beside the notifier only, and loads from there', () => {
  it('builds the companion next to notify-on-failure, and keeps ioredis out of every bundle', async () => {
    await Promise.all(['notify-on-failure', 'list', 'show'].map(bundle));
    const companion = join(out, 'functions', REDIS_COMPANION_FILE);
    expect(existsSync(companion)).toBe(true);
    const size = statSync(companion).size;
    console.log(`ioredis companion: ${size} B minified`);
    expect(size).toBeGreaterThan(100_000);
    for (const fn of ['notify-on-failure', 'list', 'show']) {
      const js = readFileSync(join(out, 'functions', `${fn}.js`), 'utf8');
      // ioredis's own dependencies are not in the bundle.
      expect(js).not.toMatch(/denque|cluster-key-slot|standard-as-callback/);
    }
    expect(readFileSync(join(out, 'functions', 'notify-on-failure.js'), 'utf8')).toContain(REDIS_COMPANION_FILE);
  });

  it('the companion alone talks to redis-server (no node_modules anywhere above it)', async () => {
    const server = await startRedisServer();
    try {
      const script = `const { Redis } = require(${JSON.stringify(join(out, 'functions', REDIS_COMPANION_FILE))});
        const c = new Redis({ host: '127.0.0.1', port: ${server.port} });
        c.ping().then((p) => { console.log(p); return c.quit(); });`;
      expect(execFileSync(process.execPath, ['-e', script], { cwd: out, encoding: 'utf8' }).trim()).toBe('PONG');
    } finally {
      await server.stop();
    }
  });
});
