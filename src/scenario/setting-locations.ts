import { UserError } from '../errors.js';
import { suggest } from './near-miss.js';
import { formatProblems, type ScenarioProblem } from './problems.js';

/**
 * Where a scenario file writes the settings a mistake can be found in only once its run starts
 * (a team's module without the export `application.handler` names, one that throws while loading,
 * a merge module without its function): kept from the loader, so that mistake is placed at its
 * line and column like every other one. On the scenario under a symbol: spreads keep it, JSON
 * leaves it out.
 */
export const SETTING_LOCATIONS = Symbol('geosim.settingLocations');

/** A setting's place in its file (a ScenarioProblem's position), by its dotted path (`application.handler`). */
export type SettingLocation = Pick<ScenarioProblem, 'file' | 'line' | 'col' | 'length' | 'sourceLine'>;
export type SettingLocations = ReadonlyMap<string, SettingLocation>;

/** The settings whose mistakes show only when the run starts (see SETTING_LOCATIONS). */
export const LATE_SETTINGS: readonly (readonly string[])[] = [
  ['application', 'module'],
  ['application', 'handler'],
  ['application', 'streamHandler'],
  ['application', 'merge', 'module'],
  ['application', 'merge', 'function'],
];

/**
 * A mistake in a setting a scenario made (`error.setting`), placed at the setting in the scenario's
 * file when the loader kept where it is: `file:line:col error[code] …` with its caret, and a "did
 * you mean" among `error.candidates`. Any other error is returned as it is.
 */
export function placedAtSetting(scenario: { file?: string; [SETTING_LOCATIONS]?: SettingLocations }, error: unknown): unknown {
  if (!(error instanceof UserError) || error.setting === undefined) return error;
  const at = locationOf(scenario[SETTING_LOCATIONS], error.setting);
  if (at === undefined) return error;
  // the file as the command names it (relative to where it ran), as its other problems are
  const file = typeof scenario.file === 'string' && scenario.file !== '' ? scenario.file : at.file;
  // suggest() words it ` (did you mean "x"?)`: the hint is its words without the parentheses
  const near = error.candidates !== undefined && error.given !== undefined ? suggest(error.given, error.candidates) : '';
  const hint = lambdaStyleHint(error.given, error.candidates) ?? (near !== '' ? near.trim().replace(/^\(|\)$/g, '') : undefined);
  // a message of several lines (the bundler's, with the module's own line and caret) follows the scenario's caret
  const [first, ...rest] = error.message.replace(/^geosim: /, '').split('\n');
  const problem: ScenarioProblem = { ...at, file, code: error.code ?? 'application-module', message: first!, ...(hint ? { hint } : {}) };
  return new UserError([formatProblems([problem]).trimEnd(), ...rest].join('\n'));
}

/**
 * Where a setting is written, or, for one the file left to its default (`handler: handler`), the
 * module setting beside it (`application.module`), else its parent: the mistake still gets a line.
 */
function locationOf(locations: SettingLocations | undefined, setting: readonly string[]): SettingLocation | undefined {
  if (locations === undefined) return undefined;
  const parent = setting.slice(0, -1);
  for (const path of [setting, [...parent, 'module'], parent]) {
    const at = locations.get(path.join('.'));
    if (at !== undefined) return at;
  }
  return undefined;
}

/** Lambda's `file.export` form (`index.handler`) given where geosim takes the export alone: its export named. */
function lambdaStyleHint(given: string | undefined, candidates: readonly string[] | undefined): string | undefined {
  if (given === undefined || candidates === undefined || !given.includes('.')) return undefined;
  const exported = given.slice(given.lastIndexOf('.') + 1);
  if (!candidates.includes(exported)) return undefined;
  return `did you mean "${exported}"? the setting names the export alone; Lambda's "file.export" is two keys here: application.module (the file) and this one (the export)`;
}
