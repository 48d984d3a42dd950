import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { eventStep } from '../../src/render/mermaid/steps/events.js';
import { stepView } from '../../src/render/step-view.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { ClientEventTrace } from '../../src/trace/events.js';
import { E, only, traced } from './mermaid/steps/context.js';

const envelope = (data: Record<string, string>) => ({ eventId: 'e1', eventTime: '', eventType: 'X', correlationId: 'e1', domain: 'sku', priority: '4', timeOcurred: '', event: { sku: { id: 'SKU#1', ...data } } });
const event = (data: Record<string, string>, add?: Record<string, number>): ClientEventTrace => ({
  seq: 1,
  kind: 'client-event',
  t: 0,
  region: E,
  eventId: 'e1',
  idempotencyKey: 'k1',
  itemId: 'SKU#1',
  attempt: 1,
  clientTime: 0,
  envelope: envelope(data),
  ...(add !== undefined ? { add } : {}),
});

// An event's `add:` (the counter strategy's increments) is not in its envelope: every view showed `sets {}`.
describe('an event’s increments (add:) in the trace and every view', () => {
  it('the trace of a counter scenario carries each event’s increments', async () => {
    const loaded = await loadScenarioFile(join('scenarios', 'strategy-counter.yaml'));
    if (!loaded.ok) throw new Error('strategy-counter.yaml does not load');
    const report = await runScenario(loaded.scenario);
    const sent = report.trace.filter((e) => e.kind === 'client-event');
    expect(sent.map((e) => [e.eventId, e.add])).toEqual([
      ['stock', { stock: 10 }],
      ['sell', { stock: -3 }],
      ['restock', { stock: 5 }],
    ]);
  });

  it('the text and terminal views say what an event adds, and `sets` only when it sets something', () => {
    expect(stepView(event({}, { stock: -3 })).text).toBe('e1 key k1 → SKU#1 adds {stock: -3}');
    expect(stepView(event({ note: 'x' }, { stock: 2 })).text).toBe('e1 key k1 → SKU#1 sets {note: x} adds {stock: 2}');
    expect(stepView(event({ note: 'x' })).text).toBe('e1 key k1 → SKU#1 sets {note: x}');
    expect(stepView(event({})).text).toBe('e1 key k1 → SKU#1 sets {}');
  });

  it('the sequence diagram writes increments as += and -=', () => {
    const { ctx, events } = traced([event({ note: 'x' }, { stock: -3, bins: 1 })]);
    expect(eventStep(only(events, 'client-event'), ctx).arrow).toMatchObject({ text: 'e1: SKU#1 note=x bins+=1 stock-=3' });
  });
});
