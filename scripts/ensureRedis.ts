/**
 * `npm test` (pretest) and `.ci/run`: the store tests need a real `redis-server`. Installs the Debian
 * package when it is missing and we are root; otherwise stops with the exact install command, so the
 * tests are never skipped silently.
 */
import { execSync } from 'node:child_process';
import { REDIS_INSTALL_COMMAND, redisServerVersion } from '../dev/redisServer';

function main(): number {
  const version = redisServerVersion();
  if (version) return 0;
  if (process.getuid?.() !== 0) {
    console.error(
      `redis-server is not installed; the store tests need it. Install it with:\n  ${REDIS_INSTALL_COMMAND}`,
    );
    return 1;
  }
  console.log(`redis-server is missing: ${REDIS_INSTALL_COMMAND}`);
  execSync(REDIS_INSTALL_COMMAND, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!redisServerVersion()) {
    console.error('redis-server is still not on the PATH after installing it');
    return 1;
  }
  return 0;
}

process.exitCode = main();
