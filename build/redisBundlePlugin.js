// An esbuild plugin for serverless-esbuild (serverless.yml, custom.esbuild.plugins): after the bundle
// of a function that opens the state store (the notifier, the operator API `ops`) is built, it builds
// ioredis on its own into `<function>.redis.js` beside it. lib/state/loadIoredis.ts requires that
// file only when notify.store.type is "redis".
// serverless-esbuild puts a file named after a function's bundle (`<bundle>.<anything>`) only into
// that function's zip, so list and show never ship it. Plain CommonJS: the Serverless CLI requires it.
const { join } = require('node:path');
const esbuild = require('esbuild');

/** The functions that may open a Redis store (lib/state/loadIoredis.ts lists the same companions). */
const STORE_ENTRIES = ['notify-on-failure', 'ops'];

module.exports = [
  {
    name: 'redis-companion',
    setup(build) {
      const entries = JSON.stringify(build.initialOptions.entryPoints ?? []);
      const outdir = build.initialOptions.outdir;
      const wanted = STORE_ENTRIES.filter((e) => entries.includes(`/${e}.`));
      if (wanted.length === 0 || !outdir) return;
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        for (const entry of wanted)
          await esbuild.build({
          entryPoints: [join(__dirname, '..', 'lib', 'state', 'ioredisEntry.ts')],
          outfile: join(outdir, `${entry}.redis.js`),
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
