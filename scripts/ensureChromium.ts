/**
 * `npm test` (pretest) and `.ci/run`: the fleet page's browser test drives Debian's `chromium`.
 * Installs the package when it is missing and we are root; otherwise stops with the exact install
 * command, so the test is never skipped silently. No browser is ever downloaded by playwright.
 */
import { execSync } from 'node:child_process';
import { CHROMIUM_INSTALL_COMMAND, CHROMIUM_PATH, chromiumVersion } from '../dev/chromium';

function main(): number {
  if (chromiumVersion()) return 0;
  if (process.getuid?.() !== 0) {
    console.error(
      `${CHROMIUM_PATH} is missing; the fleet page's browser test needs it. Install it with:\n` +
        `  ${CHROMIUM_INSTALL_COMMAND}`,
    );
    return 1;
  }
  console.log(`chromium is missing: ${CHROMIUM_INSTALL_COMMAND}`);
  execSync(CHROMIUM_INSTALL_COMMAND, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!chromiumVersion()) {
    console.error(`${CHROMIUM_PATH} is still missing after installing chromium`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
