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
