import { describe, expect, it } from 'vitest';
import { incremented } from '../../src/app/event-processor.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const scenario = (strategy: string, steps: string) => `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: ${strategy} }
steps:
${steps}
`;

/** Two increments in one region, one after the other: both count under every strategy. */
const sequential = `
  - at: 0
    event: { id: e1, region: us-east-1, item: "C#1", add: { n: 2 } }
  - at: 1s
    event: { id: e2, region: us-east-1, item: "C#1", add: { n: 3 }, data: { label: x } }
`;
/** One increment in each region inside the replication window. */
const concurrent = `
  - at: 0
    event: { id: e1, region: us-east-1, item: "C#1", add: { n: 1 } }
  - at: 10ms
    event: { id: e2, region: eu-west-1, item: "C#1", add: { n: 1 } }
`;

describe('incremented', () => {
  it('keeps what Data held, sets the data and adds the increments (absent or non-number = 0)', () => {
    expect(incremented({ a: 1, n: 4, s: 'x' }, { a: 2 }, { n: 1, m: 5, s: 1 })).toEqual({ a: 2, n: 5, m: 5, s: 1 });
    expect(incremented(undefined, {}, { n: 0.1 })).toEqual({ n: 0.1 });
    expect(incremented({ n: 0.1 }, {}, { n: 0.2 })).toEqual({ n: 0.3 }); // DynamoDB's decimal sum
  });
});

describe('add: on event steps', () => {
  for (const strategy of ['lww-item', 'client-lww', 'version']) {
    it(`${strategy}: increments in one region add up, data set beside them`, async () => {
      const report = await runScenario(scenarioFromYaml(scenario(strategy, sequential)));
      for (const region of ['us-east-1', 'eu-west-1']) expect(report.final[region]!['C#1']!.Data).toEqual({ n: 5, label: 'x' });
    });
    it(`${strategy}: concurrent increments in two regions lose one (whole-item last-writer-wins)`, async () => {
      const report = await runScenario(scenarioFromYaml(scenario(strategy, concurrent)));
      const values = ['us-east-1', 'eu-west-1'].map((r) => report.final[r]!['C#1']!.Data);
      expect(values).toEqual([{ n: 1 }, { n: 1 }]);
    });
  }

  it('an event needs data, add or both (exit 2 at the event)', () => {
    const result = loadScenarioText(scenario('lww-item', `  - at: 0\n    event: { id: e1, region: us-east-1, item: "C#1" }\n`), 'x.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('\n')).toContain('an event needs data (attributes it sets), add (increments it asks for) or both');
  });

  it('refuses an attribute both set and added', () => {
    const result = loadScenarioText(scenario('lww-item', `  - at: 0\n    event: { id: e1, region: us-east-1, item: "C#1", data: { n: 1 }, add: { n: 1 } }\n`), 'x.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('\n')).toContain('Data.n is both set by data and incremented by add');
  });

  it('refuses an increment that is not a number', () => {
    const result = loadScenarioText(scenario('lww-item', `  - at: 0\n    event: { id: e1, region: us-east-1, item: "C#1", add: { n: two } }\n`), 'x.yaml');
    expect(result.ok).toBe(false);
  });
});
