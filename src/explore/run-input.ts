import { stringify } from 'yaml';
import { ScenarioError } from '../pipeline/library-run.js';
import { runScenario, type RunOptions } from '../pipeline/run-scenario.js';
import { loadScenarioObject } from '../scenario/load.js';
import type { RunReport } from '../trace/report.js';

/** How `runInput` loads and runs one concrete scenario input. */
export interface RunInputOptions extends Pick<RunOptions, 'lagSource' | 'seed' | 'horizon' | 'maxTraceEvents' | 'syncLimitMs' | 'quietConsole'> {
  /**
   * The scenario file the input stands for: relative paths in it (application.module) resolve
   * against its directory, messages and the report name it.
   */
  file: string;
}

/**
 * Runs one concrete scenario input (the object a YAML scenario parses to, every range pinned): the
 * currency of `geosim explore`. The engine draws inputs, the shrinker edits them, and both run them
 * here. An input with problems throws a ScenarioError (file, line, column), as `run()` does.
 */
export async function runInput(input: Record<string, unknown>, options: RunInputOptions): Promise<RunReport> {
  const { file, ...runOptions } = options;
  const loaded = loadScenarioObject(input, file, (data) => stringify(data));
  if (!loaded.ok) throw new ScenarioError(loaded.problems);
  // Quiet by default: explore runs an input thousands of times, and a team's handler that logs per
  // event would bury the search's own output.
  return runScenario(loaded.scenario, { quietConsole: true, ...runOptions });
}
