import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

/** Loads a scenario from YAML text; fails the test with the problems if it is invalid. */
export function scenarioFromYaml(yaml: string, file = 'inline.yaml'): Scenario {
  const result = loadScenarioText(yaml, file);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return result.scenario;
}

export async function scenarioFromFile(file: string): Promise<Scenario> {
  const result = await loadScenarioFile(file);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return result.scenario;
}
