import { describe, expect, it } from 'vitest';
import { writesData } from '../../../src/sim/user-app/request-handler.js';
import { PowertoolsRecords } from '../../../src/sim/user-app/powertools-records.js';
import { singleEvent, sqsEvent, streamEvent } from '../../../src/sim/user-app/event-shapes.js';
import { resultOf } from '../../../src/sim/user-app/user-application.js';
import { buildEnvelope } from '../../../src/app/envelope.js';

const envelope = buildEnvelope({ id: 'e1', type: 'OrderPlaced', domain: 'shop', priority: '5', correlationId: 'e1', resource: 'order', itemId: 'ORDER#1', data: { total: 3 } }, Date.UTC(2026, 0, 1));

describe('what counts as an effect of the event being handled', () => {
  it('a write to data counts; a write to an idempotency record alone does not', () => {
    expect(writesData('PutItem', { Item: { Id: { S: 'ORDER#1' } } })).toBe(true);
    expect(writesData('PutItem', { Item: { Id: { S: 'IDEMPOTENCY#e1' } } })).toBe(false);
    expect(writesData('UpdateItem', { Key: { Id: { S: 'CUSTOMER#7' } } })).toBe(true);
    expect(writesData('DeleteItem', { Key: { Id: { S: 'IDEMPOTENCY#e1' } } })).toBe(false);
    expect(writesData('TransactWriteItems', { TransactItems: [{ Put: { Item: { Id: { S: 'IDEMPOTENCY#e1' } } } }, { ConditionCheck: { Key: { Id: { S: 'X' } } } }] })).toBe(false);
    expect(writesData('TransactWriteItems', { TransactItems: [{ Put: { Item: { Id: { S: 'IDEMPOTENCY#e1' } } } }, { Update: { Key: { Id: { S: 'ORDER#1' } } } }] })).toBe(true);
    expect(writesData('BatchWriteItem', { RequestItems: { T: [{ DeleteRequest: { Key: { Id: { S: 'ORDER#2' } } } }] } })).toBe(true);
    expect(writesData('GetItem', { Key: { Id: { S: 'ORDER#1' } } })).toBe(false);
    // A table whose key is not Id: geosim cannot tell a record from data, so the write counts.
    expect(writesData('PutItem', { Item: { pk: { S: 'IDEMPOTENCY#e1' } } })).toBe(true);
  });

  it('a record of Powertools’ idempotency utility is a claim too, told by its requests whatever its attribute names and hash', () => {
    const records = new PowertoolsRecords();
    const key = 'payments#3q2+7w==';
    // _putRecord: the lock, under its condition (keyAttr `pk`, statusAttr `state` here)
    const lock = {
      Item: { pk: { S: key }, exp: { N: '1767229210' }, state: { S: 'INPROGRESS' } },
      ExpressionAttributeNames: { '#id': 'pk', '#expiry': 'exp', '#in_progress_expiry': 'ipe', '#status': 'state' },
      ExpressionAttributeValues: { ':now': { N: '1' }, ':now_in_millis': { N: '1000' }, ':inprogress': { S: 'INPROGRESS' } },
      ConditionExpression: 'attribute_not_exists(#id) OR #expiry < :now',
    };
    expect(writesData('PutItem', lock, records)).toBe(false);
    // _updateRecord: completed, with the response
    expect(writesData('UpdateItem', { Key: { pk: { S: key } }, UpdateExpression: 'SET #expiry = :expiry, #status = :status, #response_data = :response_data', ExpressionAttributeNames: { '#expiry': 'exp', '#status': 'state', '#response_data': 'data' } }, records)).toBe(false);
    // _deleteRecord: the key of a lock put before
    expect(writesData('DeleteItem', { Key: { pk: { S: key } } }, records)).toBe(false);
    // a key that looks like one (an id from randomBytes(16).toString('base64')) is data; so is a delete of a key no lock named
    expect(writesData('PutItem', { Item: { Id: { S: 'ORDER#mnwJ8EDq6IyGrCn+Ti77OQ==' } } }, records)).toBe(true);
    expect(writesData('DeleteItem', { Key: { pk: { S: 'payments#other==' } } }, records)).toBe(true);
  });

  it('an attempt with an effect is applied even if it then failed; without one it failed, or made no change', () => {
    // not "effects": that word is the per-key count of attempts that took effect, one here
    expect(resultOf(2, { ok: true, value: undefined })).toMatchObject({ outcome: 'applied', detail: '2 data writes or calls' });
    expect(resultOf(1, { ok: false, error: 'timeout', message: 'Task timed out after 3.00 seconds' })).toMatchObject({ outcome: 'applied', detail: '1 data write or call, then timeout: Task timed out after 3.00 seconds', failure: { error: 'timeout' } });
    expect(resultOf(0, { ok: false, error: 'throw', message: 'Error: no' })).toMatchObject({ outcome: 'failed', failure: { error: 'throw', message: 'Error: no' } });
    expect(resultOf(0, { ok: true, value: 'done' })).toMatchObject({ outcome: 'duplicate' });
  });
});

describe('the event shapes AWS delivers', () => {
  const o = { region: 'eu-west-1', idempotencyKey: 'k1', attempt: 1, at: Date.UTC(2026, 0, 1, 0, 0, 2, 500) };

  it('direct: a copy of the envelope; apigateway: its JSON in body; eventbridge: its detail', () => {
    const direct = singleEvent('direct', envelope, o);
    expect(direct).toEqual(envelope);
    expect(direct).not.toBe(envelope);
    const api = singleEvent('apigateway', envelope, o) as { httpMethod: string; body: string; isBase64Encoded: boolean; requestContext: { requestTimeEpoch: number } };
    expect(api.httpMethod).toBe('POST');
    expect(JSON.parse(api.body)).toEqual(envelope);
    expect(api.isBase64Encoded).toBe(false);
    const eb = singleEvent('eventbridge', envelope, o) as Record<string, unknown>;
    expect(eb).toMatchObject({ version: '0', 'detail-type': 'OrderPlaced', account: '123456789012', region: 'eu-west-1', time: '2026-01-01T00:00:02Z', detail: envelope });
    // Stable ids: the same event gets the same id in every run.
    expect((singleEvent('eventbridge', envelope, o) as { id: string }).id).toBe(eb.id);
  });

  it('sqs: one record per message with its receive count and queue ARN; stream: DynamoDB JSON images', () => {
    const batch = sqsEvent([{ envelope, eventId: 'e1', receiveCount: 2, sentAt: 1000, receivedAt: 31_000 }], 'us-east-1', 'orders');
    expect(batch.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:orders-queue',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1000', ApproximateFirstReceiveTimestamp: '31000' },
    });
    expect(JSON.parse(batch.Records[0]!.body as string)).toEqual(envelope);
    const stream = streamEvent([{ itemId: 'ORDER#1', eventName: 'MODIFY', oldImage: { Id: 'ORDER#1', n: 1 }, newImage: { Id: 'ORDER#1', n: 2 }, sequenceNumber: '000000000000000000002', at: 2500 }], 'eu-west-1');
    expect(stream.Records[0]).toMatchObject({
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: { Keys: { Id: { S: 'ORDER#1' } }, OldImage: { Id: { S: 'ORDER#1' }, n: { N: '1' } }, NewImage: { Id: { S: 'ORDER#1' }, n: { N: '2' } }, StreamViewType: 'NEW_AND_OLD_IMAGES', ApproximateCreationDateTime: 2 },
    });
    expect(stream.Records[0]!.eventSourceARN).toMatch(/^arn:aws:dynamodb:eu-west-1:123456789012:table\/GlobalEventTable\/stream\//);
  });
});
