import { describe, expect, it } from 'vitest';
import { runOnDynamoDb } from '../../../src/backends/dynamodb/run.js';
import { useDynamoDbLocal } from '../../helpers/dynamodb-local.js';
import { renderJson } from '../../../src/render/json.js';
import { runScenario } from '../../../src/sim/run.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

// Issue 10 item 2: the model returns {Id, Count}, the SDK {Count, Id}. Neither the repair
// consumer's choice nor the report's final state may depend on that order.
const COUNTER_SCENARIO = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: C1, Count: 0, Zone: a, Data: { b: 1, a: 2 } } } }
  - { at: 1s, update: { region: us-east-1, id: C1, add: { Count: 1 } } }
  - { at: 2s, update: { region: eu-west-1, id: C1, add: { Count: 1 } } }
expect:
  items: { C1: { Count: 2 } }
  counts: { conditionFailures: 0, repairs: 0 }
`;

describe('the same counter scenario on the model and on DynamoDB Local', () => {
  const local = useDynamoDbLocal();

  it('passes on both, with the same final state, attributes in the canonical order', async () => {
    const scenario = scenarioFromYaml(COUNTER_SCENARIO);
    const memory = await runScenario(scenario);
    const dynamo = await runOnDynamoDb(scenario, { seed: 1, endpoints: local().endpoint, local: false, replication: 'emulate', timeScale: 10 });
    expect(memory.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(dynamo.assertions.filter((a) => !a.passed)).toEqual([]);
    // The JSON output's final state: the same bytes, Id first, then sorted by name, nested too.
    const finalJson = (r: typeof memory) => JSON.stringify(JSON.parse(renderJson([r], { passed: 1, failed: 0 })).scenarios[0].final);
    expect(finalJson(dynamo)).toBe(finalJson(memory));
    expect(finalJson(memory)).toBe(JSON.stringify({ 'us-east-1': { C1: { Id: 'C1', Count: 2, Data: { a: 2, b: 1 }, Zone: 'a' } }, 'eu-west-1': { C1: { Id: 'C1', Count: 2, Data: { a: 2, b: 1 }, Zone: 'a' } } }));
  }, 90_000);
});
