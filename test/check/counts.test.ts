import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// Issue 10 item 15: what `events` counts, measured on one run, and the README saying the same.
describe('counts.events', () => {
  it('counts every client send: first sends, retry steps and failover re-sends, not Lambda retries', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
failover: { after: 300ms }
lambda: { invocation: async, retryDelay: 1s }
faults:
  - { at: 1s, until: 5s, outage: { region: us-east-1 } }
  - lambdaFailure: { event: a, attempts: [1], error: throw }
steps:
  - { at: 0, event: { id: a, region: us-east-1, item: "A#1", data: { n: 1 } } }
  - { at: 2s, event: { id: b, region: us-east-1, item: "B#1", data: { n: 1 } } }
  - { at: 6s, retry: { of: b, region: us-east-1 } }
`),
    );
    // a (1 send; its Lambda retry is no send), b refused (1) and re-sent to eu-west-1 (1), b's retry (1)
    expect(report.counts).toMatchObject({ events: 4, rejected: 1, failovers: 1, lambdaRetries: 1 });
    expect(report.trace.filter((e) => e.kind === 'client-event').map((e) => `${e.eventId}@${e.region}`)).toEqual(['a@us-east-1', 'b@us-east-1', 'b@eu-west-1', 'b@us-east-1']);
  });

  it('is documented that way in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `counts: {name: n}`'))!;
    expect(row).toContain('`events` (client sends: first sends, `retry` steps and failover re-sends, a send the region refused included; Lambda\'s own retries and redrives are not client sends)');
  });
});
