import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeFileAtomic } from '../pipeline/atomic-write.js';
import type { RunReport } from '../trace/report.js';
import { failureSignature } from './failure.js';
import { sha8 } from './token.js';

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

/** A saved regression as read back: its path and its concrete input. */
export interface Regression {
  path: string;
  input: Record<string, unknown>;
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
    const input = parse(await readFile(path, 'utf8')) as unknown;
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) out.push({ path, input: input as Record<string, unknown> });
  }
  return out;
}

/**
 * Replays the regressions first, as proptest and Hypothesis do: the first one that still fails is
 * the failure, before any new draw. `run` runs a concrete input as the scenario file would.
 */
export async function replayRegressions(
  regressions: Regression[],
  run: (input: Record<string, unknown>) => Promise<RunReport>,
): Promise<{ replayed: number; failed?: { regression: Regression; report: RunReport; signature: string } }> {
  let replayed = 0;
  for (const regression of regressions) {
    replayed++;
    const report = await run(regression.input);
    const signature = failureSignature(report);
    if (signature !== undefined) return { replayed, failed: { regression, report, signature } };
  }
  return { replayed };
}
