import { describe, expect, it } from 'vitest';
import { runOnDynamoDb } from '../../../src/pipeline/run-on-dynamodb.js';
import { useDynamoDbLocal } from '../../helpers/dynamodb-local.js';
import { renderJson } from '../../../src/render/json.js';
import { renderText } from '../../../src/render/text.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
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

  // Review finding 5: the trace's items (before, after, current…) came in the backend's order, and
  // transactions were named from a random token on DynamoDB (`tx-a8cb771c`), `tx1` on the model.
  it('gives a trace of the same bytes on both: items in canonical order, transactions tx1, tx2…', async () => {
    const scenario = scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K1, s: x, b: true, n: 5, m: { z: 1, a: 2 } } } }
  - { at: 1s, update: { region: us-east-1, id: K1, set: { c: 1 }, add: { n: 1 } } }
  - { at: 2s, transact: { region: eu-west-1, ops: [ { update: { id: K1, set: { q: 1 }, add: { n: 1 } } }, { put: { item: { Id: K2, z: 1, a: 2 } } } ] } }
  - { at: 3s, transact: { region: us-east-1, ops: [ { put: { item: { Id: K3, y: 1 }, condition: { exists: Id } } } ] } }
  - { at: 4s, update: { region: us-east-1, id: K1, set: { s: y }, condition: { notExists: Id } } }
expect:
  items: { K1: { n: 7, q: 1 }, K2: { z: 1 }, K3: null }
`);
    const memory = await runScenario(scenario);
    const dynamo = await runOnDynamoDb(scenario, { seed: 1, endpoints: local().endpoint, local: false, replication: 'emulate', timeScale: 10 });
    expect(memory.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(dynamo.assertions.filter((a) => !a.passed)).toEqual([]);
    const traceJson = (r: typeof memory): string[] => JSON.parse(renderJson([r], { passed: 1, failed: 0 })).scenarios[0].trace.map((e: unknown) => JSON.stringify(e));
    // Each event the same bytes. Only the order of events at one virtual time may differ, and with
    // it `seq`: on DynamoDB a write's replication-sent is traced when its stream record is read.
    const unordered = (events: string[]) => events.map((e) => e.replace(/^\{"seq":\d+,/, '{')).sort();
    expect(unordered(traceJson(dynamo))).toEqual(unordered(traceJson(memory)));
    const transactions = memory.trace.flatMap((e) => ('transaction' in e && e.transaction !== undefined ? [e.transaction] : []));
    expect(new Set(transactions)).toEqual(new Set(['tx1', 'tx2']));
    expect(traceJson(memory).filter((e: string) => e.includes('"kind":"condition-failed"'))).toEqual([
      expect.stringContaining('"current":null,"cause":"steps[3]","transaction":"tx2"'),
      expect.stringContaining('"current":{"Id":"K1","b":true,"c":1,"m":{"a":2,"z":1},"n":7,"q":1,"s":"x"}'),
    ]);
    // The text view too, apart from the header line that names the backend and the time the
    // run drained (on DynamoDB it follows the wall clock, so it cannot be the same).
    // Lines compared as a set, for the same reason as the events.
    const textLines = (r: typeof memory) => renderText(r).split('\n').sort();
    expect(textLines({ ...dynamo, backend: 'memory', endedAt: memory.endedAt })).toEqual(textLines(memory));
  }, 90_000);

  // Review finding 3: ADD is decimal on DynamoDB (0.1 + 0.2 is 0.3); the model added doubles.
  it('adds decimals exactly on both: 0.1 + 0.2 is 0.3', async () => {
    const scenario = scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K1, n: 0.1, big: 9007199254740990 } } }
  - { at: 1s, update: { region: us-east-1, id: K1, add: { n: 0.2, big: 1, fresh: 0.7 } } }
  - { at: 2s, update: { region: eu-west-1, id: K1, add: { fresh: 0.1, n: -0.3 } } }
expect:
  items: { K1: { n: 0, big: 9007199254740991, fresh: 0.8 } }
`);
    for (const report of [await runScenario(scenario), await runOnDynamoDb(scenario, { seed: 1, endpoints: local().endpoint, local: false, replication: 'emulate', timeScale: 10 })]) {
      expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
      const n = report.trace.flatMap((e) => (e.kind === 'local-write' && e.itemId === 'K1' && e.op === 'update' ? [e.after?.n] : []));
      expect(n).toEqual([0.3, 0]);
    }
  }, 90_000);
});

