import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/app/item.js';
import { writeStep } from '../../../../src/render/mermaid/steps/writes.js';
import type { Tmf688Envelope } from '../../../../src/app/event.js';
import { E, only, traced } from './context.js';

const paid: Item = { Id: 'ORDER#1', Version: 2, Data: { status: 'paid' } };
const envelope = { eventId: 'e1', eventTime: '', eventType: 'X', correlationId: 'e1', domain: 'order', priority: '4', timeOcurred: '', event: { order: { id: 'ORDER#1' } } } satisfies Tmf688Envelope;

describe('writeStep (writes a replica accepted or refused)', () => {
  it("draws a write caused by a client event as the region's Lambda writing to its replica", () => {
    const { ctx, events } = traced([
      { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 1, clientTime: 0, envelope },
      { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'update', before: null, after: paid, version: { ts: 0, region: E }, cause: 'e1' },
    ]);
    expect(writeStep(only(events, 'local-write'), ctx)).toEqual({
      t: 0,
      arrow: { from: 'Lambda_us_east_1', to: 'Table_us_east_1', arrow: '->>', verb: 'update', item: 'ORDER#1', detail: 'v2 status=paid', value: 'v2 status=paid' },
      notes: [],
      routine: true,
      category: 'writes',
      mergeKey: 'write|Lambda_us_east_1|us-east-1|update|',
    });
  });

  it("draws a scenario step's delete as the client's, and a transaction's writes as one TransactWriteItems key", () => {
    const { ctx, events } = traced([
      { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'delete', before: paid, after: null, version: { ts: 0, region: E }, cause: 'steps[0]' },
      { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#2', op: 'put', before: null, after: paid, version: { ts: 0, region: E }, transaction: 'tx1' },
    ]);
    const deleted = writeStep(only(events, 'local-write', 0), ctx);
    expect(deleted.arrow).toMatchObject({ from: 'Client', verb: 'delete', item: 'ORDER#1', detail: 'deleted', value: 'deleted' });
    const tx = writeStep(only(events, 'local-write', 1), ctx);
    expect(tx.arrow).toMatchObject({ verb: 'TransactWriteItems', item: 'put ORDER#2' });
    expect(tx.mergeKey).toBe('write|Client|us-east-1|TransactWriteItems|tx1');
  });

  it('draws a Time to Live delete as the replica’s own (an arrow to itself), not a client’s delete', () => {
    const { ctx, events } = traced([{ kind: 'local-write', t: 70_000, region: E, itemId: 'SESSION#1', op: 'delete', before: paid, after: null, version: { ts: 70_000, region: E }, cause: 'TTL', expired: true }]);
    expect(writeStep(only(events, 'local-write'), ctx)).toMatchObject({
      arrow: { from: 'Table_us_east_1', to: 'Table_us_east_1', verb: 'Time to Live deletes', item: 'SESSION#1', detail: 'expired', value: 'deleted' },
      routine: true,
      mergeKey: 'ttl|us-east-1',
    });
  });

  it.each(['repair ORDER#1', 'merge ORDER#1', 'stream handler us-east-1'])("draws a stream consumer’s write (cause %s) as the region’s Lambda, not the client", (cause) => {
    const { ctx, events } = traced([{ kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'put', before: null, after: paid, version: { ts: 0, region: E }, cause }]);
    expect(writeStep(only(events, 'local-write'), ctx).arrow).toMatchObject({ from: 'Lambda_us_east_1', to: 'Table_us_east_1', verb: 'put' });
  });

  it('draws a failed condition back to the writer, with a note of what the replica holds', () => {
    const { ctx, events } = traced([{ kind: 'condition-failed', t: 7, region: E, itemId: 'ORDER#1', condition: 'Version = 1', current: paid, transaction: 'tx1' }]);
    expect(writeStep(only(events, 'condition-failed'), ctx)).toEqual({
      t: 7,
      arrow: { from: 'Table_us_east_1', to: 'Client', arrow: '--x', verb: 'condition failed', item: 'ORDER#1' },
      notes: [{ over: ['Table_us_east_1'], text: 'failed condition Version = 1 (transaction tx1 cancelled); replica holds v2 status=paid' }],
      routine: false,
      category: 'conditions',
    });
  });

  it("draws a refused operation with DynamoDB's exception name and message", () => {
    const { ctx, events } = traced([
      { kind: 'operation-failed', t: 7, region: E, itemId: 'ORDER#1', op: 'update', error: { name: 'ValidationException', message: 'bad ADD' }, current: null },
    ]);
    const step = writeStep(only(events, 'operation-failed'), ctx);
    expect(step.arrow).toEqual({ from: 'Table_us_east_1', to: 'Client', arrow: '--x', verb: 'ValidationException', item: 'ORDER#1' });
    expect(step.notes).toEqual([{ over: ['Table_us_east_1'], text: 'bad ADD; replica holds no item' }]);
    expect(step).toMatchObject({ routine: false, category: 'conditions' });
    // a team's merge that threw is the Lambda's failure, noted over it, not the table refusing
    const merge = traced([{ kind: 'operation-failed', t: 9, region: E, itemId: 'ORDER#1', op: 'put', error: { name: 'MergeFunctionError', message: 'boom' }, current: null, cause: 'merge ORDER#1' }]);
    expect(writeStep(only(merge.events, 'operation-failed'), merge.ctx)).toEqual({ t: 9, notes: [{ over: ['Lambda_us_east_1'], text: 'merge of ORDER#1 failed: boom; replica holds no item' }], routine: false, category: 'failures' });
    // a message ending with a period (MRSC's) takes no '.;'
    const mrsc = traced([{ kind: 'operation-failed', t: 7, region: E, itemId: 'ORDER#1', op: 'put', error: { name: 'ReplicatedWriteConflictException', message: 'One or more items are being modified by a request in another Region.' }, current: null }]);
    expect(writeStep(only(mrsc.events, 'operation-failed'), mrsc.ctx).notes[0]!.text).toBe('One or more items are being modified by a request in another Region; replica holds no item');
    // a transaction refused as a request (MRSC refuses TransactWriteItems) was never run, so none of it
    // was cancelled: a cancelled one's items are traced as condition-failed, which say "cancelled"
    const refused = traced([{ kind: 'operation-failed', t: 7, region: E, itemId: 'ORDER#1', op: 'update', error: { name: 'ValidationException', message: 'TransactWriteItems is not supported' }, current: null, transaction: 'tx1' }]);
    expect(writeStep(only(refused.events, 'operation-failed'), refused.ctx).notes[0]!.text).toBe('TransactWriteItems is not supported (transaction tx1 refused as a whole); replica holds no item');
  });
});
