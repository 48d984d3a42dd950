import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { statesByStep } from '../../src/render/step-state.js';
import { renderText } from '../../src/render/text.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// Issue 10 item 17: JavaScript's own names (`__proto__`, `constructor`, `toString`) as item Ids,
// attribute names and idempotency keys, from the YAML file through the model, the checks, the
// trace and every output.

const effectsInvariant = 'at most one effect per idempotency key';

describe('JavaScript names as data, end to end', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a key %s applied twice across regions fails the at-most-one-effect invariant', async (key) => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 800 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: "${key}", item: "ACCOUNT#9", data: { amount: 30 } } }
  - { at: 200, retry: { of: e1, region: eu-west-1 } }
`),
    );
    expect(Object.keys(report.counts.effects)).toEqual([key]);
    expect(report.counts.effects[key]).toBe(2);
    const invariant = report.assertions.find((a) => a.source === 'invariant' && a.name === effectsInvariant);
    expect(invariant).toMatchObject({ passed: false, actual: `applied more than once: ${key}×2` });
    expect(JSON.parse(renderJson([report], { passed: 0, failed: 1 })).scenarios[0].counts.effects).toEqual({ [key]: 2 });
  });

  it('a key constructor declared in expect.effects is checked by its own count', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 800 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: constructor, item: "ACCOUNT#9", data: { amount: 30 } } }
  - { at: 0, event: { id: e2, region: us-east-1, key: toString, item: "ACCOUNT#8", data: { amount: 5 } } }
  - { at: 5s, event: { id: e3, region: us-east-1, key: toString, item: "ACCOUNT#8", data: { amount: 5 } } }
expect:
  effects: { constructor: 1, toString: 1 }
`),
    );
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    // (a key no event has is refused when the file loads: its count would be 0 in every run)
    expect(report.assertions.find((a) => a.name === 'effects of key toString')).toMatchObject({ passed: true, actual: 1 });
  });

  it('an item Id "__proto__" and a "__proto__" attribute reach the final state, the checks and every output', async () => {
    const yaml = (expected: string) => `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: "__proto__", data: { __proto__: { x: 1 }, toString: yes } } }
  - { at: 0, put: { region: us-east-1, item: { Id: constructor, __proto__: 7 } } }
  - { at: 1s, update: { region: eu-west-1, id: constructor, set: { __proto__: 8 }, add: { toString: 2 } } }
expect:
  items:
    __proto__: ${expected}
    constructor: { __proto__: 8, toString: 2 }
`;
    const report = await runScenario(scenarioFromYaml(yaml('{ Data: { __proto__: { x: 1 }, toString: yes } }')));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    for (const region of report.regions) {
      const items = report.final[region]!;
      expect(Object.keys(items).filter((id) => !id.startsWith('IDEMPOTENCY#'))).toEqual(['__proto__', 'constructor']);
      expect(Object.hasOwn(items, '__proto__')).toBe(true);
      expect(Object.hasOwn(items['__proto__']!['Data'] as object, '__proto__')).toBe(true);
      expect(items['constructor']!['__proto__']).toBe(8);
    }
    // Both item checks ran, per region.
    expect(report.assertions.map((a) => a.name)).toEqual(expect.arrayContaining(['us-east-1 __proto__', 'eu-west-1 __proto__', 'us-east-1 constructor', 'eu-west-1 constructor']));
    const json = JSON.parse(renderJson([report], { passed: 1, failed: 0 })).scenarios[0];
    expect(json.final['eu-west-1']['__proto__'].Id).toBe('__proto__');
    expect(JSON.stringify(json.final['eu-west-1']['__proto__'].Data)).toBe('{"__proto__":{"x":1},"toString":"yes"}');
    const text = renderText(report);
    expect(text).toMatch(/__proto__ +us-east-1 +\{__proto__: \{x: 1\}, toString: yes\}/);
    expect(text).toMatch(/constructor +us-east-1 +__proto__=8 toString=2/);
    // The step view's replay holds both items too.
    const last = statesByStep(report.regions, report.trace).at(-1)!;
    expect(Object.keys(last.items['us-east-1']!).filter((id) => !id.startsWith('IDEMPOTENCY#'))).toEqual(['__proto__', 'constructor']);

    // The expect.items entry for "__proto__" is checked, not dropped: a wrong one fails.
    const wrong = await runScenario(scenarioFromYaml(yaml('{ Data: { __proto__: { x: 2 } } }')));
    expect(wrong.assertions.filter((a) => !a.passed).map((a) => a.name)).toEqual(['us-east-1 __proto__', 'eu-west-1 __proto__']);
  });

  it('attribute_exists(constructor) is false on an item without that attribute', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: A, n: 1 } } }
  - { at: 1, put: { region: us-east-1, item: { Id: A, n: 2 }, condition: { exists: constructor } } }
  - { at: 2, put: { region: us-east-1, item: { Id: A, n: 3 }, condition: { notExists: toString } } }
expect:
  items: { A: { n: 3 } }
  counts: { conditionFailures: 1 }
`),
    );
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });
});
