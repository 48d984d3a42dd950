import { statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { MODULE_EXTENSIONS } from './application-checks.js';
import type { PathProblem } from './problems.js';
import type { ScenarioParsed } from './schema.js';

/**
 * The modules a scenario names (`application.module`, `application.merge.module`) that are not
 * files, placed at the key's value. Checked by the loader rather than when the module is bundled,
 * so the problem carries the scenario's line and column like every other one (a path mistyped in
 * the scenario is a mistake in the scenario), and every command that loads a file gets it.
 * A module with an extension geosim does not load is already refused (module-extension) and is
 * not looked for.
 */
export function missingModuleProblems(s: ScenarioParsed, file: string): PathProblem[] {
  const problems: PathProblem[] = [];
  const check = (given: string, path: PathProblem['path'], what: string) => {
    if (!(MODULE_EXTENSIONS as readonly string[]).includes(extname(given).toLowerCase())) return;
    const absolute = resolve(dirname(file), given);
    const found = kindAt(absolute);
    if (found === 'file' || found === 'unknown') return;
    problems.push({
      path,
      code: 'module-not-found',
      message: found === 'missing' ? `the ${what} module "${given}" does not exist (${absolute})` : `the ${what} module "${given}" is not a file (${absolute})`,
      hint: `${path.join('.')} is resolved against the scenario file's directory`,
    });
  };
  if (s.application.module !== undefined) check(s.application.module, ['application', 'module'], 'handler');
  if (s.application.merge !== undefined) check(s.application.merge.module, ['application', 'merge', 'module'], 'merge');
  return problems;
}

/**
 * What is at a path. A path that cannot be looked at (no permission) is 'unknown': not called
 * missing here; bundling it says what went wrong.
 */
function kindAt(path: string): 'file' | 'missing' | 'other' | 'unknown' {
  try {
    return statSync(path).isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unknown';
  }
}

/**
 * A module-extension problem (a module named without a loadable extension) with a hint naming the
 * file the scenario most likely means, when one is there: `./orders` beside `orders.ts`, or Lambda's
 * `file.export` form (`./orders.handler`), which a scenario writes as two keys.
 */
export function withModuleNearMiss(problem: PathProblem, s: ScenarioParsed, file: string): PathProblem {
  if (problem.code !== 'module-extension') return problem;
  const merge = problem.path[1] === 'merge';
  const given = merge ? s.application.merge?.module : s.application.module;
  if (given === undefined) return problem;
  const existing = (base: string) => MODULE_EXTENSIONS.map((ext) => `${base}${ext}`).find((candidate) => kindAt(resolve(dirname(file), candidate)) === 'file');
  const whole = existing(given);
  if (whole !== undefined) return { ...problem, hint: `${whole} is there: module: ${whole}` };
  const dot = given.lastIndexOf('.');
  const exported = dot > given.lastIndexOf('/') && dot > 0 ? given.slice(dot + 1) : '';
  const base = exported !== '' ? existing(given.slice(0, dot)) : undefined;
  if (base === undefined) return problem;
  return { ...problem, hint: merge ? `Lambda's "file.export" is two keys here: module: ${base}, function: ${exported}` : `Lambda's "file.export" is two keys here: module: ${base}, handler: ${exported}` };
}
