import { describe, expect, it } from 'vitest';
import type { Tmf688Envelope } from '../../../../src/app/event.js';
import { SPAN_ALL } from '../../../../src/render/mermaid/sequence-model.js';
import { faultStep } from '../../../../src/render/mermaid/steps/faults.js';
import { E, W, only, traced } from './context.js';

const envelope = { eventId: 'e1', eventTime: '', eventType: 'X', correlationId: 'e1', domain: 'order', priority: '4', timeOcurred: '', event: { order: { id: 'ORDER#1' } } } satisfies Tmf688Envelope;

describe('faultStep (faults and what they do to the client)', () => {
  it("notes an outage over the region's replica and opens a red bar on its lifelines; its end closes it", () => {
    const { ctx, events } = traced([
      { kind: 'fault-started', t: 100, fault: 'outage', index: 0, description: 'us-east-1 unavailable', regions: [E], until: 900 },
      { kind: 'fault-ended', t: 900, fault: 'outage', index: 0, description: 'us-east-1 unavailable', regions: [E] },
    ]);
    expect(faultStep(only(events, 'fault-started'), ctx)).toEqual({
      t: 100,
      notes: [{ over: ['Table_us_east_1'], text: 'fault: us-east-1 unavailable, until t=900ms (red bar)' }],
      routine: false,
      category: 'faults',
      fault: { phase: 'start', index: 0, outage: [E] },
    });
    expect(faultStep(only(events, 'fault-ended'), ctx)).toMatchObject({ notes: [{ text: 'fault over: us-east-1 unavailable' }], fault: { phase: 'end', index: 0, outage: [E] } });
  });

  it('bars the replication for a pause, from when it takes effect, and counts the writes it released', () => {
    const { ctx, events } = traced([
      { kind: 'fault-started', t: 100, fault: 'pause-replication', index: 1, description: 'replication paused', regions: [], effectiveAt: 300 },
      { kind: 'fault-ended', t: 900, fault: 'pause-replication', index: 1, description: 'replication paused', regions: [], released: 4 },
    ]);
    const start = faultStep(only(events, 'fault-started'), ctx);
    expect(start.notes).toEqual([{ over: [SPAN_ALL], text: 'fault: replication paused, effective t=300ms (red bar)' }]);
    expect(start.fault).toEqual({ phase: 'start', index: 1, pause: true, effectiveAt: 300 });
    expect(ctx.used.has('Replication')).toBe(true);
    const end = faultStep(only(events, 'fault-ended'), ctx);
    expect(end.notes[0]?.text).toBe('fault over: replication paused; 4 held writes sent on');
    expect(end.fault).toEqual({ phase: 'end', index: 1, pause: true });
  });

  it('draws no bar for a fault that stops no lifeline (a Lambda failure)', () => {
    const { ctx, events } = traced([{ kind: 'fault-started', t: 0, fault: 'lambda-failure', index: 2, description: 'Lambda throws', regions: [W] }]);
    const step = faultStep(only(events, 'fault-started'), ctx);
    expect(step.fault).toBeUndefined();
    expect(step.notes).toEqual([{ over: ['Table_eu_west_1'], text: 'fault: Lambda throws' }]);
  });

  it("draws a rejected request from the Lambda for a client event, from the replica for a scenario step, with the failover", () => {
    const { ctx, events } = traced([
      { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 1, clientTime: 0, envelope },
      { kind: 'request-rejected', t: 0, region: E, eventId: 'e1', reason: 'region-outage', failoverTo: W, failoverAt: 50 },
      { kind: 'request-rejected', t: 0, region: E, eventId: 'steps[2]', reason: 'region-outage' },
    ]);
    expect(faultStep(only(events, 'request-rejected', 0), ctx)).toEqual({
      t: 0,
      arrow: { from: 'Lambda_us_east_1', to: 'Client', arrow: '--x', verb: 'rejected', item: 'e1', detail: 'us-east-1 unavailable, client fails over to eu-west-1 at t=50ms' },
      notes: [],
      routine: false,
      category: 'failures',
    });
    expect(faultStep(only(events, 'request-rejected', 1), ctx).arrow).toMatchObject({ from: 'Table_us_east_1', detail: 'us-east-1 unavailable' });
  });

  it('notes a client clock jump on the client', () => {
    const { ctx, events } = traced([{ kind: 'clock-skew-changed', t: 5, region: W, from: 0, to: -1500 }]);
    expect(faultStep(only(events, 'clock-skew-changed'), ctx)).toEqual({ t: 5, notes: [{ over: ['Client'], text: 'client clock in eu-west-1: skew 0ms → -1.5s' }], routine: false, category: 'faults' });
  });
});
