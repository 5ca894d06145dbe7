// An esbuild plugin for serverless-esbuild (serverless.yml, custom.esbuild.plugins) and the
// FunctionGraph packager: with DMS_TASKS_PACKAGE_CONFIG=path at build time, it checks that
// configuration document with the parsers the function runs at cold start (validatePackagedConfig.ts)
// and writes it beside the bundle as `<bundle>.config.json` (functions/list.config.json), which
// readConfigDocument.ts reads when no DMS_TASKS_CONFIG(_FILE) is set. A bad document fails the build,
// naming the setting. serverless-esbuild puts `<bundle>.<anything>` only into that function's zip.
// Plain CommonJS: the Serverless CLI requires it.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, extname, join, resolve } = require('node:path');
const esbuild = require('esbuild');

/** validatePackagedConfig.ts, compiled on first use (the CLI cannot require TypeScript). */
let validate;
function validator() {
  if (validate) return validate;
  const file = join(__dirname, 'validatePackagedConfig.ts');
  const out = esbuild.buildSync({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(__dirname);
  mod._compile(out.outputFiles[0].text, file);
  validate = mod.exports.validatePackagedConfig;
  return validate;
}

/** The function names of a build's entry points (`functions/list.ts` -> `list`). */
function entryNames(entryPoints) {
  const list = Array.isArray(entryPoints) ? entryPoints : Object.values(entryPoints ?? {});
  return list.map((e) => (typeof e === 'string' ? e : e.in)).map((e) => basename(e, extname(e)));
}

/**
 * `text` checked for function `fn` with its parsers and, with a `target` ('lambda', 'functiongraph'),
 * for what cannot work there; a problem is thrown as one line `<source> <label>: <path>: <problem>`.
 */
function checkConfigText(text, fn, { target, source = 'DMS_TASKS_PACKAGE_CONFIG', label = '' } = {}) {
  try {
    validator()(text, fn, process.env, target, source);
  } catch (e) {
    const where = e && e.path && e.path !== source ? `${e.path}: ` : '';
    const problem = e && e.problem ? e.problem : e instanceof Error ? e.message : String(e);
    throw new Error(`${source}${label ? ` ${label}` : ''}: ${where}${problem}`);
  }
}

/**
 * The config check for one build: `configFile` (default DMS_TASKS_PACKAGE_CONFIG) is read and checked
 * for every entry point at the start, so a bad document fails the build before anything is written;
 * with `target` also for what cannot work there (build/checkTarget.ts). serverless.yml's builds are for
 * Lambda; the FunctionGraph packager passes its own target.
 */
function configPlugin(configFile = process.env.DMS_TASKS_PACKAGE_CONFIG, target = 'lambda') {
  return {
    name: 'packaged-config',
    setup(build) {
      const outdir = build.initialOptions.outdir;
      const outfile = build.initialOptions.outfile;
      if (!configFile || (!outdir && !outfile)) return;
      const names = entryNames(build.initialOptions.entryPoints);
      let text;
      build.onStart(() => {
        try {
          text = readFileSync(resolve(configFile), 'utf8');
        } catch (e) {
          return { errors: [{ text: `DMS_TASKS_PACKAGE_CONFIG ${configFile}: ${e instanceof Error ? e.message : e}` }] };
        }
        try {
          for (const fn of names) checkConfigText(text, fn, { target, label: configFile });
        } catch (e) {
          return { errors: [{ text: e instanceof Error ? e.message : String(e) }] };
        }
        return undefined;
      });
      build.onEnd((result) => {
        if (result.errors.length > 0 || text === undefined) return;
        if (outfile) writeFileSync(outfile.replace(/\.[cm]?js$/, '') + '.config.json', text);
        else for (const fn of names) writeFileSync(join(outdir, `${fn}.config.json`), text);
      });
    },
  };
}

module.exports = { configPlugin, checkConfigText };
