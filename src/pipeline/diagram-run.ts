import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { readTraceFile } from './trace-file.js';
import { loadScenarioFile } from '../scenario/load.js';
import { formatProblems } from '../scenario/problems.js';
import { runScenario, type RunOptions } from './run-scenario.js';
import { ExitCode, inputError, UserError } from '../errors.js';
import type { ScenarioRun } from './diagram.js';

/**
 * The `geosim diagram` glue from a scenario file to its RunReport (load -> run), kept apart from
 * the generators, which read only the report. Problems come back formatted the way `geosim run`
 * prints them; the file name in the report is normalised relative to cwd so the diagram header
 * (and so its bytes) does not depend on how the path was spelled.
 */
export async function runScenarioFileForDiagram(file: string, seed: number | undefined, cwd: string, maxFileBytes?: number, limits: Pick<RunOptions, 'horizon' | 'maxTraceEvents' | 'syncLimitMs'> = {}): Promise<ScenarioRun> {
  const full = resolve(cwd, file);
  // A recorded run (`geosim serve --trace`, `geosim run --format json`) is drawn as it is.
  if (extname(file) === '.json') return readTraceFile(full, file, maxFileBytes);
  const shown = shownScenarioPath(cwd, full, file);
  const loaded = await loadScenarioFile(full, maxFileBytes !== undefined ? { maxFileBytes } : {}).catch((error: NodeJS.ErrnoException) => ({
    ok: false as const,
    io: `geosim: ${file}: ${error.code === 'EISDIR' ? 'is a directory' : error.message}`,
  }));
  if (!loaded.ok) {
    return { ok: false, problems: 'io' in loaded ? loaded.io : formatProblems(loaded.problems.map((p) => ({ ...p, file: shown }))) };
  }
  try {
    return { ok: true, report: await runScenario({ ...loaded.scenario, file: shown }, seed !== undefined ? { ...limits, seed } : limits) };
  } catch (error) {
    // A team's module that cannot load is this scenario's bad input: the other inputs still run.
    if (!(error instanceof UserError) || error.exitCode !== ExitCode.badInput) throw error;
    return { ok: false, problems: inputError(shown, error) };
  }
}

/** A scenario's path as diagrams and reports name it: relative to cwd inside it, absolute outside it (not `../../../tmp/…`). */
function shownScenarioPath(cwd: string, full: string, given: string): string {
  const fromCwd = relative(cwd, full);
  if (fromCwd === '') return given;
  return fromCwd === '..' || fromCwd.startsWith(`..${sep}`) || isAbsolute(fromCwd) ? full : fromCwd;
}
