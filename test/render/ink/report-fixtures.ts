import { loadScenarioFile } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

/** A real report: a scenario from scenarios/ run through the model. */
export async function reportOf(name: string, seed?: number): Promise<RunReport> {
  const file = `scenarios/${name}`;
  const loaded = await loadScenarioFile(file);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return runScenario({ ...loaded.scenario, file }, seed !== undefined ? { seed } : {});
}

/** concurrent.yaml with an expectation that cannot hold, so one assertion fails. */
export async function failingReport(): Promise<RunReport> {
  const scenario = scenarioFromYaml(
    `
name: wrong-winner
seed: 1
regions: [us-east-1, eu-west-1]
replication:
  lag: { distribution: fixed, ms: 800 }
application:
  strategy: client-lww
  idempotency: local
steps:
  - at: 0
    event: { id: evt-1, region: us-east-1, key: k1, item: "ORDER#1", data: { status: shipped } }
  - at: 100
    event: { id: evt-2, region: eu-west-1, key: k2, item: "ORDER#1", data: { status: cancelled } }
expect:
  converged: true
  items:
    "ORDER#1": { Data: { status: shipped } }
`,
    'wrong-winner.yaml',
  );
  return runScenario(scenario, {});
}

/** Strips colour and cursor escapes so frames can be matched as text. */
export function plain(frame: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (frame ?? '').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}
