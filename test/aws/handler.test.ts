import type { APIGatewayProxyEvent, APIGatewayProxyResult, EventBridgeEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tmf688Envelope } from '../../src/app/event.js';
import { STRATEGY_NAMES } from '../../src/aws/processor-env.js';
import { createHandler, type HandlerEvent, type HandlerResult } from '../../src/aws/handler.js';
import { createDynamoClient } from '../../src/backends/dynamodb/client.js';
import { ensureTable } from '../../src/backends/dynamodb/create-table.js';
import { scanTable } from '../../src/backends/dynamodb/scan.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/backends/dynamodb-local/server.js';

const REGION = 'us-east-1';
const TABLE = 'GlobalEventTable';

function envelope(eventId: string, itemId: string, data: Record<string, unknown>, time = '2026-03-01T10:00:00.000Z'): Tmf688Envelope {
  return {
    eventId,
    eventTime: time,
    eventType: 'ResourceAttributeValueChangeEvent',
    correlationId: `corr-${eventId}`,
    domain: 'orders',
    priority: '5',
    timeOcurred: time,
    event: { order: { id: itemId, ...data } as Record<string, never> },
  };
}

function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:IngestQueue',
    awsRegion: REGION,
  };
}

function eventBridge(detail: unknown, source = 'geosim.events'): EventBridgeEvent<string, unknown> {
  return { version: '0', id: 'eb-1', 'detail-type': 'TMF688 event', source, account: '123456789012', time: '2026-03-01T10:00:00Z', region: REGION, resources: [], detail };
}

function apiRequest(body: string | null): APIGatewayProxyEvent {
  return {
    body,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    httpMethod: 'POST',
    isBase64Encoded: false,
    path: '/events',
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    resource: '/events',
  };
}

describe('Lambda handler against DynamoDB Local', () => {
  let server: DynamoDbLocal;
  let handle: (event: HandlerEvent) => Promise<HandlerResult>;
  const logs: Record<string, unknown>[] = [];
  const clients: ReturnType<typeof createDynamoClient>[] = [];
  const items = async () => {
    const client = createDynamoClient({ region: REGION, endpoint: server.endpoint, localCredentials: true });
    clients.push(client);
    return scanTable({ region: REGION, client, tableName: TABLE });
  };

  beforeAll(async () => {
    server = await startDynamoDbLocal();
    const client = createDynamoClient({ region: REGION, endpoint: server.endpoint, localCredentials: true });
    clients.push(client);
    await ensureTable(client, { tableName: TABLE, region: REGION });
    handle = createHandler({
      env: { TABLE_NAME: TABLE, AWS_REGION: REGION },
      client: (region) => {
        const c = createDynamoClient({ region, endpoint: server.endpoint, localCredentials: true });
        clients.push(c);
        return c;
      },
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('processes an SQS batch, reports only the malformed message as a failure, and applies a duplicate once', async () => {
    const first = envelope('sqs-evt-1', 'ORDER#S1', { status: 'shipped' });
    const result = (await handle({
      Records: [
        sqsRecord('m1', JSON.stringify(first)),
        sqsRecord('m2', JSON.stringify(envelope('sqs-evt-2', 'ORDER#S2', { status: 'new' }))),
        sqsRecord('m3', JSON.stringify(first)), // at-least-once delivery: the same event again
        sqsRecord('m4', '{"eventType": "x"'), // not JSON
      ],
    } satisfies SQSEvent)) as SQSBatchResponse;
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm4' }] });
    const outcomes = logs.filter((l) => l['source'] === 'sqs').map((l) => [l['messageId'], l['outcome'] ?? l['error']]);
    expect(outcomes).toEqual([
      ['m1', 'applied'],
      ['m2', 'applied'],
      ['m3', 'duplicate'],
      ['m4', 'MalformedEventError'],
    ]);
    const table = await items();
    expect(table['ORDER#S1']).toMatchObject({ Data: { status: 'shipped' }, Version: 1, LastUpdatedRegion: REGION, IdempotencyKey: 'sqs-evt-1', Timestamp: Date.parse('2026-03-01T10:00:00.000Z') });
    expect(table['IDEMPOTENCY#sqs-evt-1']).toMatchObject({ IdempotencyKey: 'sqs-evt-1', EventId: 'sqs-evt-1', Region: REGION });
    expect(table['ORDER#S2']).toMatchObject({ Data: { status: 'new' }, Version: 1 });
  });

  it('processes an EventBridge event, recognises its duplicate, and rejects a malformed one without writing', async () => {
    const detail = envelope('eb-evt-1', 'ORDER#E1', { status: 'paid' });
    expect(await handle(eventBridge(detail))).toEqual({ eventId: 'eb-evt-1', outcome: 'applied' });
    expect(await handle(eventBridge(detail))).toMatchObject({ eventId: 'eb-evt-1', outcome: 'duplicate', detail: `first processed in ${REGION} as eb-evt-1` });
    const before = await items();
    await expect(handle(eventBridge({ ...detail, eventId: 'eb-bad', event: {} }))).rejects.toThrow(
      'not a TMF688 event: event: must hold exactly one resource, e.g. { "order": { "id": "ORDER#1", ... } }',
    );
    expect(await items()).toEqual(before);
    expect(before['ORDER#E1']).toMatchObject({ Data: { status: 'paid' }, Version: 1 });
  });

  it('accepts the Step Functions task payload, which is shaped as an EventBridge event', async () => {
    const detail = envelope('sfn-evt-1', 'ORDER#F1', { status: 'packed' });
    expect(await handle(eventBridge(detail, 'geosim.workflow'))).toEqual({ eventId: 'sfn-evt-1', outcome: 'applied' });
  });

  it('answers API Gateway with 200 for a new event and its duplicate, 400 for a malformed body', async () => {
    const body = JSON.stringify(envelope('api-evt-1', 'ORDER#A1', { status: 'open', lines: [1, 2] }));
    const created = (await handle(apiRequest(body))) as APIGatewayProxyResult;
    expect(created.statusCode).toBe(200);
    expect(JSON.parse(created.body)).toEqual({ eventId: 'api-evt-1', outcome: 'applied' });
    const again = (await handle(apiRequest(body))) as APIGatewayProxyResult;
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ eventId: 'api-evt-1', outcome: 'duplicate' });

    const before = await items();
    const noId = (await handle(apiRequest(JSON.stringify({ ...envelope('api-bad', 'ORDER#A2', {}), eventId: undefined })))) as APIGatewayProxyResult;
    expect(noId.statusCode).toBe(400);
    expect(JSON.parse(noId.body).error).toMatch(/^not a TMF688 event: eventId: /);
    const empty = (await handle(apiRequest(null))) as APIGatewayProxyResult;
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body)).toEqual({ error: 'not a TMF688 event: the body is empty' });
    expect(await items()).toEqual(before);
    expect(before['ORDER#A1']).toMatchObject({ Data: { status: 'open', lines: [1, 2] } });
  });

  it('refuses an invocation from an unknown source', async () => {
    await expect(handle({ hello: 'world' } as unknown as HandlerEvent)).rejects.toThrow(/unsupported invocation/);
  });
});

describe('Lambda handler configuration', () => {
  it('names the missing TABLE_NAME on first use', async () => {
    const handle = createHandler({ env: { AWS_REGION: REGION }, log: () => {} });
    await expect(handle(eventBridge(envelope('x', 'ORDER#X', {})))).rejects.toThrow("TABLE_NAME is not set in the function's environment");
  });

  it('rejects an unknown strategy', async () => {
    const handle = createHandler({ env: { AWS_REGION: REGION, TABLE_NAME: TABLE, STRATEGY: 'magic' }, log: () => {} });
    await expect(handle(eventBridge(envelope('x', 'ORDER#X', {})))).rejects.toThrow(`STRATEGY=magic is not one of ${STRATEGY_NAMES.join(', ')}`);
  });
});
