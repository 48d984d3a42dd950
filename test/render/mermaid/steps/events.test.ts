import { describe, expect, it } from 'vitest';
import type { Tmf688Envelope } from '../../../../src/app/event.js';
import { eventStep } from '../../../../src/render/mermaid/steps/events.js';
import { E, W, only, traced } from './context.js';

function envelope(eventId: string, data: Record<string, string>): Tmf688Envelope {
  return { eventId, eventTime: '', eventType: 'OrderStateChangeEvent', correlationId: eventId, domain: 'order', priority: '4', timeOcurred: '', event: { order: { id: 'ORDER#1', ...data } } };
}

describe('eventStep (client events and their outcomes)', () => {
  it('draws a first attempt as a routine Client → Lambda arrow naming the event, the item and the change', () => {
    const { ctx, events } = traced([
      { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 1, clientTime: 0, envelope: envelope('e1', { status: 'paid', amount: '3' }) },
    ]);
    expect(eventStep(only(events, 'client-event'), ctx)).toEqual({
      t: 0,
      arrow: { from: 'Client', to: 'Lambda_us_east_1', arrow: '->>', verb: 'event', item: 'ORDER#1', text: 'e1: ORDER#1 amount=3 status=paid', detail: 'key k1', value: 'amount=3 status=paid' },
      notes: [],
      routine: true,
      category: 'events',
      mergeKey: 'client|us-east-1',
    });
    expect([...ctx.used].sort()).toEqual(['Client', 'Lambda_us_east_1']);
  });

  it('draws a retry as noteworthy, with its attempt, and cuts a long change at 48 characters', () => {
    const long = 'x'.repeat(60);
    const { ctx, events } = traced([
      { kind: 'client-event', t: 5, region: W, eventId: 'e1-r', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 2, retryOf: 'e1', clientTime: 5, envelope: envelope('e1-r', { note: long }) },
    ]);
    const step = eventStep(only(events, 'client-event'), ctx);
    expect(step.routine).toBe(false);
    expect(step.arrow?.verb).toBe('retry 2');
    expect(step.arrow?.text).toBe(`retry 2 of e1-r: ORDER#1 ${`note=${long}`.slice(0, 47)}…`);
  });

  it('notes a second application of one idempotency key, naming where it was applied first', () => {
    const { ctx, events } = traced([
      { kind: 'event-outcome', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'applied', attempts: 1 },
      { kind: 'event-outcome', t: 300, region: W, eventId: 'e1-r', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'applied', attempts: 2 },
    ]);
    const first = eventStep(only(events, 'event-outcome', 0), ctx);
    expect(first).toMatchObject({ routine: true, notes: [], category: 'outcomes', mergeKey: 'outcome|us-east-1|applied' });
    expect(first.arrow).toEqual({ from: 'Lambda_us_east_1', to: 'Client', arrow: '-->>', verb: 'applied', item: 'ORDER#1' });
    const second = eventStep(only(events, 'event-outcome', 1), ctx);
    expect(second.routine).toBe(false);
    expect(second.arrow?.detail).toBe('after 2 attempts');
    expect(second.notes).toEqual([{ over: ['Lambda_eu_west_1'], text: 'second effect: key k1 was already applied in us-east-1 at t=0ms' }]);
  });

  it.each([
    ['duplicate', '-->>', 'duplicate idempotency key k1: not applied again'],
    ['superseded', '-->>', 'superseded: a client write to ORDER#1 that wins was already there (newer ts)'],
    ['failed', '--x', 'gave up after 3 conditional-write attempts: newer ts'],
  ] as const)('draws a %s outcome with a note', (outcome, arrow, note) => {
    const { ctx, events } = traced([{ kind: 'event-outcome', t: 9, region: W, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome, attempts: 3, detail: 'newer ts' }]);
    const step = eventStep(only(events, 'event-outcome'), ctx);
    expect(step.arrow).toMatchObject({ from: 'Lambda_eu_west_1', to: 'Client', arrow, verb: outcome });
    expect(step.notes).toEqual([{ over: ['Lambda_eu_west_1'], text: note }]);
    expect(step).toMatchObject({ routine: false, category: 'outcomes' });
    expect(step.mergeKey).toBeUndefined();
  });

  it('a failure before any conditional write (an idempotency record the SDK could not write) says failed, not “gave up after 0 attempts”', () => {
    const { ctx, events } = traced([{ kind: 'event-outcome', t: 9, region: W, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'failed', attempts: 0, detail: 'idempotency record refused: InternalServerError' }]);
    expect(eventStep(only(events, 'event-outcome'), ctx).notes).toEqual([{ over: ['Lambda_eu_west_1'], text: 'failed: idempotency record refused: InternalServerError' }]);
  });
});
