import { describeCondition, evaluateCondition } from '../app/condition.js';
import type { AttributeValue, Item } from '../app/item.js';
import { TableOperationError, writeError, type TableErrorInfo } from '../app/table-errors.js';
import { RegionDownError } from './faults/outage-refusal.js';
import { writeOpId, type CancellationReason, type TransactOutcome, type WriteOp, type WriteOutcome } from '../app/table-port.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import { fromPlain, fromPlainItem, toPlainItem, type PlainValue } from '../dynamodb/plain.js';
import type { Item as WireItem } from '../dynamodb/values.js';
import { emptyKey, emptyMapFor } from '../dynamodb/value-ops.js';
import { ExpressionBuilder, updateExpression } from '../backends/dynamodb/expression.js';
import { IDEMPOTENCY_INDEX } from '../backends/dynamodb/schema.js';
import { isTrustedShape, normalAsMade, precompile, trustedTrees, trustShape } from './app-expressions.js';
import { ownKeyed, ownPut, precompiledFor } from '../dynamodb/operations/precompiled.js';
import { SCENARIO_TABLE, type Replica } from './replica.js';
import { TransactionByName } from '../dynamodb/table-arn.js';


/**
 * What the application's requests need from the model: its regional endpoints and the tracing of
 * refusals worded in the application's terms. The World provides it.
 */
export interface ModelRequests {
  call(region: string, operation: string, input: Record<string, unknown>, options?: { quiet?: boolean }): Record<string, unknown>;
  replica(region: string): Replica;
  readonly lastTransaction: string | undefined;
  traceConditionFailed(region: string, itemId: string, condition: string, current: Item | undefined, transaction: string | undefined): void;
  traceOperationFailed(region: string, itemId: string, op: 'put' | 'update' | 'delete', error: TableErrorInfo, current: Item | undefined, transaction: string | undefined): void;
  /** MRSC: how long the last call's answer takes to come back (its round trip), read once; absent or 0: at once. */
  takeAnswerDelay?(): number;
}

/**
 * The application's table operations as requests of the DynamoDB API to one region's endpoint
 * (the same requests the port over DynamoDB sends), served at the current virtual instant. They
 * trace their own failures, worded in the application's terms (its condition tree, the operation
 * DynamoDB refused).
 */
export function getItem(world: ModelRequests, region: string, id: string, consistent = false): Item | undefined {
  const input: Record<string, unknown> = { TableName: SCENARIO_TABLE, Key: keyOf(writeIdKey(id)) };
  // Asked only when strong: MRSC refuses a strong read in a region without quorum.
  if (consistent) input.ConsistentRead = true;
  let out: Record<string, unknown>;
  try {
    out = world.call(region, 'GetItem', input);
  } catch (error) {
    // A read DynamoDB refused (MRSC without quorum) throws as the SDK does; the reader traces it.
    if (error instanceof DynamoDBError) throw new TableOperationError({ name: error.name, message: error.message });
    throw error;
  }
  return out.Item === undefined ? undefined : (toPlainItem(out.Item as WireItem) as Item);
}

/** The options of a request whose refusals the application traces itself (one object for every request). */
const QUIET = Object.freeze({ quiet: true });

export function writeItem(world: ModelRequests, region: string, op: WriteOp): WriteOutcome {
  const input = leanInput(op, 'ALL_OLD', region);
  try {
    world.call(region, OPERATIONS[op.kind], input, QUIET);
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    if (error.name === 'ConditionalCheckFailedException') {
      const current = plainOrUndefined(error.extra.Item);
      world.traceConditionFailed(region, writeOpId(op), describeCondition(op.condition!), current, undefined);
      return { ok: false, reason: 'condition-failed', current };
    }
    return refused(world, region, [op], error, undefined);
  }
  return { ok: true, item: world.replica(region).item(writeOpId(op)) };
}

export function transactWriteItems(world: ModelRequests, region: string, ops: WriteOp[]): TransactOutcome {
  // made at its size (an array grown by push starts at 16 slots; most transactions hold two writes)
  const TransactItems = new Array<Record<string, unknown>>(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const input = leanInput(op, 'ALL_OLD', region);
    TransactItems[i] = transactEntry(op.kind, input);
  }
  try {
    world.call(region, 'TransactWriteItems', new TransactionByName(TransactItems), QUIET);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    const transaction = world.lastTransaction;
    if (error.name !== 'TransactionCanceledException') return refused(world, region, ops, error, transaction);
    const raw = (error.extra.CancellationReasons ?? []) as { Code?: string; Item?: unknown }[];
    const reasons: CancellationReason[] = ops.map((op, i) => {
      if (raw[i]?.Code !== 'ConditionalCheckFailed') return { code: 'None' };
      const current = plainOrUndefined(raw[i]!.Item);
      world.traceConditionFailed(region, writeOpId(op), describeCondition(op.condition!), current, transaction);
      return { code: 'ConditionalCheckFailed', current };
    });
    return { ok: false, reasons };
  }
}

/** Query on the IdempotencyIndex GSI, every page, sorted by Id. */
export function queryByIdempotencyKey(world: ModelRequests, region: string, key: string): Item[] {
  const items: Item[] = [];
  let start: unknown;
  do {
    const out = world.call(region, 'Query', {
      TableName: SCENARIO_TABLE,
      IndexName: IDEMPOTENCY_INDEX,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': 'IdempotencyKey' },
      ExpressionAttributeValues: { ':k': { S: key } },
      ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
    });
    for (const raw of out.Items as WireItem[]) items.push(toPlainItem(raw) as Item);
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}

/**
 * DynamoDB refused a write (or a whole transaction) for what an item holds; its answer names no
 * item, so find the operation it refused as the port over DynamoDB does: the first whose own
 * condition passes and that `writeError` rejects. Trace it and throw as the SDK would.
 */
function refused(world: ModelRequests, region: string, ops: WriteOp[], error: DynamoDBError, transaction: string | undefined): never {
  const replica = world.replica(region);
  const info = { name: error.name, message: error.message };
  // a region that is down refused the request, not an item: traced as request-rejected already
  if (error instanceof RegionDownError) throw new TableOperationError(info);
  const culprit =
    ops.find((op) => {
      const current = replica.item(writeOpId(op));
      return (op.condition === undefined || evaluateCondition(op.condition, current)) && writeError(op, current) !== undefined;
    }) ?? ops[0]!;
  world.traceOperationFailed(region, writeOpId(culprit), culprit.kind, info, replica.item(writeOpId(culprit)), transaction);
  throw new TableOperationError(info);
}

const OPERATIONS = { put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem' } as const;

/**
 * The request of one of the application's writes, lean when it can be: once a shape of request
 * (see `isTrustedShape`) has been built in full and its compiled trees found equal to the
 * compiler's (requestFor, precompile), later writes of that shape carry only their trees, their
 * key or item, and no expression strings. The endpoint reads nothing else of a request that
 * carries its trees, so the answer is the same, without building and discarding strings and
 * placeholder maps on every write of a run. A value the compiler must judge (an invalid number, an
 * empty set) sends the full request.
 */
export function leanRequestFor(op: WriteOp): { operation: string; input: Record<string, unknown> } {
  return { operation: OPERATIONS[op.kind], input: leanInput(op, undefined, undefined) };
}

/** The input of `leanRequestFor`'s request (its operation is OPERATIONS[op.kind]): no pair made per write. */
function leanInput(op: WriteOp, onConditionFailure: 'ALL_OLD' | undefined, region: string | undefined): Record<string, unknown> {
  if (region !== undefined) sharedRegion = regionValue(region);
  const set = op.kind === 'update' ? withoutKey(op.set ?? {}) : undefined;
  if (isTrustedShape(op, set)) {
    const trees = trustedTrees(op, set, toWire as (value: unknown) => WireItem[string]);
    if (trees !== undefined) {
      // the item or key is made here for this request alone: the endpoint may keep it rather than
      // copy it, when in normal form (a key made by keyOf is: one string attribute)
      if (op.kind === 'put') {
        const item = wireItem(op.item as Record<string, PlainValue>);
        return ownPut(SCENARIO_TABLE, item, onConditionFailure, normalAsMade(item), trees);
      }
      return ownKeyed(SCENARIO_TABLE, keyOf(writeIdKey(op.id)), onConditionFailure, trees);
    }
  }
  const full = requestFor(op).input;
  if (precompiledFor(full) !== undefined) trustShape(op, set);
  if (onConditionFailure !== undefined) full.ReturnValuesOnConditionCheckFailure = onConditionFailure;
  return full;
}

/** An update's SET attributes without the key (the key cannot be SET; an update names its item by `id`). */
function withoutKey(set: Record<string, AttributeValue>): Record<string, AttributeValue> {
  if (!Object.hasOwn(set, 'Id')) return set;
  const rest = { ...set };
  delete rest['Id'];
  return rest;
}

/** A write's entry of TransactItems; object literals with their key written out (a computed key builds the object on a slow path). */
function transactEntry(kind: WriteOp['kind'], input: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'put') return { Put: input };
  if (kind === 'update') return { Update: input };
  return { Delete: input };
}

/** The DynamoDB request of one of the application's writes (the same expressions the port over DynamoDB sends). */
export function requestFor(op: WriteOp): { operation: string; input: Record<string, unknown> } {
  // the values in placeholder order, for the compiled trees the request goes with (precompile)
  const values: WireItem[string][] = [];
  const builder = new ExpressionBuilder((value) => {
    const wire = toWire(value);
    values.push(wire);
    return wire;
  });
  // Built field by field, not by spreads: this runs for every write of a run.
  const input: Record<string, unknown> = { TableName: SCENARIO_TABLE };
  if (op.condition !== undefined) input.ConditionExpression = builder.condition(op.condition);
  let operation: string;
  let set: Record<string, AttributeValue> | undefined;
  switch (op.kind) {
    case 'put':
      operation = 'PutItem';
      input.Item = fromPlainItem(op.item as Record<string, PlainValue>);
      break;
    case 'update': {
      operation = 'UpdateItem';
      input.Key = keyOf(writeIdKey(op.id));
      set = withoutKey(op.set ?? {});
      const update = updateExpression(builder, set, op.add ?? {});
      // An update with nothing to change still creates the item, as UpdateItem does.
      if (update !== undefined) input.UpdateExpression = update;
      break;
    }
    case 'delete':
      operation = 'DeleteItem';
      input.Key = keyOf(writeIdKey(op.id));
      break;
  }
  const attributes = builder.attributes();
  if (attributes.ExpressionAttributeNames !== undefined) input.ExpressionAttributeNames = attributes.ExpressionAttributeNames;
  if (attributes.ExpressionAttributeValues !== undefined) input.ExpressionAttributeValues = attributes.ExpressionAttributeValues;
  precompile(op, set, input, operation, values);
  return { operation, input };
}

/**
 * The regions' names as attribute values, one object per name: every write of the application
 * holds its region's name (an idempotency record's Region, an item's LastUpdatedRegion, the
 * client-lww condition's), and every item a run stores keeps it. Shared as stored values already
 * are between an item's versions and its replicas: a stored value is never changed in place.
 */
const regionValues: { S: string }[] = [];
/** Names remembered at most (a run has a handful of regions; past this, values are made per write). */
const MAX_REGION_VALUES = 16;

function regionValue(region: string): { S: string } {
  for (let i = 0; i < regionValues.length; i++) if (regionValues[i]!.S === region) return regionValues[i]!;
  const value = { S: region };
  if (regionValues.length < MAX_REGION_VALUES) regionValues.push(value);
  return value;
}

/** The value of the region of the request being made (leanInput): its name converts to it. Any equal string may share it. */
let sharedRegion: { S: string } = { S: '' };

function toWire(value: AttributeValue, path = ''): WireItem[string] {
  if (typeof value === 'string') return value === sharedRegion.S ? sharedRegion : { S: value };
  if (typeof value === 'number') return wireNumber(value, treeNumber, path);
  return fromPlain(value as PlainValue, path);
}

/**
 * The last number converted, and its value, shared with the next conversion of the same number:
 * one for the requests' expressions (a client-lww write holds its client time three times) and
 * one for a put's item (every idempotency record of a second expires at the same second).
 */
interface LastNumber {
  plain: number;
  wire: WireItem[string];
}
const treeNumber: LastNumber = { plain: NaN, wire: { NULL: true } };
const putNumber: LastNumber = { plain: NaN, wire: { NULL: true } };

function wireNumber(value: number, last: LastNumber, path: string): WireItem[string] {
  // NaN equals nothing and an infinity is never kept (fromPlain refuses both); -0 and 0 are both "0"
  if (value === last.plain) return last.wire;
  const wire = fromPlain(value, path);
  last.plain = value;
  last.wire = wire;
  return wire;
}

/**
 * `fromPlainItem` of a put's item, its region's name and its repeated numbers as shared values
 * (toWire), and a string equal to the attribute's before it as that attribute's value: an
 * idempotency record's IdempotencyKey and EventId are one string unless the event names a key of
 * its own, and the record outlives the run's every scavenge (one value object less to copy).
 */
function wireItem(item: Record<string, PlainValue>): WireItem {
  let names = 0;
  for (const name in item) if (Object.hasOwn(item, name)) names++;
  const out = emptyMapFor(names);
  let last: WireItem[string] | undefined;
  let lastString: string | undefined;
  for (const name in item) {
    if (!Object.hasOwn(item, name)) continue;
    const value = item[name];
    if (typeof value === 'string' && value === lastString) {
      out[name] = last!;
      continue;
    }
    const wire = typeof value === 'number' ? wireNumber(value, putNumber, name) : toWire(value as AttributeValue, name);
    out[name] = wire;
    last = wire;
    lastString = typeof value === 'string' ? value : undefined;
  }
  return out;
}

function writeIdKey(id: string): { Id: string } {
  return { Id: id };
}

function keyOf(key: { Id: string }): WireItem {
  // an item id is a string (as fromPlainItem would convert it, without walking the key): every write makes its key here
  if (typeof key.Id !== 'string') return fromPlainItem(key);
  const wire = emptyKey();
  wire.Id = { S: key.Id };
  return wire;
}

function plainOrUndefined(item: unknown): Item | undefined {
  return item === undefined ? undefined : (toPlainItem(item as WireItem) as Item);
}
