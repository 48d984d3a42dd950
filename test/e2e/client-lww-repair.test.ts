import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// Issue 10 item 1: the client-lww repair consumer must repair only a replicated write whose client
// writer is older than the one it replaced, never a plain change made after the fact.
describe('client-lww repair consumer, end to end through the model', () => {
  it("keeps a plain update of an application item (the issue's scenario)", async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: new } } }
  - { at: 1s, update: { region: us-east-1, id: ORDER#1, set: { note: gift } } }
expect:
  items: { ORDER#1: { note: gift } }
`),
    );
    expect(report.trace.filter((e) => e.kind === 'conflict-repaired')).toEqual([]);
    expect(report.counts).toMatchObject({ repairs: 0, conditionFailures: 0 });
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    for (const region of report.regions) expect(report.final[region]!['ORDER#1']).toMatchObject({ note: 'gift', Data: { status: 'new' } });
  });

  it('keeps a plain set on items without a Timestamp, with no phantom failed condition', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K1, a: 1 } } }
  - { at: 1s, update: { region: us-east-1, id: K1, set: { note: gift } } }
expect:
  items: { K1: { a: 1, note: gift } }
  counts: { conditionFailures: 0, repairs: 0 }
`),
    );
    expect(report.trace.filter((e) => e.kind === 'condition-failed')).toEqual([]);
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });

  it('still repairs a concurrent write whose client Timestamp is older', async () => {
    // eu-west-1 writes later in service time but with an older client clock (skewed 2s behind).
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
clocks: { eu-west-1: { skew: -2s } }
steps:
  - { at: 0, event: { id: us, region: us-east-1, item: ORDER#1, data: { by: us } } }
  - { at: 100, event: { id: eu, region: eu-west-1, item: ORDER#1, data: { by: eu } } }
expect:
  converged: true
  items: { ORDER#1: { Data: { by: us } } }
`),
    );
    expect(report.counts.repairs).toBeGreaterThan(0);
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });

  it("a counter's two ADD updates in two regions need no repair (issue 10 item 2, memory backend)", async () => {
    const report = await runScenario(scenarioFromYaml(COUNTER_SCENARIO));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });
});

/** Issue 10 item 2: a put then two ADD updates in two regions (also in test/backends/dynamodb/canonical-order.test.ts). */
const COUNTER_SCENARIO = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: C1, Count: 0 } } }
  - { at: 1s, update: { region: us-east-1, id: C1, add: { Count: 1 } } }
  - { at: 2s, update: { region: eu-west-1, id: C1, add: { Count: 1 } } }
expect:
  items: { C1: { Count: 2 } }
  counts: { conditionFailures: 0, repairs: 0 }
`;
