import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../errors.js';
import { loadScenarioFile, loadScenarioObject } from '../scenario/load.js';
import type { ScenarioProblem } from '../scenario/problems.js';
import { formatProblems } from '../scenario/problems.js';
import type { AssertionResult, RunReport } from '../trace/report.js';
import { checkLibraryRunOptions } from './library-options.js';
import { runScenario, type RunOptions } from './run-scenario.js';

export interface LibraryRunOptions extends RunOptions {
  /**
   * For a scenario given as an object: the directory its relative paths (application.module) are
   * resolved against, and the name its messages use. Default: the working directory.
   */
  baseDir?: string;
  /** Largest scenario file read (bytes), as `--max-file-size`; default 1 MB. An object has no limit: it is the caller's own. */
  maxFileBytes?: number;
}

/** A run's report, with what a test asserts on first. */
export interface LibraryRunReport extends RunReport {
  /** Every assertion passed and the run finished within its limits (`geosim run` would exit 0). */
  passed: boolean;
  /** The assertions that failed (empty when `passed`). */
  failures: AssertionResult[];
}

/** A scenario that does not load: its problems, each with file, line and column (exit 2 on the CLI). */
export class ScenarioError extends UserError {
  constructor(readonly problems: ScenarioProblem[]) {
    super(formatProblems(problems));
    this.name = 'ScenarioError';
  }
}

/**
 * Runs a scenario in the model from a test suite (vitest, jest, node:test) and returns its report:
 * `import { run } from 'geosim'`. The scenario is a YAML file's path or the object the YAML would
 * parse to; a scenario with problems throws a ScenarioError listing them, as `geosim run` prints them.
 *
 * @example
 * ```ts
 * import { run } from 'geosim';
 * const report = await run('scenarios/orders.yaml');
 * expect(report.failures).toEqual([]);
 * expect(report.counts.effects['order-1']).toBe(1);
 * ```
 */
export async function run(scenario: string | Record<string, unknown>, options: LibraryRunOptions = {}): Promise<LibraryRunReport> {
  checkLibraryRunOptions(scenario, options as Record<string, unknown>);
  const { baseDir, maxFileBytes, ...runOptions } = options;
  const loaded =
    typeof scenario === 'string'
      ? await loadScenarioFile(resolve(baseDir ?? process.cwd(), scenario), maxFileBytes !== undefined ? { maxFileBytes } : {}).catch((error: NodeJS.ErrnoException) => {
          throw new UserError(`geosim: ${scenario}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.message}`);
        })
      : // An object goes through the same loader as a file (same checks, same defaults); its
        // messages name a file in baseDir so relative module paths resolve there.
        // A module that is not there is placed at its key too, as a file's is.
        loadScenarioObject(scenario, resolve(baseDir ?? process.cwd(), `${typeof scenario.name === 'string' ? scenario.name : 'scenario'}.yaml`), (data) => stringify(data), { checkModuleFiles: true });
  if (!loaded.ok) throw new ScenarioError(loaded.problems);
  const report = await runScenario(loaded.scenario, { syncLimitName: 'syncLimitMs', ...runOptions });
  const failures = report.assertions.filter((a) => !a.passed);
  return { ...report, passed: failures.length === 0 && report.stopped === undefined, failures };
}
