// A Serverless Framework plugin (serverless.yml `plugins`): before `serverless package` or `deploy`
// builds anything, it makes sure the functions will have a configuration, since without one every
// function answers 500 (or the notifier fails every run) after a deployment that looked fine.
// One of these must hold:
// - DMS_TASKS_PACKAGE_CONFIG=path: packaged beside each bundle (configBundlePlugin.js checks it);
// - DMS_TASKS_CONFIG='<document>': serverless.yml puts it in the functions' environment; checked here
//   with each function's parsers and for Lambda (build/checkTarget.ts), like a packaged one;
// - DMS_TASKS_CONFIG_AT_DEPLOY=1: you give the configuration another way (an environment variable set
//   on the functions after deploying, say): said so, not checked.
// `serverless offline` runs no package lifecycle, so `npm start` and the local tests are not concerned.
// Plain CommonJS: the Serverless CLI requires it.
const { checkConfigText } = require('./configBundlePlugin.js');

const AT_DEPLOY = 'DMS_TASKS_CONFIG_AT_DEPLOY';

const NO_CONFIG = [
  'no configuration for the functions: every one would answer 500 once deployed. Give one of:',
  '  DMS_TASKS_PACKAGE_CONFIG=prod-config.json   (packaged with each function, checked now)',
  "  DMS_TASKS_CONFIG='<the JSON document>'      (in the functions' environment, checked now; at most 4 KB)",
  `  ${AT_DEPLOY}=1                (you set the configuration on the functions yourself)`,
  'Examples to start from: examples/README.md',
].join('\n');

/** The problem with the build's configuration, or undefined. `env` is the deploying shell's. */
function packageConfigProblem(functionNames, env = process.env) {
  if (env.DMS_TASKS_PACKAGE_CONFIG) return undefined;
  const inline = env.DMS_TASKS_CONFIG;
  if (inline) {
    try {
      for (const fn of functionNames) checkConfigText(inline, fn, { target: 'lambda', source: 'DMS_TASKS_CONFIG' });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    return undefined;
  }
  if (env[AT_DEPLOY] === '1') return undefined;
  return NO_CONFIG;
}

class PackageCheckPlugin {
  constructor(serverless, _options, { log } = {}) {
    const fail = (message) => {
      throw new serverless.classes.Error(message);
    };
    this.hooks = {
      'before:package:initialize': () => {
        const problem = packageConfigProblem(serverless.service.getAllFunctions());
        if (problem) fail(problem);
        if (!process.env.DMS_TASKS_PACKAGE_CONFIG && !process.env.DMS_TASKS_CONFIG) {
          const say = log ? log.notice : console.log;
          say(`${AT_DEPLOY}=1: packaging with no configuration; set one on the functions before they run`);
        }
      },
    };
  }
}

module.exports = PackageCheckPlugin;
module.exports.packageConfigProblem = packageConfigProblem;
