import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/pipeline/run-scenario.js';
import { scenarioFromFile } from './helpers/scenario.js';

// The seed project's two test cases, kept by name.
describe('seed test cases', () => {
  it('test case 1: concurrent updates in two regions are resolved and converge', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/concurrent.yaml'));
    const east = report.final['us-east-1']!['ORDER#1']!;
    const west = report.final['eu-west-1']!['ORDER#1']!;
    expect(east).toEqual(west);
    expect(east.Data).toEqual({ status: 'cancelled' });
    // Both writes were accepted locally; one was silently discarded by last-writer-wins.
    expect(report.counts.applied).toBe(2);
    expect(report.counts.discardedWrites).toBe(1);
    expect(report.trace.some((e) => e.kind === 'replication-discarded' && e.itemId === 'ORDER#1' && e.to === 'eu-west-1')).toBe(true);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
  });

  it('test case 2: a repeated idempotency key takes effect once', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/idempotency.yaml'));
    expect(report.counts.effects).toEqual({ 'payment-7': 1 });
    expect(report.counts.duplicates).toBe(2);
    expect(report.final['us-east-1']!['PAY#7']!.Version).toBe(1);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
  });
});
