import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const applied = (trace: TraceEvent[]) =>
  trace.filter((e): e is Extract<TraceEvent, { kind: 'replication-applied' | 'replication-discarded' }> => e.kind === 'replication-applied' || e.kind === 'replication-discarded').map((e) => `${e.kind === 'replication-applied' ? 'apply' : 'DISCARD'} ${e.itemId} ${JSON.stringify(e.kind === 'replication-applied' ? e.after : e.incoming)}`);

const yaml = (seed: number, puts: string) => `
regions: [us-east-1, eu-west-1]
seed: ${seed}
replication: { lag: { distribution: fixed, ms: 500 }, simultaneous: seeded }
steps:
${puts}
`;

// replication.simultaneous: seeded (explore's default) orders tasks due at the same ms from the seed
describe('same-ms tasks in an order drawn from the seed', () => {
  it('keep an item’s writes in order on a link: two writes of one item due at one ms arrive as written, whatever the seed (the later one was applied first and the earlier discarded)', async () => {
    const puts = `  - { at: 10, put: { region: us-east-1, item: { Id: A, v: 1 } } }\n  - { at: 10, put: { region: us-east-1, item: { Id: A, v: 2 } } }`;
    for (let seed = 1; seed <= 20; seed++) {
      const report = await runScenario(scenarioFromYaml(yaml(seed, puts)));
      expect(applied(report.trace), `seed ${seed}`).toEqual(['apply A {"Id":"A","v":1}', 'apply A {"Id":"A","v":2}']);
      expect(report.counts.discardedWrites).toBe(0);
    }
  });

  it('deliver an item’s write that comes after an earlier one was held at that ms by a paused link (it rode on the held one and was never delivered)', async () => {
    const yamlOf = (seed: number, fault: string) => `
regions: [us-east-1, eu-west-1]
seed: ${seed}
replication: { lag: { distribution: fixed, ms: 0 }, simultaneous: seeded }
faults:
  - { at: 0, until: 1s, ${fault} }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: X, v: 1 } } }
  - { at: 0, put: { region: us-east-1, item: { Id: X, v: 2 } } }
expect: { converged: true }
`;
    for (const fault of ['pauseReplication: { from: us-east-1, to: eu-west-1 }', 'outage: { region: eu-west-1 }']) {
      for (let seed = 1; seed <= 20; seed++) {
        const report = await runScenario(scenarioFromYaml(yamlOf(seed, fault)));
        expect(applied(report.trace), `${fault} seed ${seed}`).toEqual(['apply X {"Id":"X","v":1}', 'apply X {"Id":"X","v":2}']);
        expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
      }
    }
  });

  it('still shuffle writes of different items due at one ms', async () => {
    const puts = `  - { at: 10, put: { region: us-east-1, item: { Id: A, v: 1 } } }\n  - { at: 10, put: { region: us-east-1, item: { Id: B, v: 1 } } }`;
    const orders = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) orders.add(applied((await runScenario(scenarioFromYaml(yaml(seed, puts)))).trace).map((a) => a.split(' ')[1]).join(''));
    expect([...orders].sort()).toEqual(['AB', 'BA']);
  });
});
