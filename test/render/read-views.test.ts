import { describe, expect, it } from 'vitest';
import { markKind } from '../../src/render/spacetime/marks.js';
import { stepView } from '../../src/render/step-view.js';
import type { TraceEvent } from '../../src/trace/events.js';

const read = (more: Partial<Extract<TraceEvent, { kind: 'read' }>>): TraceEvent => ({ seq: 1, kind: 'read', t: 300, region: 'eu-west-1', itemId: 'A', consistency: 'eventual', item: null, ...more });

// A team's handler's reads (and a program's through serve), as every view words and marks them.
describe('a read in the views', () => {
  it('names its event and, for an item of another table, the table, as a write does', () => {
    expect(stepView(read({ cause: 'e1', itemId: 'IDEMPOTENCY#e1' })).text).toBe('IDEMPOTENCY#e1 (eventual) for e1 → (absent)');
    expect(stepView(read({ itemId: 'a1', table: 'Audit', consistency: 'strong', item: { Id: 'a1', n: 1 } })).text).toBe('Audit a1 (strong) → n=1');
  });

  it('a query’s items each named by their Id, so two answers are told apart', () => {
    const view = stepView(read({ itemId: 'IdempotencyIndex: IdempotencyKey = :k', items: [{ Id: 'IDEMPOTENCY#e1', IdempotencyKey: 'k1' }, { Id: 'ORDER#1', status: 'placed' }], request: { operation: 'Query', table: 'GlobalEventTable', index: 'IdempotencyIndex' } }));
    expect(view.label).toBe('QUERY');
    expect(view.text).toBe('IdempotencyIndex: IdempotencyKey = :k (eventual) → 2 items: IDEMPOTENCY#e1 record k1 by –; ORDER#1 status=placed');
  });

  it('a team’s query names the values it gave, so two queries of one condition are told apart', () => {
    const query = (k: string) => stepView(read({ itemId: 'IdempotencyIndex: IdempotencyKey = :k', items: [], request: { operation: 'Query', table: 'GlobalEventTable', index: 'IdempotencyIndex', values: { ':k': k } } })).text;
    expect(query('k1')).toBe('IdempotencyIndex: IdempotencyKey = :k [:k = k1] (eventual) → 0 items');
    expect(query('multi')).not.toBe(query('k1'));
  });

  it('the space-time diagram dashes a read that found nothing', () => {
    expect(markKind(read({}))?.cls).toBe('st-read st-read-none');
    expect(markKind(read({ items: [] }))?.cls).toBe('st-read st-read-none');
    expect(markKind(read({ error: { name: 'ValidationException', message: 'x' } }))?.cls).toBe('st-read st-read-none');
    expect(markKind(read({ item: { Id: 'A' } }))?.cls).toBe('st-read');
    // a Select COUNT found what it counted
    expect(markKind(read({ items: [], count: 3 }))?.cls).toBe('st-read');
    expect(markKind(read({ items: [], count: 0 }))?.cls).toBe('st-read st-read-none');
  });
});
