import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { interleavingYaml } from '../helpers/request-latency-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const writes = (trace: readonly TraceEvent[]) => trace.filter((e) => e.kind === 'local-write').map((e) => `${e.t} ${e.region}`);
const outcomes = (trace: readonly TraceEvent[]) => trace.filter((e) => e.kind === 'event-outcome').map((e) => `${e.t} ${e.eventId} ${e.outcome}`);

describe('application.requestLatency: each table call answers later, so invocations interleave', () => {
  it('without it (default 0) each invocation runs to its end at the instant it starts', async () => {
    const report = await runScenario(scenarioFromYaml(interleavingYaml('')));
    expect(outcomes(report.trace)).toEqual(['0 e1 applied', '0 e2 applied']);
    // e1 is done (its outcome traced) before e2 writes anything
    const kinds = report.trace.filter((e) => e.t === 0 && (e.kind === 'local-write' || e.kind === 'event-outcome')).map((e) => (e.kind === 'event-outcome' ? `${e.eventId} done` : e.region));
    expect(kinds).toEqual(['us-east-1', 'us-east-1', 'e1 done', 'eu-west-1', 'eu-west-1', 'e2 done']);
  });

  it('with 20ms, both invocations are in flight at once: each ends after the other wrote, its writes traced for itself', async () => {
    const report = await runScenario(scenarioFromYaml(interleavingYaml('20ms')));
    // the idempotency query answers at 20ms; both transactions are made then, both answer at 40ms
    expect(writes(report.trace)).toEqual(['20 us-east-1', '20 us-east-1', '20 eu-west-1', '20 eu-west-1']);
    const firstOutcome = report.trace.findIndex((e) => e.kind === 'event-outcome');
    const lastWrite = report.trace.findLastIndex((e) => e.kind === 'local-write' && e.t < 1000);
    expect(firstOutcome).toBeGreaterThan(lastWrite);
    // interleaved, each write is still traced for the event that made it
    const causes = report.trace.filter((e) => e.kind === 'local-write' && e.t < 1000).map((e) => `${e.region} ${'cause' in e ? e.cause : ''}`);
    expect(causes).toEqual(['us-east-1 e1', 'us-east-1 e1', 'eu-west-1 e2', 'eu-west-1 e2']);
    const done = outcomes(report.trace);
    expect(done.map((d) => d.split(' ').slice(1).join(' '))).toEqual(['e1 applied', 'e2 applied']);
    // every call of an invocation costs 20ms: it ends a whole number of round trips after it began
    for (const d of done) {
      const t = Number(d.split(' ')[0]);
      expect(t).toBeGreaterThan(0);
      expect(t % 20).toBe(0);
    }
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });

  it('runs the same twice (continuations keep the run deterministic)', async () => {
    const a = await runScenario(scenarioFromYaml(interleavingYaml('7ms')));
    const b = await runScenario(scenarioFromYaml(interleavingYaml('7ms')));
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });
});
