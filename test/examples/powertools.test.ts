// examples/powertools: Powertools' idempotency utility, used as its documentation shows, against
// geosim's in-process model (one module instance per region, wired by sdk-injection.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GlobalTables } from '../../src/index.js';
import { type Injection, instanceFor } from './sdk-injection.js';

const injection = vi.hoisted((): Injection => ({ requestHandler: undefined }));
vi.mock('@aws-sdk/client-dynamodb', async () => (await import('./sdk-injection.js')).mockDynamoDbClient(injection));
vi.mock('@aws-lambda-powertools/idempotency/dynamodb', async () => (await import('./sdk-injection.js')).mockPowertoolsDynamoDb());

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
type Payments = typeof import('../../examples/powertools/src/handler.js');
let model: GlobalTables;
let app: Record<string, Payments>;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1) });
  model = new GlobalTables({ regions: [EAST, WEST], lag: 800 });
  injection.requestHandler = model.requestHandler;
  const env = { TABLE_NAME: 'GlobalEventTable', AWS_LAMBDA_FUNCTION_NAME: 'payments' };
  app = {
    [EAST]: await instanceFor(EAST, env, () => import('../../examples/powertools/src/handler.js')),
    [WEST]: await instanceFor(WEST, env, () => import('../../examples/powertools/src/handler.js')),
  };
});
afterEach(() => {
  vi.useRealTimers();
  injection.requestHandler = undefined;
});

let requests = 0;
function context(region: string) {
  requests += 1;
  const awsRequestId = `req-${requests}`;
  return { functionName: 'payments', functionVersion: '$LATEST', invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:payments`, memoryLimitInMB: '512', awsRequestId, logGroupName: '/aws/lambda/payments', logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 30_000, done: () => {}, fail: () => {}, succeed: () => {} };
}
const payment = { eventId: 'pay-1', eventType: 'PaymentRequested', event: { payment: { id: 'PAYMENT#1', account: 'ACCOUNT#9', amount: 30 } } };

describe('examples/powertools handler', () => {
  it('returns the stored result for a retry in the same region', async () => {
    const first = await app[EAST]!.handler(payment, context(EAST));
    const again = await app[EAST]!.handler(payment, context(EAST));
    expect(again).toEqual(first);
    // Powertools' record, on the table's own key attribute: INPROGRESS, then COMPLETED with the result
    const records = model.trace.filter((e) => e.kind === 'local-write' && e.itemId.startsWith('payments'));
    expect(records.map((e) => (e.kind === 'local-write' ? e.after?.['status'] : undefined))).toEqual(['INPROGRESS', 'COMPLETED']);
    expect(model.trace.filter((e) => e.kind === 'local-write' && e.itemId.startsWith('LEDGER#'))).toHaveLength(1);
  });

  it('lets a retry in the other region through inside the replication window: the lock is region-local', async () => {
    const first = await app[EAST]!.handler(payment, context(EAST));
    await model.advance(200);
    const retry = await app[WEST]!.handler(payment, context(WEST));
    expect(retry).not.toEqual(first); // a second capture, with its own ledger entry
    await model.settle();
    const ledger = model.trace.filter((e) => e.kind === 'local-write' && e.itemId.startsWith('LEDGER#') && e.expired === undefined);
    expect(ledger.map((e) => (e.kind === 'local-write' ? e.region : ''))).toEqual([EAST, WEST]);
  });

  it('runs cross-region-retry.yaml step by step: two captures, the balance hiding one, the late retry answered from the stored result', async () => {
    await app[EAST]!.handler(payment, context(EAST));
    await model.advance(200);
    const second = await app[WEST]!.handler(payment, context(WEST));
    const { DynamoDBClient, GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const balance = async (region: string) => (await new DynamoDBClient({ region }).send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'ACCOUNT#9' } } }))).Item;
    await model.advance(200);
    for (const region of [EAST, WEST]) expect(await balance(region)).toMatchObject({ balance: { N: '-30' }, captures: { N: '1' } });
    await model.advance(2600);
    const writesBefore = model.trace.filter((e) => e.kind === 'local-write').length;
    // eu-west-1's record is the later write, so it is the one both regions keep
    expect(await app[WEST]!.handler(payment, context(WEST))).toEqual(second);
    expect(model.trace.filter((e) => e.kind === 'local-write').length).toBe(writesBefore);
    await model.settle();
    for (const region of [EAST, WEST]) expect(await balance(region)).toMatchObject({ balance: { N: '-30' }, captures: { N: '1' } });
  });

  it('recognises the retry in the other region once the record has replicated', async () => {
    const first = await app[EAST]!.handler(payment, context(EAST));
    await model.advance(1000);
    expect(await app[WEST]!.handler(payment, context(WEST))).toEqual(first);
  });
});
