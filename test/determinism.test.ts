import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/render/json.js';
import { renderText } from '../src/render/text.js';
import { runScenario } from '../src/pipeline/run-scenario.js';
import { scenarioFromFile, scenarioFromYaml } from './helpers/scenario.js';

const scenarioFiles = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();

async function jsonOf(file: string, seed?: number): Promise<string> {
  const report = await runScenario(await scenarioFromFile(`scenarios/${file}`), seed === undefined ? {} : { seed });
  return renderJson([report], { passed: 1, failed: 0 });
}

describe('determinism: same scenario and seed, same bytes', () => {
  it.each(scenarioFiles)('%s gives identical JSON on two runs', async (file) => {
    expect(await jsonOf(file)).toBe(await jsonOf(file));
  });

  it('a different seed draws different lags', async () => {
    const yaml = `regions: [us-east-1, eu-west-1, ap-south-1]
replication: { lag: { distribution: exponential, mean: 800 } }
steps:
${Array.from({ length: 10 }, (_, i) => `  - { at: ${i * 100}, put: { region: us-east-1, item: { Id: "K${i}", n: ${i} } } }`).join('\n')}
`;
    const scenario = scenarioFromYaml(yaml);
    const a = await runScenario(scenario, { seed: 1 });
    const b = await runScenario(scenario, { seed: 2 });
    const arrivals = (r: typeof a) => r.trace.flatMap((e) => (e.kind === 'replication-sent' ? [e.arrivesAt] : []));
    expect(arrivals(a)).not.toEqual(arrivals(b));
    expect(a.final).toEqual(b.final);
  });

  // Pinned output (like fast-check's NoRegression): a change to the model or the text view shows
  // up here as a diff to review, and the file is updated on purpose with `vitest -u`.
  it('pins the JSON output of clock-skew.yaml at seed 1 (the model contract)', async () => {
    await expect(await jsonOf('clock-skew.yaml', 1)).toMatchFileSnapshot('__snapshots__/clock-skew.seed1.json');
  });

  it('pins the text timeline of concurrent.yaml at seed 1', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/concurrent.yaml'), { seed: 1 });
    await expect(renderText(report)).toMatchFileSnapshot('__snapshots__/concurrent.seed1.txt');
  });
});
