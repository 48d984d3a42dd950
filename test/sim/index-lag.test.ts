import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const yaml = (lag: string) => `
regions: [us-east-1, eu-west-1]
${lag}
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: ORDER#1, IdempotencyKey: k-1 } }
  - at: 100ms
    query: { region: us-east-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", values: { ":k": k-1 }, expect: { count: 0 } }
  - at: 500ms
    query: { region: us-east-1, index: IdempotencyIndex, key: "IdempotencyKey = :k", values: { ":k": k-1 }, expect: { count: 1 } }
`;

describe('indexLag: global secondary indexes are eventually consistent', () => {
  it('a query on the index misses a write younger than the lag, and sees it after', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('indexLag: 500ms')));
    expect(report.assertions.map((a) => a.passed)).toEqual([true, true, true]);
  });

  it('without the key the index is current at once (default 0)', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('')));
    expect(report.assertions.filter((a) => !a.passed).map((a) => [a.at, a.expected, a.actual])).toEqual([[100, 0, 1]]);
  });
});
