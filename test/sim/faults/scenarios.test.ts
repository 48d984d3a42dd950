import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { scenarioFromFile } from '../../helpers/scenario.js';

const FILES = ['pause-replication', 'region-outage', 'failover', 'lambda-retries', 'stream-retries', 'dlq-redrive', 'step-functions', 'clock-skew-change'];

describe('the fault scenarios in scenarios/', () => {
  for (const name of FILES) {
    it(`${name}.yaml passes every assertion and invariant, and replays to the same bytes`, async () => {
      const scenario = await scenarioFromFile(`scenarios/${name}.yaml`);
      const first = await runScenario(scenario);
      expect(first.assertions.filter((a) => !a.passed)).toEqual([]);
      expect(first.assertions.some((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toBe(true);
      expect(JSON.stringify(await runScenario(scenario))).toBe(JSON.stringify(first));
    });
  }
});

describe('a table step a region refused says what it asked, not only its place in the file', () => {
  it('region-outage: the read of ORDER#1 (it read “rejected steps[4]”)', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/region-outage.yaml'));
    const rejected = report.trace.filter((e) => e.kind === 'request-rejected' && e.eventId.startsWith('steps['));
    expect(rejected).toMatchObject([{ eventId: 'steps[4]', request: 'read ORDER#1 (eventual)' }]);
    const { renderText } = await import('../../../src/render/text.js');
    const { sequenceDiagram } = await import('../../../src/render/mermaid/sequence.js');
    expect(renderText(report)).toContain('steps[4], read ORDER#1 (eventual): region unavailable; the client gets the error');
    expect(sequenceDiagram(report).replace(/<br\/>/g, ' ')).toContain('rejected steps[4] read ORDER#35;1 (eventual) (us-east-1 unavailable)');
  });
});
