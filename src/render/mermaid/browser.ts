import { accessSync, constants } from 'node:fs';
import { EnvironmentError } from '../../errors.js';

/** Where geosim looks for a Chromium or Chrome after PUPPETEER_EXECUTABLE_PATH, in order. */
export const BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
] as const;

/**
 * Flags for a headless Chromium on a server or in CI. `--no-sandbox` because CI and these machines
 * run as root, where Chromium refuses to start sandboxed; the networking flags stop Chromium from
 * phoning home (component updates, sync, field trials), which on a closed network only produces
 * refused connections and delays.
 */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-quic',
  '--no-first-run',
  '--metrics-recording-only',
] as const;

export type BrowserLookup = { found: true; path: string } | { found: false; tried: string[] };

/**
 * Finds a browser to render with: PUPPETEER_EXECUTABLE_PATH if set (and it must then exist), else
 * the first executable of {@link BROWSER_PATHS}. Never downloads one.
 */
export function findBrowser(env: NodeJS.ProcessEnv, isExecutable: (path: string) => boolean = executable): BrowserLookup {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH?.trim();
  if (fromEnv) {
    return isExecutable(fromEnv) ? { found: true, path: fromEnv } : { found: false, tried: [fromEnv] };
  }
  for (const path of BROWSER_PATHS) {
    if (isExecutable(path)) return { found: true, path };
  }
  return { found: false, tried: [...BROWSER_PATHS] };
}

/** The one-line error for a machine without a browser. */
export function noBrowserError(lookup: Extract<BrowserLookup, { found: false }>, env: NodeJS.ProcessEnv): EnvironmentError {
  const where = env.PUPPETEER_EXECUTABLE_PATH?.trim()
    ? `PUPPETEER_EXECUTABLE_PATH=${lookup.tried[0] ?? ''} is not an executable file`
    : `no Chromium or Chrome found (looked in ${lookup.tried.join(', ')})`;
  return new EnvironmentError(
    `geosim diagram: cannot render: ${where}; install one (Debian/Ubuntu: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium binary. The .mmd files were written.`,
  );
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops the harmless line Debian's chromium wrapper prints at every start
 * (`/usr/bin/chromium: 9: [: ... unexpected operator`, from /etc/chromium.d/dev-shm) from text
 * meant for a user.
 */
export function filterBrowserNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/chromium(-browser)?: \d+: \[:/.test(line))
    .join('\n');
}
