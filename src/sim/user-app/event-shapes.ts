import { createHash } from 'node:crypto';
import type { Tmf688Envelope } from '../../app/event.js';
import { MODEL_ACCOUNT_ID } from '../../app/user-module/lambda-context.js';
import type { Item } from '../../app/item.js';
import { fromPlainItem, type PlainValue } from '../../dynamodb/plain.js';
import type { UserEventSource } from '../../scenario/model.js';
import { SCENARIO_TABLE } from '../replica.js';

/** A DynamoDB stream's label: the table's creation time, fixed so runs repeat. */
const STREAM_LABEL = '2026-01-01T00:00:00.000';

/** A UUID-shaped id derived from `label`, so the same run makes the same ids. */
export function stableId(label: string): string {
  const h = createHash('sha1').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One SQS message of a batch, as Lambda's SQS event source delivers it. */
export interface SqsMessage {
  envelope: Tmf688Envelope;
  eventId: string;
  receiveCount: number;
  /** When the client sent it (epoch ms). */
  sentAt: number;
  /** When this receive started (epoch ms). */
  receivedAt: number;
}

export function sqsQueueArn(region: string, functionName: string): string {
  return `arn:aws:sqs:${region}:${MODEL_ACCOUNT_ID}:${functionName}-queue`;
}

export function sqsMessageId(eventId: string): string {
  return stableId(`sqs message ${eventId}`);
}

/**
 * How `source` delivers one client event to the handler (Lambda's documented event shapes):
 * `direct` the TMF688 envelope itself; `apigateway` a REST API proxy event whose `body` is the
 * envelope's JSON; `eventbridge` an event whose `detail` is the envelope. SQS batches are built
 * by `sqsEvent`. A fresh object each time: a handler that mutates its event changes no retry.
 */
export function singleEvent(source: Exclude<UserEventSource, 'sqs'>, envelope: Tmf688Envelope, o: { region: string; idempotencyKey: string; attempt: number; at: number }): unknown {
  const copy = structuredClone(envelope);
  switch (source) {
    case 'direct':
      return copy;
    case 'apigateway': {
      const body = JSON.stringify(copy);
      const requestId = stableId(`apigateway ${envelope.eventId} ${o.attempt}`);
      return {
        resource: '/events',
        path: '/events',
        httpMethod: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': o.idempotencyKey },
        multiValueHeaders: { 'Content-Type': ['application/json'], 'Idempotency-Key': [o.idempotencyKey] },
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        requestContext: {
          accountId: MODEL_ACCOUNT_ID,
          apiId: 'geosimapi',
          httpMethod: 'POST',
          path: '/prod/events',
          protocol: 'HTTP/1.1',
          requestId,
          requestTimeEpoch: o.at,
          resourcePath: '/events',
          stage: 'prod',
          identity: { sourceIp: '198.51.100.1', userAgent: 'geosim-client' },
        },
        body,
        isBase64Encoded: false,
      };
    }
    case 'eventbridge':
      return {
        version: '0',
        id: stableId(`eventbridge ${envelope.eventId}`),
        'detail-type': envelope.eventType,
        source: 'geosim.client',
        account: MODEL_ACCOUNT_ID,
        time: new Date(Math.floor(o.at / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        region: o.region,
        resources: [],
        detail: copy,
      };
  }
}

/** An SQS batch as Lambda's event source mapping delivers it (one record per message). */
export function sqsEvent(messages: readonly SqsMessage[], region: string, functionName: string): { Records: Array<Record<string, unknown>> } {
  const arn = sqsQueueArn(region, functionName);
  return {
    Records: messages.map((m) => {
      const body = JSON.stringify(m.envelope);
      return {
        messageId: sqsMessageId(m.eventId),
        receiptHandle: Buffer.from(`${m.eventId}#${m.receiveCount}`).toString('base64'),
        body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'AIDAGEOSIMCLIENT',
          ApproximateFirstReceiveTimestamp: String(m.receivedAt),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: region,
      };
    }),
  };
}

export function streamArn(region: string, table: string = SCENARIO_TABLE): string {
  return `arn:aws:dynamodb:${region}:${MODEL_ACCOUNT_ID}:table/${table}/stream/${STREAM_LABEL}`;
}

/** The table a stream handler reads: its name (in the ARN) and key attributes (the records' Keys). */
export interface StreamTable {
  name: string;
  keyNames: readonly string[];
}

const SCENARIO_STREAM_TABLE: StreamTable = { name: SCENARIO_TABLE, keyNames: ['Id'] };

/** One record of a table stream batch, in geosim's terms. */
export interface StreamRecordInput {
  itemId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldImage: Item | undefined;
  newImage: Item | undefined;
  sequenceNumber: string;
  /** Epoch ms of the change. */
  at: number;
  /** A Time to Live delete: the record carries the service's userIdentity, as Lambda delivers it. */
  expired?: true;
}

/** A DynamoDB Streams batch as Lambda delivers it (NEW_AND_OLD_IMAGES, DynamoDB JSON images). */
export function streamEvent(records: readonly StreamRecordInput[], region: string, table: StreamTable = SCENARIO_STREAM_TABLE): { Records: Array<Record<string, unknown>> } {
  const arn = streamArn(region, table.name);
  return {
    Records: records.map((r) => {
      const newImage = r.newImage ? fromPlainItem(r.newImage as Record<string, PlainValue>) : undefined;
      const oldImage = r.oldImage ? fromPlainItem(r.oldImage as Record<string, PlainValue>) : undefined;
      const dynamodb: Record<string, unknown> = {
        ApproximateCreationDateTime: Math.floor(r.at / 1000),
        Keys: keysOf(table, newImage ?? oldImage, r.itemId),
        ...(newImage ? { NewImage: newImage } : {}),
        ...(oldImage ? { OldImage: oldImage } : {}),
        SequenceNumber: r.sequenceNumber,
        SizeBytes: Buffer.byteLength(JSON.stringify(newImage ?? oldImage ?? {})),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      };
      return {
        eventID: stableId(`stream ${region} ${r.sequenceNumber}`).replace(/-/g, '').slice(0, 32),
        eventName: r.eventName,
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: region,
        dynamodb,
        eventSourceARN: arn,
        // how a consumer tells an expiry from a delete (Lambda's event shape: lower-case keys)
        ...(r.expired ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
      };
    }),
  };
}

/** A stream record's Keys: the key attributes of its image (GlobalEventTable's `Id` is the item id). */
function keysOf(table: StreamTable, image: Record<string, unknown> | undefined, itemId: string): Record<string, unknown> {
  if (table === SCENARIO_STREAM_TABLE || image === undefined) return { Id: { S: itemId } };
  const keys: Record<string, unknown> = {};
  for (const name of table.keyNames) if (image[name] !== undefined) keys[name] = image[name];
  return keys;
}
