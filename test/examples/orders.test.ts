// examples/orders run unchanged against geosim's in-process model (GlobalTables), one module
// instance per region, their module-scope DynamoDBClient wired to the model by sdk-injection.ts.
// What the example scenarios (examples/orders/*.yaml) will state, proven here on the handlers:
// the naive handler loses an increment and double-processes a retry in the other region; the
// fixed one does neither.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GlobalTables } from '../../src/index.js';
import { type Injection, instanceFor } from './sdk-injection.js';

const injection = vi.hoisted((): Injection => ({ requestHandler: undefined }));
// hoisted above the imports: the factory imports its helper itself
vi.mock('@aws-sdk/client-dynamodb', async () => (await import('./sdk-injection.js')).mockDynamoDbClient(injection));

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const ENV = { TABLE_NAME: 'GlobalEventTable', HOME_REGION: EAST, ORDER_REGIONS: `${EAST},${WEST}` };
type Orders = typeof import('../../examples/orders/src/orders.js');

let model: GlobalTables;
let app: Record<string, Orders>;

beforeEach(async () => {
  // Date only (the idempotency record's ExpiresAt): the model's own clock starts at this epoch
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
  model = new GlobalTables({ regions: [EAST, WEST], lag: 800 });
  injection.requestHandler = model.requestHandler;
  app = {
    [EAST]: await instanceFor(EAST, ENV, () => import('../../examples/orders/src/orders.js')),
    [WEST]: await instanceFor(WEST, ENV, () => import('../../examples/orders/src/orders.js')),
  };
});

afterEach(() => {
  vi.useRealTimers();
  injection.requestHandler = undefined;
});

function orderPlaced(eventId: string, orderId: string, customerId: string, total: number) {
  return { eventId, eventType: 'OrderPlaced', eventTime: '2026-01-01T00:00:00.000Z', correlationId: eventId, event: { order: { id: orderId, customerId, total } } };
}

/** The item as one region's replica holds it, read without the handler's code. */
async function itemIn(region: string, id: string): Promise<Record<string, unknown> | undefined> {
  const client = new DynamoDBClient({ region });
  const { Item } = await client.send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: id } }, ConsistentRead: true }));
  return Item;
}

/** The clients' writes of one item (a Time to Live delete that falls due while it settles is left out). */
const writesTo = (id: string) => model.trace.filter((e) => e.kind === 'local-write' && e.itemId === id && e.expired === undefined);

describe('examples/orders handler (the first version)', () => {
  it('counts every order on one region: the totals item is right when only one region writes', async () => {
    await app[EAST]!.handler(orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30));
    await app[EAST]!.handler(orderPlaced('e-2', 'ORDER#2', 'CUSTOMER#7', 20));
    await model.settle();
    for (const region of [EAST, WEST]) expect(await app[region]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 50 });
  });

  it('loses an increment when two regions add to the totals item inside the replication window (whole-item last-writer-wins)', async () => {
    expect(await app[EAST]!.handler(orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30))).toEqual({ outcome: 'created' });
    await model.advance(100);
    expect(await app[WEST]!.handler(orderPlaced('e-2', 'ORDER#2', 'CUSTOMER#7', 20))).toEqual({ outcome: 'created' });
    expect(await app[EAST]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 1, totalSpent: 30 });
    expect(await app[WEST]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 1, totalSpent: 20 });
    await model.settle();
    // two orders exist everywhere, but the totals say one: eu-west-1's later item replaced us-east-1's
    for (const region of [EAST, WEST]) {
      expect(await itemIn(region, 'ORDER#1')).toBeDefined();
      expect(await itemIn(region, 'ORDER#2')).toBeDefined();
      expect(await app[region]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 1, totalSpent: 20 });
    }
    expect(model.trace.filter((e) => e.kind === 'replication-discarded')).toHaveLength(1);
  });

  it('processes a retry in the other region twice while the idempotency record has not replicated; recognises it once it has', async () => {
    const event = orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30);
    expect(await app[EAST]!.handler(event)).toEqual({ outcome: 'created' });
    await model.advance(200);
    // the client timed out and retried in eu-west-1: its replica has neither record nor order yet
    expect(await app[WEST]!.handler(event)).toEqual({ outcome: 'created' });
    await model.advance(2000);
    expect(await app[WEST]!.handler(event)).toEqual({ outcome: 'duplicate' });
    await model.settle();
    expect(writesTo('ORDER#1')).toHaveLength(2); // both conditional creates passed
    expect(writesTo('CUSTOMER#7')).toHaveLength(2); // and both added to the totals
  });

  it('processes the retry twice for as long as replication is paused (retry-in-lag.yaml, step by step)', async () => {
    await app[EAST]!.handler(orderPlaced('order-0', 'ORDER#0', 'CUSTOMER#7', 10));
    await model.advance(1000); // replicated before the pause
    model.pauseReplication(EAST, WEST);
    model.pauseReplication(WEST, EAST);
    await model.advance(1000);
    const event = orderPlaced('order-1', 'ORDER#1', 'CUSTOMER#7', 30);
    expect(await app[EAST]!.handler(event)).toEqual({ outcome: 'created' });
    await model.advance(2000); // far beyond the 800 ms lag: the pause holds the record back
    expect(await app[WEST]!.handler(event)).toEqual({ outcome: 'created' });
    for (const region of [EAST, WEST]) expect(await app[region]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 40 });
    expect((await itemIn(WEST, 'ORDER#1'))?.['placedIn']).toEqual({ S: WEST });
    await model.advance(7000);
    model.resumeReplication(EAST, WEST);
    model.resumeReplication(WEST, EAST);
    await model.settle();
    expect(writesTo('ORDER#1')).toHaveLength(2);
    // right by accident: both regions added 30 to the same base, and last-writer-wins kept one sum
    for (const region of [EAST, WEST]) {
      expect(await app[region]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 40 });
      expect((await itemIn(region, 'ORDER#1'))?.['placedIn']).toEqual({ S: WEST });
    }
    // ORDER#1, IDEMPOTENCY#order-1 and CUSTOMER#7: us-east-1's held versions lose in eu-west-1
    const discarded = model.trace.filter((e) => e.kind === 'replication-discarded');
    expect(discarded.map((e) => (e.kind === 'replication-discarded' ? e.itemId : '')).sort()).toEqual(['CUSTOMER#7', 'IDEMPOTENCY#order-1', 'ORDER#1']);
  });
});

describe('examples/orders fixedHandler', () => {
  it('keeps every increment: each region adds to its own totals item, summed on read', async () => {
    await app[EAST]!.fixedHandler(orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30));
    await model.advance(100);
    await app[WEST]!.fixedHandler(orderPlaced('e-2', 'ORDER#2', 'CUSTOMER#7', 20));
    await model.settle();
    for (const region of [EAST, WEST]) expect(await app[region]!.customerTotalsFixed('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 50 });
    expect(model.trace.filter((e) => e.kind === 'replication-discarded')).toHaveLength(0);
  });

  it('recognises a retry in the other region inside the window: the claim lives in the home region', async () => {
    const event = orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30);
    model.pauseReplication(EAST, WEST);
    model.pauseReplication(WEST, EAST);
    expect(await app[WEST]!.fixedHandler(event)).toEqual({ outcome: 'created' });
    await model.advance(200);
    expect(await app[EAST]!.fixedHandler(event)).toEqual({ outcome: 'duplicate' });
    expect(await app[WEST]!.fixedHandler(event)).toEqual({ outcome: 'duplicate' });
    model.resumeReplication(EAST, WEST);
    model.resumeReplication(WEST, EAST);
    await model.settle();
    expect(writesTo('ORDER#1')).toHaveLength(1);
    // the claim was written in us-east-1 although the first attempt ran in eu-west-1
    expect(writesTo('IDEMPOTENCY#e-1').map((e) => (e.kind === 'local-write' ? e.region : ''))).toEqual([EAST]);
    for (const region of [EAST, WEST]) expect(await app[region]!.customerTotalsFixed('CUSTOMER#7')).toEqual({ orderCount: 1, totalSpent: 30 });
  });

  it('runs fixed.yaml step by step: both orders counted, the retry a duplicate, one condition failure, nothing discarded', async () => {
    await app[EAST]!.fixedHandler(orderPlaced('order-1', 'ORDER#1', 'CUSTOMER#7', 30));
    await model.advance(100);
    const order2 = orderPlaced('order-2', 'ORDER#2', 'CUSTOMER#7', 20);
    await app[WEST]!.fixedHandler(order2);
    await model.advance(200);
    expect(await app[EAST]!.fixedHandler(order2)).toEqual({ outcome: 'duplicate' });
    await model.settle();
    expect(model.trace.filter((e) => e.kind === 'condition-failed').map((e) => (e.kind === 'condition-failed' ? `${e.region} ${e.itemId}` : ''))).toEqual([`${EAST} IDEMPOTENCY#order-2`]);
    expect(model.trace.filter((e) => e.kind === 'replication-discarded')).toHaveLength(0);
    expect(await itemIn(EAST, 'CUSTOMER#7')).toBeUndefined();
    for (const region of [EAST, WEST]) expect(await app[region]!.customerTotalsFixed('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 50 });
  });

  it('gives the claim back when the write after it fails, so a retry processes the event', async () => {
    const event = orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30);
    // a totals item holding a string makes ADD fail (ValidationException) and cancels the transaction
    const client = new DynamoDBClient({ region: WEST });
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await client.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: `CUSTOMER#7#TOTALS#${WEST}` }, orderCount: { S: 'oops' } } }));
    await expect(app[WEST]!.fixedHandler(event)).rejects.toThrow();
    expect(await itemIn(EAST, 'IDEMPOTENCY#e-1')).toBeUndefined();
    await client.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: `CUSTOMER#7#TOTALS#${WEST}` } } }));
    expect(await app[WEST]!.fixedHandler(event)).toEqual({ outcome: 'created' });
  });
});

describe('examples/orders: one parse for every way an event arrives', () => {
  it('takes an SQS batch and reports only the record that is not an order event', async () => {
    const body = JSON.stringify(orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await app[EAST]!.handler({ Records: [{ messageId: 'm-1', body }, { messageId: 'm-2', body: '{"not":"an envelope"}' }] });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(logged).toHaveBeenCalledWith('SQS message m-2 failed:', expect.objectContaining({ message: expect.stringContaining('not an order event') }));
    logged.mockRestore();
    expect(await itemIn(EAST, 'ORDER#1')).toBeDefined();
  });

  it('takes an API Gateway proxy body and an EventBridge detail', async () => {
    const viaApi = await app[EAST]!.handler({ body: JSON.stringify(orderPlaced('e-1', 'ORDER#1', 'CUSTOMER#7', 30)), httpMethod: 'POST' });
    expect(viaApi).toEqual({ statusCode: 200, body: '{"outcome":"created"}' });
    const viaEvents = await app[EAST]!.handler({ 'detail-type': 'OrderPlaced', source: 'shop', detail: orderPlaced('e-2', 'ORDER#2', 'CUSTOMER#7', 20) });
    expect(viaEvents).toEqual({ outcome: 'created' });
    expect(await app[EAST]!.customerTotals('CUSTOMER#7')).toEqual({ orderCount: 2, totalSpent: 50 });
  });

  it('fails a direct invocation that carries no order event', async () => {
    await expect(app[EAST]!.handler({ hello: 'world' })).rejects.toThrow(/not an order event/);
  });
});
