// An esbuild plugin for serverless-esbuild (serverless.yml, custom.esbuild.plugins): after the
// notifier's bundle is built, it builds ioredis on its own into `notify-on-failure.redis.js` beside
// it. lib/state/loadIoredis.ts requires that file only when notify.store.type is "redis".
// serverless-esbuild puts a file named after a function's bundle (`<bundle>.<anything>`) only into
// that function's zip, so list and show never ship it. Plain CommonJS: the Serverless CLI requires it.
const { join } = require('node:path');
const esbuild = require('esbuild');

const NOTIFIER_ENTRY = 'notify-on-failure';
const COMPANION_FILE = 'notify-on-failure.redis.js';

module.exports = [
  {
    name: 'redis-companion',
    setup(build) {
      const entries = JSON.stringify(build.initialOptions.entryPoints ?? []);
      const outdir = build.initialOptions.outdir;
      if (!entries.includes(NOTIFIER_ENTRY) || !outdir) return;
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        await esbuild.build({
          entryPoints: [join(__dirname, 'ioredisEntry.ts')],
          outfile: join(outdir, COMPANION_FILE),
          bundle: true,
          minify: build.initialOptions.minify ?? true,
          platform: 'node',
          target: build.initialOptions.target ?? 'node20',
          format: 'cjs',
          logLevel: 'error',
        });
      });
    },
  },
];
