import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/render/mermaid/sequence-model.js';
import type { Context } from '../../../src/render/mermaid/sequence-participants.js';
import { stepFor } from '../../../src/render/mermaid/sequence-steps.js';
import { conflictStep } from '../../../src/render/mermaid/steps/conflicts.js';
import { eventStep } from '../../../src/render/mermaid/steps/events.js';
import { faultStep } from '../../../src/render/mermaid/steps/faults.js';
import { lambdaStep } from '../../../src/render/mermaid/steps/lambda.js';
import { observationStep } from '../../../src/render/mermaid/steps/observations.js';
import { replicationStep } from '../../../src/render/mermaid/steps/replication.js';
import { workflowStep } from '../../../src/render/mermaid/steps/workflow.js';
import { writeStep } from '../../../src/render/mermaid/steps/writes.js';
import type { TraceEvent, TraceEventInput, TraceKind } from '../../../src/trace/events.js';
import { E, W, traced } from './steps/context.js';

const v = { ts: 0, region: E };
const item = { Id: 'ORDER#1', Version: 1 };
const envelope = { eventId: 'e1', eventTime: '', eventType: 'X', correlationId: 'e1', domain: 'order', priority: '4', timeOcurred: '', event: { order: { id: 'ORDER#1' } } };

/** One event of every kind: a kind added to TraceEvent fails to compile here until it is listed. */
const ONE_OF_EACH: { [K in TraceKind]: Extract<TraceEventInput, { kind: K }> } = {
  'client-event': { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 1, clientTime: 0, envelope },
  'event-outcome': { kind: 'event-outcome', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'applied', attempts: 1 },
  'local-write': { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'put', before: null, after: item, version: v, cause: 'e1' },
  'condition-failed': { kind: 'condition-failed', t: 0, region: E, itemId: 'ORDER#1', condition: 'Version = 0', current: item },
  'operation-failed': { kind: 'operation-failed', t: 0, region: E, itemId: 'ORDER#1', op: 'update', error: { name: 'ValidationException', message: 'm' }, current: item },
  'replication-sent': { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'ORDER#1', version: v, arrivesAt: 500 },
  'replication-applied': { kind: 'replication-applied', t: 500, from: E, to: W, itemId: 'ORDER#1', before: null, after: item, version: v, conflict: false },
  'replication-discarded': { kind: 'replication-discarded', t: 500, from: E, to: W, itemId: 'ORDER#1', incoming: item, kept: item, incomingVersion: v, keptVersion: { ts: 1, region: W }, reason: 'older', conflict: true },
  'replication-coalesced': { kind: 'replication-coalesced', t: 0, from: E, to: W, itemId: 'ORDER#1', dropped: v, by: { ts: 1, region: E } },
  'conflict-repaired': { kind: 'conflict-repaired', t: 0, region: E, itemId: 'ORDER#1', winner: item, loser: item },
  read: { kind: 'read', t: 0, region: E, itemId: 'ORDER#1', consistency: 'strong', item },
  checkpoint: { kind: 'checkpoint', t: 0, name: 'c', passed: true },
  'fault-started': { kind: 'fault-started', t: 0, fault: 'outage', index: 0, description: 'd', regions: [E] },
  'fault-ended': { kind: 'fault-ended', t: 0, fault: 'outage', index: 0, description: 'd', regions: [E] },
  'replication-held': { kind: 'replication-held', t: 0, from: E, to: W, itemId: 'ORDER#1', version: v },
  'request-rejected': { kind: 'request-rejected', t: 0, region: E, eventId: 'e1', reason: 'region-outage' },
  'lambda-attempt-failed': { kind: 'lambda-attempt-failed', t: 0, region: E, invocation: 'async', eventIds: ['e1'], attempt: 1, error: 'throw', message: 'm' },
  'lambda-retry-scheduled': { kind: 'lambda-retry-scheduled', t: 0, region: E, invocation: 'async', eventIds: ['e1'], attempt: 2, at: 60_000 },
  'dead-lettered': { kind: 'dead-lettered', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', source: 'async', error: 'm', attempts: 3, metadataOnly: false },
  'event-lost': { kind: 'event-lost', t: 0, region: E, eventId: 'e1', reason: 'r' },
  'stream-records-discarded': { kind: 'stream-records-discarded', t: 0, region: E, records: ['ORDER#1#1'], firstSequenceNumber: '100000000000000000001', lastSequenceNumber: '100000000000000000001', reason: 'RetryAttemptsExhausted', attempts: 2, error: 'throw: m' },
  redriven: { kind: 'redriven', t: 0, region: E, eventId: 'e1' },
  'execution-started': { kind: 'execution-started', t: 0, region: E, workflow: 'standard', name: 'n', executionId: 'x1', eventId: 'e1' },
  'execution-deduplicated': { kind: 'execution-deduplicated', t: 0, region: E, name: 'n', executionId: 'x1', eventId: 'e1' },
  'execution-rejected': { kind: 'execution-rejected', t: 0, region: E, name: 'n', executionId: 'x1', eventId: 'e1', error: 'ExecutionAlreadyExists', reason: 'closed' },
  'state-entered': { kind: 'state-entered', t: 0, region: E, executionId: 'x1', eventId: 'e1', state: 's' },
  'execution-closed': { kind: 'execution-closed', t: 0, region: E, executionId: 'x1', eventId: 'e1', status: 'SUCCEEDED' },
  'clock-skew-changed': { kind: 'clock-skew-changed', t: 0, region: E, from: 0, to: 100 },
};

/** The family that draws each kind. */
const FAMILY: { [K in TraceKind]: (e: Extract<TraceEvent, { kind: K }>, ctx: Context) => Step } = {
  'client-event': eventStep,
  'event-outcome': eventStep,
  'local-write': writeStep,
  'condition-failed': writeStep,
  'operation-failed': writeStep,
  'replication-sent': replicationStep,
  'replication-applied': replicationStep,
  'replication-coalesced': replicationStep,
  'replication-held': replicationStep,
  'replication-discarded': conflictStep,
  'conflict-repaired': conflictStep,
  read: observationStep,
  checkpoint: observationStep,
  'lambda-attempt-failed': lambdaStep,
  'lambda-retry-scheduled': lambdaStep,
  'dead-lettered': lambdaStep,
  'event-lost': lambdaStep,
  'stream-records-discarded': lambdaStep,
  redriven: lambdaStep,
  'execution-started': workflowStep,
  'execution-deduplicated': workflowStep,
  'execution-rejected': workflowStep,
  'state-entered': workflowStep,
  'execution-closed': workflowStep,
  'fault-started': faultStep,
  'fault-ended': faultStep,
  'request-rejected': faultStep,
  'clock-skew-changed': faultStep,
};

describe('stepFor', () => {
  it.each(Object.keys(ONE_OF_EACH) as TraceKind[])('draws %s with its family handler, recording the same participants', (kind) => {
    // The client event makes the event ids known, so writes and rejections pick the Lambda.
    const trace: TraceEventInput[] = kind === 'client-event' ? [ONE_OF_EACH[kind]] : [ONE_OF_EACH['client-event'], ONE_OF_EACH[kind]];
    const viaStepFor = traced(trace);
    const direct = traced(trace);
    const event = viaStepFor.events[viaStepFor.events.length - 1] as TraceEvent;
    const family = FAMILY[kind] as (e: TraceEvent, ctx: Context) => Step;
    const step = stepFor(event, viaStepFor.ctx);
    expect(step).toEqual(family(event, direct.ctx));
    expect(step.t).toBe(event.t);
    expect([...viaStepFor.ctx.used].sort()).toEqual([...direct.ctx.used].sort());
  });

  it('throws on a kind no family draws (a trace from a newer geosim), rather than drawing nothing', () => {
    const { ctx } = traced([]);
    expect(() => stepFor({ kind: 'from-the-future', seq: 1, t: 0 } as unknown as TraceEvent, ctx)).toThrow(/unhandled case/);
  });
});
