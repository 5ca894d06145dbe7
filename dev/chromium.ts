import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: the browser tests drive it; nothing is ever downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** The command that installs it (and the message when it is missing). */
export const CHROMIUM_INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/** Headless, no sandbox (containers, root), nothing that talks to Google or the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Chromium's version line, or `undefined` when it is not installed. */
export function chromiumVersion(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return undefined;
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export interface LaunchedChromium {
  /** The browser's one context, on a fresh profile (its `--user-data-dir`). */
  readonly context: BrowserContext;
  /** Closes the browser and deletes its fresh profile. */
  close(): Promise<void>;
}

/** Launches Debian's Chromium through playwright-core with a fresh profile directory. */
export async function launchChromium(): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'dtf-chromium-'));
  // playwright passes the profile as `--user-data-dir` (it refuses the flag in `args`).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
