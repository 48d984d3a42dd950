import { extname, resolve } from 'node:path';
import type { ScenarioRun } from './diagram.js';
import { runScenarioFileForDiagram } from './diagram-run.js';
import { readTraceRuns } from './trace-file.js';
import type { RunOptions } from './run-scenario.js';

/**
 * `geosim report`'s glue from an input file to its runs: a scenario runs as `geosim diagram` runs it
 * (one run); a recorded .json gives every run it holds (diagram takes only a file of one).
 */
export async function runFileForReport(file: string, seed: number | undefined, cwd: string, maxFileBytes?: number, limits: Pick<RunOptions, 'horizon' | 'maxTraceEvents' | 'syncLimitMs'> = {}): Promise<ScenarioRun[]> {
  if (extname(file) === '.json') return readTraceRuns(resolve(cwd, file), file, maxFileBytes);
  return [await runScenarioFileForDiagram(file, seed, cwd, maxFileBytes, limits)];
}
