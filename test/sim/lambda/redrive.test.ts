import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';
import { attempt, type EventJob, type LambdaContext } from '../../../src/sim/lambda/invocation.js';
import type { ProcessResult } from '../../../src/app/event-processor.js';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const yaml = (fixedAt: string, redriveAt: string, redrive = '{}') => `
regions: [us-east-1, eu-west-1]
application: { strategy: client-lww, idempotency: local }
lambda: { invocation: async, maximumRetryAttempts: 0 }
faults:
  - { until: ${fixedAt}, lambdaFailure: { event: e1 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, key: k1, item: X, data: { v: 1 } } }
  - { at: 0, event: { id: e2, region: eu-west-1, key: k2, item: Y, data: { v: 2 } } }
  - { at: ${redriveAt}, redrive: ${redrive} }
`;

describe("geosim's redrive of the dead-letter queue (aws-semantics §6.3)", () => {
  it('replays a dead-lettered event through the processor once the fault is fixed: one effect', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('1m', '2m')));
    expect(of(report.trace, 'redriven')).toMatchObject([{ t: 120_000, eventId: 'e1', region: 'us-east-1' }]);
    expect(of(report.trace, 'event-outcome').filter((o) => o.eventId === 'e1')).toMatchObject([{ t: 120_000, outcome: 'applied' }]);
    expect(report.counts.effects).toEqual({ k1: 1, k2: 1 });
    expect(report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toMatchObject({ passed: true, detail: '2 processed' });
  });

  it('a redrive that finds nothing to take says so (it was silent): events it names that are not in the queue, or an empty queue; one that takes its events says nothing more', async () => {
    const named = await runScenario(scenarioFromYaml(yaml('1m', '2m', '{ region: us-east-1, events: [e1, e2] }')));
    expect(of(named.trace, 'redriven').map((r) => r.eventId)).toEqual(['e1']);
    // e2 succeeded at once: it was never dead-lettered
    expect(of(named.trace, 'redrive-empty')).toMatchObject([{ t: 120_000, region: 'us-east-1', eventIds: ['e2'] }]);
    const { renderText } = await import('../../../src/render/text.js');
    expect(renderText(named)).toContain('nothing to redrive for e2: not in the dead-letter queue of us-east-1 (never dead-lettered, or redriven already)');
    const twice = await runScenario(scenarioFromYaml(`${yaml('1m', '2m')}  - { at: 3m, redrive: {} }\n`));
    expect(of(twice.trace, 'redrive-empty')).toMatchObject([{ t: 180_000, eventIds: [] }]);
    expect(of(twice.trace, 'redrive-empty')[0]).not.toHaveProperty('region');
    expect(renderText(twice)).toContain('nothing to redrive: the dead-letter queues are empty');
    const taken = await runScenario(scenarioFromYaml(yaml('1m', '2m')));
    expect(of(taken.trace, 'redrive-empty')).toEqual([]);
  });

  it('puts an event that fails again back in the queue', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('10m', '2m')));
    expect(of(report.trace, 'dead-lettered').map((d) => d.t)).toEqual([0, 120_000]);
    // the redrive's own call, named so: not Lambda's direct (synchronous) invocation
    expect(of(report.trace, 'lambda-attempt-failed').map((f) => [f.t, f.invocation, f.attempt])).toEqual([
      [0, 'async', 1],
      [120_000, 'redrive', 2],
    ]);
    expect(report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toMatchObject({ passed: true, detail: '1 processed, 1 dead-lettered' });
  });

  it('a redrive whose processor gives up fails the attempt, as an asynchronous one does (the event goes back to the queue); a direct caller gets the result', async () => {
    const gaveUp: ProcessResult = { outcome: 'failed', attempts: 4, detail: 'version conflict after 4 attempts' };
    const ctx = { world: { now: 5 }, trace: { emit() {} }, faults: { lambdaFailure: () => undefined }, timeout: 3000, process: async () => gaveUp } as unknown as LambdaContext;
    const job = (): EventJob => ({ spec: { id: 'e1' }, region: 'us-east-1', envelope: {}, clientTime: 0, attempts: 0 }) as unknown as EventJob;
    expect(await attempt(ctx, job(), 'redrive')).toEqual({ ok: false, error: 'function-error', message: 'version conflict after 4 attempts', failedAt: 5 });
    expect(await attempt(ctx, job(), 'async')).toMatchObject({ ok: false, error: 'function-error' });
    expect(await attempt(ctx, job(), 'direct')).toEqual({ ok: true, result: gaveUp });
  });

  it('cannot redrive a stream failure after the record left the stream (24 h): the event is lost', async () => {
    const stream = (redriveAt: string) => `
regions: [us-east-1, eu-west-1]
lambda: { invocation: stream, maximumRetryAttempts: 0 }
faults:
  - { until: 1m, lambdaFailure: { event: e1 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: X, data: { v: 1 } } }
  - { at: ${redriveAt}, redrive: {} }
`;
    const inTime = await runScenario(scenarioFromYaml(stream('1439m')));
    expect(of(inTime.trace, 'redriven')).toHaveLength(1);
    expect(inTime.counts.effects).toEqual({ e1: 1 });
    const late = await runScenario(scenarioFromYaml(stream('1441m')));
    expect(of(late.trace, 'redriven')).toEqual([]);
    expect(of(late.trace, 'event-lost')[0]!.reason).toContain('24 h retention');
    expect(late.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toMatchObject({ passed: false, actual: 'lost: e1' });
  });

  it('redrives only the region and events asked for', async () => {
    const report = await runScenario(scenarioFromYaml(yaml('1m', '2m', '{ region: eu-west-1 }')));
    expect(of(report.trace, 'redriven')).toEqual([]);
    expect(report.counts.deadLettered).toBe(1);
  });
});
