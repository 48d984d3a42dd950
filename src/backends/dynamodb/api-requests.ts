import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import type { WriteOp } from '../../app/table-port.js';
import { DynamoDBError, type DynamoDBErrorName } from '../../dynamodb/errors.js';
import type { TraceEventInput, VersionStamp } from '../../trace/events.js';
import { REP_UPDATE_REGION, REP_UPDATE_TIME, REPLICATION_ATTRIBUTE_PREFIX, sdkValue, unmarshallItem, wireValue } from './attribute-codec.js';
import type { RegionTable } from './emulated-replication.js';
import { mapAwsError } from './errors.js';
import { DEFAULT_TABLE_NAME } from './schema.js';
import type { WriteObservation } from './table-port.js';

/** What the requests need from the substrate around them. */
export interface ApiRequestHost {
  table(region: string): RegionTable;
  /** The version stamp of a local write to `id` (emulated replication), if geosim stamps writes. */
  stamp(region: string, id: string): VersionStamp | undefined;
  /** Notes a write for the trace and replication, as the port's observer does. */
  observe(region: string, observation: WriteObservation): void;
  emit(event: TraceEventInput): void;
  now(): number;
  cause(): string | undefined;
}

/** The writes a scenario step in DynamoDB syntax can make, by operation. */
const WRITES: Record<string, 'put' | 'update' | 'delete'> = { PutItem: 'put', UpdateItem: 'update', DeleteItem: 'delete' };

/** The requests a scenario step in DynamoDB syntax can send (src/scenario/api-steps.ts). */
const COMMANDS = {
  GetItem: GetItemCommand,
  Query: QueryCommand,
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
} as const;

/**
 * Scenario steps written in DynamoDB syntax (issue 11 item 8), sent to a real table: the request
 * as the step wrote it, on the region's table of this run (whatever its name), with geosim's
 * replication stamp added to a write the way the port's own writes carry it (a hidden attribute
 * DynamoDB cannot tell from the user's), and the hidden attributes left out of every answer. A
 * write is read before and after (geosim is the only writer, one request at a time), so the trace
 * and the emulated replication see its images as they see the application's writes.
 */
export class ApiRequests {
  constructor(private readonly host: ApiRequestHost) {}

  async send(region: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!Object.hasOwn(COMMANDS, operation)) {
      throw new DynamoDBError('ValidationException', `geosim sends ${operation} only to the model: scenario steps in DynamoDB syntax are put, update, delete, read and query`);
    }
    const table = this.host.table(region);
    const request = sdkValue({ ...input, TableName: input.TableName === DEFAULT_TABLE_NAME || input.TableName === undefined ? table.tableName : input.TableName }) as Record<string, unknown>;
    const kind = WRITES[operation];
    const key = (operation === 'PutItem' ? request.Item : request.Key) as Record<string, SdkAttributeValue> | undefined;
    const id = key?.Id?.S;
    // A read, or a write DynamoDB will refuse for its key: nothing to stamp or trace as written.
    if (kind === undefined || id === undefined) return answer(await this.call(table, operation, request));
    const before = await this.read(table, id);
    const stamp = this.host.stamp(region, id);
    if (stamp !== undefined) stampRequest(kind, request, stamp);
    let out: Record<string, unknown>;
    try {
      out = await this.call(table, operation, request);
    } catch (error) {
      if (error instanceof DynamoDBError) this.refused(region, kind, id, input, error, before);
      throw error;
    }
    const after = await this.read(table, id);
    this.host.observe(region, { kind: 'written', op: syntheticOp(kind, id, after), before: before ?? null, after: after ?? null, stamp });
    return answer(out);
  }

  /** Traces a write DynamoDB refused, as the model traces it: a failed condition, or the error. */
  private refused(region: string, op: 'put' | 'update' | 'delete', itemId: string, input: Record<string, unknown>, error: DynamoDBError, current: Item | undefined): void {
    const cause = this.host.cause();
    const at = { t: this.host.now(), region, itemId };
    // The fields in the model's order (World.traceConditionFailed), so the JSON trace reads the same on both backends.
    const tail = { current: current ?? null, ...(cause !== undefined ? { cause } : {}) };
    if (error.name === 'ConditionalCheckFailedException') {
      const condition = typeof input.ConditionExpression === 'string' ? input.ConditionExpression : '';
      this.host.emit({ kind: 'condition-failed', ...at, condition, ...tail });
      return;
    }
    this.host.emit({ kind: 'operation-failed', ...at, op, error: { name: error.name, message: error.message }, ...tail });
  }

  private async read(table: RegionTable, id: string): Promise<Item | undefined> {
    const out = await this.call(table, 'GetItem', { TableName: table.tableName, Key: { Id: { S: id } }, ConsistentRead: true });
    return unmarshallItem(out.Item as Record<string, SdkAttributeValue> | undefined);
  }

  /** One request through the SDK; DynamoDB's refusals become DynamoDBError as the model throws them. */
  private async call(table: RegionTable, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const Command = COMMANDS[operation as keyof typeof COMMANDS] as new (input: never) => GetItemCommand;
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
}

/** Errors DynamoDB answers for the request itself (not the network, credentials or the server). */
const REFUSALS = new Set<string>(['ConditionalCheckFailedException', 'ValidationException', 'TransactionCanceledException', 'ResourceNotFoundException', 'ItemCollectionSizeLimitExceededException']);

function asDynamoDBError(error: unknown): DynamoDBError | undefined {
  if (!(error instanceof Error) || !REFUSALS.has(error.name)) return undefined;
  const extra: Record<string, unknown> = {};
  const item = (error as { Item?: Record<string, SdkAttributeValue> }).Item;
  if (item !== undefined) extra.Item = wireValue(stripHiddenDeep(item));
  const reasons = (error as { CancellationReasons?: unknown[] }).CancellationReasons;
  if (reasons !== undefined) extra.CancellationReasons = wireValue(stripHiddenDeep(reasons));
  return new DynamoDBError(error.name as DynamoDBErrorName, error.message, extra);
}

/** Adds geosim's replication stamp to a put's item or an update's SET clause. */
function stampRequest(kind: 'put' | 'update' | 'delete', request: Record<string, unknown>, stamp: VersionStamp): void {
  const ts: SdkAttributeValue = { N: String(stamp.ts) };
  const from: SdkAttributeValue = { S: stamp.region };
  if (kind === 'put') {
    request.Item = { ...(request.Item as Record<string, SdkAttributeValue>), [REP_UPDATE_TIME]: ts, [REP_UPDATE_REGION]: from };
    return;
  }
  if (kind !== 'update') return;
  request.ExpressionAttributeNames = { ...(request.ExpressionAttributeNames as Record<string, string> | undefined), '#geosimRepTime': REP_UPDATE_TIME, '#geosimRepRegion': REP_UPDATE_REGION };
  request.ExpressionAttributeValues = { ...(request.ExpressionAttributeValues as Record<string, SdkAttributeValue> | undefined), ':geosimRepTime': ts, ':geosimRepRegion': from };
  const stampSet = '#geosimRepTime = :geosimRepTime, #geosimRepRegion = :geosimRepRegion';
  const expression = typeof request.UpdateExpression === 'string' ? request.UpdateExpression : '';
  // Each clause keyword may appear once: join the SET clause there is, or add one. SET is a
  // reserved word, so outside a placeholder it can only be the keyword.
  const set = /(?<![#:\w.])SET\b/i.exec(expression);
  request.UpdateExpression = set ? `${expression.slice(0, set.index + set[0].length)} ${stampSet},${expression.slice(set.index + set[0].length)}` : `${expression} SET ${stampSet}`.trim();
}

/** The write as the replication bookkeeping knows writes: what kind, which item. */
function syntheticOp(kind: 'put' | 'update' | 'delete', id: string, after: Item | undefined): WriteOp {
  if (kind === 'put') return { kind, item: after ?? ({ Id: id } as Item) };
  return { kind, id };
}

/** An SDK answer as the JSON protocol gives it, without geosim's hidden attributes. */
function answer(out: Record<string, unknown>): Record<string, unknown> {
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
