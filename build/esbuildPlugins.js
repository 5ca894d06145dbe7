// The esbuild plugins of every build (serverless.yml custom.esbuild.plugins, the FunctionGraph packager):
// the ioredis companion beside the notifier, and the packaged configuration (DMS_TASKS_PACKAGE_CONFIG).
// Plain CommonJS: the Serverless CLI requires it.
const redisPlugins = require('./redisBundlePlugin.js');
const { configPlugin } = require('./configBundlePlugin.js');

module.exports = [...redisPlugins, configPlugin()];
