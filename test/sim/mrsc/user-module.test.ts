import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromFile } from '../../helpers/scenario.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/user-apps/mrsc-conflict.yaml');

/** Retries the SDK made, read from the trace: requests to an item after one DynamoDB refused, by region, until one is written. */
function sdkRetriesFromTrace(trace: TraceEvent[]): number {
  const refused = new Map<string, number>();
  let retries = 0;
  for (const e of trace) {
    if (e.kind === 'operation-failed' && e.error.name === 'ReplicatedWriteConflictException') {
      const key = `${e.region}|${e.itemId}`;
      if (refused.has(key)) retries++;
      refused.set(key, (refused.get(key) ?? 0) + 1);
    } else if (e.kind === 'local-write' && refused.has(`${e.region}|${e.itemId}`)) {
      retries++;
      refused.delete(`${e.region}|${e.itemId}`);
    }
  }
  return retries;
}

describe("a team's handler on MRSC: the SDK's own retry strategy", () => {
  it('retries a write refused with ReplicatedWriteConflictException, in the run’s time, and the handler succeeds', async () => {
    const report = await runScenario(await scenarioFromFile(FIXTURE));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    const refusal = report.trace.find((e) => e.kind === 'operation-failed');
    expect(refusal).toMatchObject({ t: 20, region: 'us-west-2', itemId: 'ITEM#1', error: { name: 'ReplicatedWriteConflictException' } });
    // the refusal comes back after b1's round trip (80 ms), then the SDK backs off and sends it again
    const retried = report.trace.find((e) => e.kind === 'local-write' && e.region === 'us-west-2');
    expect(retried!.t).toBeGreaterThanOrEqual(100);
    expect(sdkRetriesFromTrace(report.trace)).toBe(1);
    // the built-in application's sdk-retry events are not made up for a team's SDK
    expect(report.counts.sdkRetries).toBe(0);
    expect(report.trace.filter((e) => e.kind === 'event-outcome').map((e) => e.kind === 'event-outcome' && e.outcome)).toEqual(['applied', 'applied']);
  });

  it('is repeatable: the same trace twice', async () => {
    const a = await runScenario(await scenarioFromFile(FIXTURE));
    const b = await runScenario(await scenarioFromFile(FIXTURE));
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });
});
