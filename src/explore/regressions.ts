import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../pipeline/atomic-write.js';
import type { RunReport } from '../trace/report.js';
import { failureSignatures } from './failure.js';
import { reproHeaderToken } from './repro.js';
import { decodeToken, sha8, type ReplayToken } from './token.js';

/** Where explore keeps what it found, relative to the working directory (commit it, or cache it in CI). */
export const GEOSIM_DIR = '.geosim';

/** A scenario name as one safe path segment: letters, digits, '.', '-', '_' (others become '_'). */
export function fileSafe(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'scenario' : safe.slice(0, 100);
}

/** `.geosim/regressions/<scenario name>/`: the shrunk repros of a scenario's failures. */
export function regressionDir(cwd: string, scenarioName: string): string {
  return join(cwd, GEOSIM_DIR, 'regressions', fileSafe(scenarioName));
}

/** The default repro path, `.geosim/repro/<scenario name>-<sha8 of signature>.yaml`, relative to cwd. */
export function defaultReproPath(scenarioName: string, signature: string): string {
  return join(GEOSIM_DIR, 'repro', `${fileSafe(scenarioName)}-${sha8(signature)}.yaml`);
}

/**
 * Saves a failure's shrunk repro as `<sha8 of signature>.yaml` in the scenario's regression
 * directory (one per distinct failure; a later one of the same signature replaces it). Atomic: a
 * reader never sees half a file. Returns the path.
 */
export async function saveRegression(cwd: string, scenarioName: string, signature: string, yaml: string): Promise<string> {
  const path = join(regressionDir(cwd, scenarioName), `${sha8(signature)}.yaml`);
  await writeFileAtomic(path, yaml);
  return path;
}

/**
 * A saved regression as read back: its path, its text (a scenario with every choice pinned, run as
 * the file it is: a mistake in it is placed at its line), and the draw it was found at (its
 * header's token).
 */
export interface Regression {
  path: string;
  text: string;
  /** Absent for a file without a readable token in its header (written by hand, or edited). */
  token?: ReplayToken;
  /** A token its header names that cannot be read (an edit broke it): replayed as pinned, and explore says so. */
  unreadableToken?: string;
}

/** The replay token in a repro's header (see reproYaml): decoded, or the text of one that cannot be. */
function headerToken(text: string): { token: ReplayToken } | { unreadableToken: string } | undefined {
  const token = reproHeaderToken(text);
  if (token === undefined) return undefined;
  try {
    return { token: decodeToken(token) };
  } catch {
    return { unreadableToken: token };
  }
}

/** The scenario's saved regressions, in file-name order; none when the directory does not exist. */
export async function loadRegressions(cwd: string, scenarioName: string): Promise<Regression[]> {
  const dir = regressionDir(cwd, scenarioName);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [] as string[];
    throw error;
  });
  const out: Regression[] = [];
  for (const name of names.filter((n) => n.endsWith('.yaml')).sort()) {
    const path = join(dir, name);
    const bytes = await readFile(path).catch(async (error: NodeJS.ErrnoException) => {
      // gone since the folder was listed: another explore of the scenario removed a regression that
      // passes now (the same search run twice at once, a CI matrix sharing the folder): nothing to replay
      if (error.code === 'ENOENT' && (await lstat(path).catch(() => undefined)) === undefined) return undefined;
      // a folder or a broken link where a saved regression should be: the user's to mend, like a bad file
      throw new UnreadableRegression(path, error.code === 'EISDIR' ? 'is a directory' : error.code === 'ENOENT' ? 'is a link to nothing' : error.message);
    });
    if (bytes === undefined) continue;
    let text: string;
    try {
      // as a scenario file is read: bytes that are not UTF-8 are refused, not replayed as U+FFFD
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new UnreadableRegression(path, 'is not a YAML text file (it is not valid UTF-8)');
    }
    out.push({ path, text, ...headerToken(text) });
  }
  return out;
}

/** An entry of the regressions folder that cannot be read as a file (see loadRegressions). */
export class UnreadableRegression extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path}: ${why}`);
  }
}

/** A saved regression that still fails. */
export interface FailedRegression {
  regression: Regression;
  report: RunReport;
  signature: string;
  /** Set when the scenario changed since it was saved: the draw was replayed on the scenario as it is now. */
  redrawn?: { seed: number; index: number };
}

/**
 * Which of a replayed regression's failures it was saved for: the one its file is named after (or
 * its token names), when the run still fails that way, else its first. An unshrunk repro of a run
 * that failed two assertions is saved twice, once per failure, and each file stands for its own.
 */
function regressionSignature(regression: Regression, report: RunReport): string | undefined {
  const signatures = failureSignatures(report);
  const named = basename(regression.path, '.yaml');
  return signatures.find((s) => sha8(s) === named || sha8(s) === regression.token?.failure) ?? signatures[0];
}

/**
 * Replays the regressions first, as proptest and Hypothesis do, before any new draw. While the
 * scenario is the one the regression was found on (its token's hash), its pinned repro is run,
 * so a fix in the code under test shows at once. Once the scenario changed (a fix in its
 * settings), the saved draw is replayed on the scenario as it is now (`redraw`), as proptest
 * replays a saved seed against the current test: a fixed scenario passes. Stops at the first
 * that still fails unless `keepGoing`, which replays them all.
 */
export async function replayRegressions(
  regressions: Regression[],
  hooks: {
    /** Runs a regression's pinned input as the scenario file would. */
    run: (regression: Regression) => Promise<RunReport>;
    /** The scenario file as tokens name it (relative to the working directory), and its sha8 now. */
    file: string;
    hash: string;
    /** Runs draw `index` of `seed` on the scenario as it is now. */
    redraw: (seed: number, index: number) => Promise<RunReport>;
    /** True once no more may be replayed (the user interrupted explore). */
    stop?: () => boolean;
  },
  keepGoing = false,
): Promise<{ replayed: number; failed: FailedRegression[] }> {
  let replayed = 0;
  const failed: FailedRegression[] = [];
  for (const regression of regressions) {
    if (hooks.stop?.() === true) break;
    replayed++;
    const token = regression.token;
    // The pinned repro only while the scenario is the very text it was found on (wherever the file
    // is now: a renamed file keeps it). Any other text, a fix or a copy to tweak under the same
    // scenario name, gets the saved draw on itself as it is now: a failure then is its own, never
    // the pinned copy's (after `git mv` and a fix, the pinned repro kept failing).
    const redrawn = token !== undefined && token.hash !== hooks.hash ? { seed: token.seed, index: token.index } : undefined;
    const report = redrawn ? await hooks.redraw(redrawn.seed, redrawn.index) : await hooks.run(regression);
    const signature = regressionSignature(regression, report);
    if (signature === undefined) continue;
    failed.push({ regression, report, signature, ...(redrawn ? { redrawn } : {}) });
    if (!keepGoing) break;
  }
  return { replayed, failed };
}
