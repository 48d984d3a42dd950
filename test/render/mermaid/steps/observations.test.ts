import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/app/item.js';
import { SPAN_ALL } from '../../../../src/render/mermaid/sequence-model.js';
import { observationStep } from '../../../../src/render/mermaid/steps/observations.js';
import type { TraceEventInput } from '../../../../src/trace/events.js';
import { E, only, traced } from './context.js';

const paid: Item = { Id: 'ORDER#1', Version: 2, Data: { status: 'paid' } };
type ReadInput = Extract<TraceEventInput, { kind: 'read' }>;
const read = (over: Partial<ReadInput>): ReadInput => ({ kind: 'read', t: 900, region: E, itemId: 'ORDER#1', consistency: 'strong', item: paid, ...over });

describe('observationStep (reads and checks)', () => {
  it('draws a read as a routine arrow back to the client that never merges, with what it returned', () => {
    const { ctx, events } = traced([read({})]);
    const step = observationStep(only(events, 'read'), ctx);
    expect(step).toEqual({
      t: 900,
      arrow: { from: 'Table_us_east_1', to: 'Client', arrow: '-->>', verb: 'strong read', item: 'ORDER#1', detail: 'v2 status=paid' },
      notes: [],
      routine: true,
      category: 'reads',
    });
    expect(step.mergeKey).toBeUndefined();
  });

  it.each([
    [{ item: null }, 'eventual read', 'not found'],
    [{ item: { Id: 'IDEMPOTENCY#k1' } }, 'eventual read', 'found'],
    [{ items: [paid, paid], request: { operation: 'Query', table: 'T' } }, 'eventual query', '2 items'],
    [{ items: [paid], request: { operation: 'Query', table: 'T' } }, 'eventual query', '1 item'],
    [{ error: { name: 'ValidationException', message: 'no such index' } }, 'eventual read', 'ValidationException'],
  ] as Array<[Partial<ReadInput>, string, string]>)('words a read of %j as "%s … (%s)"', (over, verb, detail) => {
    const { ctx, events } = traced([read({ consistency: 'eventual', ...over })]);
    expect(observationStep(only(events, 'read'), ctx).arrow).toMatchObject({ verb, detail });
  });

  it('notes a check over every participant, resolved when drawn', () => {
    const { ctx, events } = traced([{ kind: 'checkpoint', t: 400, name: 'converged', passed: false }]);
    expect(observationStep(only(events, 'checkpoint'), ctx)).toEqual({ t: 400, notes: [{ over: [SPAN_ALL], text: 'check converged: FAILED' }], routine: false, category: 'checks' });
    expect(ctx.used.size).toBe(0);
  });
});
