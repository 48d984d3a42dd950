import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import type { WriteOp } from '../../app/table-port.js';
import { DynamoDBError, type DynamoDBErrorName } from '../../dynamodb/errors.js';
import type { VersionStamp } from '../../trace/events.js';
import { REP_UPDATE_REGION, REP_UPDATE_TIME, REPLICATION_ATTRIBUTE_PREFIX, unmarshallItem, wireValue } from './attribute-codec.js';
import type { RegionTable } from './emulated-replication.js';
import { mapAwsError } from './errors.js';
import { keyStringOf, type ItemTarget, type SdkKey } from './item-keys.js';

/**
 * The pieces every request a handler or a scenario step sends to a real table shares: one SDK
 * call with DynamoDB's refusals as the model throws them, consistent reads of the items a write
 * names, geosim's replication stamp on a write, and the answer as the JSON protocol gives it.
 */

/** The DynamoDB API operations geosim passes on to a real table (src/backends/dynamodb/api-requests.ts). */
export const COMMANDS = {
  GetItem: GetItemCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchGetItem: BatchGetItemCommand,
  TransactGetItems: TransactGetItemsCommand,
  DescribeTable: DescribeTableCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  BatchWriteItem: BatchWriteItemCommand,
} as const;

export type Operation = keyof typeof COMMANDS;

/** One request through the SDK; DynamoDB's refusals become DynamoDBError as the model throws them. */
export async function callTable(table: RegionTable, operation: Operation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const Command = COMMANDS[operation] as unknown as new (input: never) => GetItemCommand;
  try {
    const out = (await table.client.send(new Command(input as never))) as unknown as Record<string, unknown>;
    const { $metadata: _metadata, ...rest } = out;
    return rest;
  } catch (error) {
    const refusal = asDynamoDBError(error);
    if (refusal !== undefined) throw refusal;
    throw mapAwsError(error, { operation, region: table.region, tableName: table.tableName, ...(table.endpoint ? { endpoint: table.endpoint } : {}) });
  }
}

/** One item of a region's table as the application sees it, read consistently. */
export async function readItem(table: RegionTable, key: SdkKey): Promise<Item | undefined> {
  const out = await callTable(table, 'GetItem', { TableName: table.tableName, Key: key, ConsistentRead: true });
  return unmarshallItem(out.Item as Record<string, SdkAttributeValue> | undefined);
}

/**
 * Several items of a region's table, read consistently in as few requests as DynamoDB allows
 * (each item once: a request naming an item twice is DynamoDB's to refuse, not geosim's reads),
 * by key string.
 */
export async function readItems(table: RegionTable, targets: readonly ItemTarget[]): Promise<Map<string, Item | undefined>> {
  const unique = [...new Map(targets.map((t) => [t.id, t.key])).values()];
  const out = new Map<string, Item | undefined>(targets.map((t) => [t.id, undefined]));
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let keys: unknown = { Keys: unique.slice(i, i + BATCH_GET_LIMIT), ConsistentRead: true };
    while (keys !== undefined) {
      const answer = await callTable(table, 'BatchGetItem', { RequestItems: { [table.tableName]: keys } });
      for (const raw of ((answer.Responses as Record<string, unknown[]> | undefined)?.[table.tableName] ?? []) as Record<string, SdkAttributeValue>[]) {
        const item = unmarshallItem(raw);
        if (item !== undefined) out.set(keyStringOf(table, raw), item);
      }
      keys = (answer.UnprocessedKeys as Record<string, unknown> | undefined)?.[table.tableName];
    }
  }
  return out;
}

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_LIMIT = 100;

/** Errors DynamoDB answers for the request itself (not the network, credentials or the server). */
const REFUSALS = new Set<string>([
  'ConditionalCheckFailedException',
  'ValidationException',
  'TransactionCanceledException',
  'ResourceNotFoundException',
  'ItemCollectionSizeLimitExceededException',
  'IdempotentParameterMismatchException',
]);

function asDynamoDBError(error: unknown): DynamoDBError | undefined {
  if (!(error instanceof Error) || !REFUSALS.has(error.name)) return undefined;
  const extra: Record<string, unknown> = {};
  const item = (error as { Item?: Record<string, SdkAttributeValue> }).Item;
  if (item !== undefined) extra.Item = wireValue(stripHiddenDeep(item));
  const reasons = (error as { CancellationReasons?: unknown[] }).CancellationReasons;
  if (reasons !== undefined) extra.CancellationReasons = wireValue(stripHiddenDeep(reasons));
  return new DynamoDBError(error.name as DynamoDBErrorName, error.message, extra);
}

export type WriteKind = 'put' | 'update' | 'delete';

/** Adds geosim's replication stamp to a put's item or an update's SET clause (a delete carries none). */
export function stampRequest(kind: WriteKind, request: Record<string, unknown>, stamp: VersionStamp): void {
  const ts: SdkAttributeValue = { N: String(stamp.ts) };
  const from: SdkAttributeValue = { S: stamp.region };
  if (kind === 'put') {
    request.Item = { ...(request.Item as Record<string, SdkAttributeValue>), [REP_UPDATE_TIME]: ts, [REP_UPDATE_REGION]: from };
    return;
  }
  if (kind !== 'update') return;
  // DynamoDB refuses an empty map of names or values ("ExpressionAttributeNames must not be
  // empty"): the stamp's placeholders must not fill it and make the request pass. Sent as given,
  // it is refused and writes nothing, so it needs no stamp.
  if (isEmptyMap(request.ExpressionAttributeNames) || isEmptyMap(request.ExpressionAttributeValues)) return;
  request.ExpressionAttributeNames = { ...(request.ExpressionAttributeNames as Record<string, string> | undefined), '#geosimRepTime': REP_UPDATE_TIME, '#geosimRepRegion': REP_UPDATE_REGION };
  request.ExpressionAttributeValues = { ...(request.ExpressionAttributeValues as Record<string, SdkAttributeValue> | undefined), ':geosimRepTime': ts, ':geosimRepRegion': from };
  const stampSet = '#geosimRepTime = :geosimRepTime, #geosimRepRegion = :geosimRepRegion';
  const expression = typeof request.UpdateExpression === 'string' ? request.UpdateExpression : '';
  // Each clause keyword may appear once: join the SET clause there is, or add one. SET is a
  // reserved word, so outside a placeholder it can only be the keyword.
  const set = /(?<![#:\w.])SET\b/i.exec(expression);
  request.UpdateExpression = set ? `${expression.slice(0, set.index + set[0].length)} ${stampSet},${expression.slice(set.index + set[0].length)}` : `${expression} SET ${stampSet}`.trim();
}

function isEmptyMap(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** The write as the replication bookkeeping knows writes: what kind, which item. */
export function syntheticOp(kind: WriteKind, id: string, after: Item | undefined): WriteOp {
  if (kind === 'put') return { kind, item: after ?? ({ Id: id } as Item) };
  return { kind, id };
}

/** An SDK answer as the JSON protocol gives it, without geosim's hidden attributes. */
export function answer(out: Record<string, unknown>): Record<string, unknown> {
  return wireValue(stripHiddenDeep(out)) as Record<string, unknown>;
}

/** Leaves geosim's hidden replication attributes out of an answer, wherever an item appears. */
function stripHiddenDeep(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(stripHiddenDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!k.startsWith(REPLICATION_ATTRIBUTE_PREFIX)) out[k] = stripHiddenDeep(v);
  }
  return out;
}
