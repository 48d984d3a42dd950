/**
 * GetItem, PutItem, UpdateItem and DeleteItem. Each write is prepared first (schema, expressions,
 * parameters: everything DynamoDB checks before reading the item) as a `PreparedWrite`, which
 * TransactWriteItems and BatchWriteItem reuse.
 */
import type { Database } from '../database.js';
import { DynamoDBError, validation } from '../errors.js';
import { applyUpdate, compileExpressions, evaluateCondition, project, type CompiledExpressions, type ExpressionInput, type Update } from '../expressions/index.js';
import { readUnits, writeUnits, type Table } from '../table.js';
import { checkItemSize, emptyMap, itemSize, UPDATED_ITEM_TOO_LARGE } from '../value-ops.js';
import type { Item } from '../values.js';
import { attributesFor, capacityModeOf, checkIndexKeys, checkItem, checkKey, Consumed, returnValuesOf, setIf, updateTooDeep, type Input, type ReturnValues } from './common.js';
import { isOwned, precompiledFor } from './precompiled.js';
import { withoutStrayPlaceholders, type ExpressionUse } from '../expressions/stray-placeholders.js';
import { rewrittenFromLegacy } from '../legacy.js';

export function expressionInput(input: Input): ExpressionInput {
  const out: ExpressionInput = {};
  for (const name of ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression', 'KeyConditionExpression', 'FilterExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'] as const) {
    if (input[name] !== undefined) (out as Record<string, unknown>)[name] = input[name];
  }
  return out;
}

/** The request's expressions compiled (see compileExpressions), for a request of `use` (which names DynamoDB's refusal of values it cannot use). */
export function compile(input: Input, use: ExpressionUse): CompiledExpressions {
  return compileChecked(input, strayChecked(input, use));
}

/**
 * The request's expressions as the compiler reads them, names and values that no expression could
 * use refused (DynamoDB checks them before anything else of the request); undefined for a request
 * whose expressions arrive compiled (`precompiled`).
 */
export function strayChecked(input: Input, use: ExpressionUse): ExpressionInput | undefined {
  return precompiledFor(input) !== undefined ? undefined : withoutStrayPlaceholders(expressionInput(input), use);
}

/** The expressions `strayChecked` gave, compiled. */
export function compileChecked(input: Input, checked: ExpressionInput | undefined): CompiledExpressions {
  return checked === undefined ? precompiledFor(input)! : compileExpressions(checked, { fromLegacy: rewrittenFromLegacy(input) });
}

/** A shallow copy of an item (its values are never changed in place, so they can be shared). */
function copyMap(item: Item): Item {
  const out = emptyMap();
  for (const name of Object.keys(item)) out[name] = item[name]!;
  return out;
}

export const CONDITION_FAILED = 'The conditional request failed';

/** A write checked and ready to run against the item it addresses. */
export interface PreparedWrite {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: Table;
  key: Item;
  condition: CompiledExpressions['condition'];
  update?: Update | undefined;
  returnOnFailure: boolean;
  /** The item after the write (undefined: deleted); `old` is the item before. May throw ValidationException. */
  next(old: Item | undefined): Item | undefined;
}

/** Whether a refused condition answers with the item (ReturnValuesOnConditionCheckFailure, checked: ALL_OLD or NONE). */
function returnOnFailure(input: Input): boolean {
  const value = input.ReturnValuesOnConditionCheckFailure;
  if (value === undefined || value === 'NONE') return false;
  if (value === 'ALL_OLD') return true;
  throw validation(`1 validation error detected: Value '${String(value)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`);
}

/**
 * The order in which a write's parts are checked, as DynamoDB Local checks them: a request of its
 * own its item or key (then ReturnValuesOnConditionCheckFailure) before its expressions ('key
 * first'); a transaction's entry its expressions first (Local parses every entry's expressions
 * before it reads any entry's key). Names and values no expression could use come before either.
 */
export type CheckOrder = 'key first' | 'expressions first';

export function preparePut(db: Database, input: Input, order: CheckOrder = 'key first'): PreparedWrite {
  const table = db.table(input.TableName);
  const checked = strayChecked(input, 'Put');
  const early = order === 'expressions first' ? compileChecked(input, checked) : undefined;
  const item = checkItem(table, input.Item, isOwned(input));
  const onFailure = returnOnFailure(input);
  const expressions = early ?? compileChecked(input, checked);
  return new PreparedPut(table, table.keyOf(item), expressions.condition, onFailure, item);
}

/*
 * A Put's and an Update's prepared write as classes, not literals with a closure for `next`: one
 * object per write instead of three (the closure and its context), on every write of a run.
 */
class PreparedPut implements PreparedWrite {
  readonly kind = 'Put';
  constructor(
    readonly table: Table,
    readonly key: Item,
    readonly condition: CompiledExpressions['condition'],
    readonly returnOnFailure: boolean,
    private readonly item: Item,
  ) {}

  next(): Item {
    return this.item;
  }
}

class PreparedUpdate implements PreparedWrite {
  readonly kind = 'Update';
  constructor(
    readonly table: Table,
    readonly key: Item,
    readonly condition: CompiledExpressions['condition'],
    readonly returnOnFailure: boolean,
    readonly update: Update | undefined,
    /** Whether the update came from AttributeUpdates (see prepareUpdate). */
    private readonly fromLegacy: boolean,
  ) {}

  next(old: Item | undefined): Item {
    const { update, key, table } = this;
    // a new object even when nothing changes: a stored item is never stored again (the model marks each with its version)
    if (update === undefined) return old === undefined ? key : copyMap(old);
    const item = applyUpdate(update, old, key, table.keyNames);
    if (updateTooDeep(item, update)) throw validation('Nesting Levels have exceeded supported limits');
    checkIndexKeys(table, item, !this.fromLegacy);
    checkItemSize(item, UPDATED_ITEM_TOO_LARGE);
    return item;
  }
}

export function prepareDelete(db: Database, input: Input, order: CheckOrder = 'key first'): PreparedWrite {
  const table = db.table(input.TableName);
  const checked = strayChecked(input, 'Delete');
  const early = order === 'expressions first' ? compileChecked(input, checked) : undefined;
  const key = checkKey(table, input.Key);
  const onFailure = returnOnFailure(input);
  const expressions = early ?? compileChecked(input, checked);
  return { kind: 'Delete', table, key, condition: expressions.condition, returnOnFailure: onFailure, next: () => undefined };
}

export function prepareUpdate(db: Database, input: Input, order: CheckOrder = 'key first'): PreparedWrite {
  const table = db.table(input.TableName);
  const checked = strayChecked(input, 'Update');
  const early = order === 'expressions first' ? compileChecked(input, checked) : undefined;
  const key = checkKey(table, input.Key, isOwned(input));
  const onFailure = returnOnFailure(input);
  const expressions = early ?? compileChecked(input, checked);
  // an empty index key an UpdateExpression sets is refused in an update's words, one AttributeUpdates puts in a put's (Local)
  return new PreparedUpdate(table, key, expressions.condition, onFailure, expressions.update, rewrittenFromLegacy(input));
}

/** A transaction's ConditionCheck: its expressions checked first, as every transaction entry's are (CheckOrder). */
export function prepareConditionCheck(db: Database, input: Input): PreparedWrite {
  const table = db.table(input.TableName);
  const expressions = compile(input, 'ConditionCheck');
  const key = checkKey(table, input.Key);
  return { kind: 'ConditionCheck', table, key, condition: expressions.condition, returnOnFailure: returnOnFailure(input), next: (old) => old };
}

/** Whether the write's condition holds on the current item. */
export function conditionHolds(write: PreparedWrite, old: Item | undefined): boolean {
  return write.condition === undefined || evaluateCondition(write.condition, old);
}

/** Write units of replacing `old` by `next` on the table and its indexes. */
export function writeCapacity(table: Table, old: Item | undefined, next: Item | undefined): Consumed {
  const size = Math.max(old ? itemSize(old) : 0, next ? itemSize(next) : 0);
  return new Consumed(table.name).addTable(writeUnits(size)).addIndexes(table.indexWriteUnits(old, next));
}

/** Runs a prepared single-item write: condition, write, listeners. Returns the old and new items. */
function runWrite(db: Database, write: PreparedWrite): { old: Item | undefined; next: Item | undefined } {
  const encoded = write.table.encodeKey(write.key);
  const old = write.table.getEncoded(encoded);
  if (!conditionHolds(write, old)) {
    throw new DynamoDBError('ConditionalCheckFailedException', CONDITION_FAILED, write.returnOnFailure && old !== undefined ? { Item: old } : {});
  }
  const next = write.next(old);
  db.writeItem(write.table, write.key, next, 'request', encoded, write.kind === 'ConditionCheck' ? undefined : write.kind, old ?? null);
  return { old, next };
}

function writeAnswer(input: Input, write: PreparedWrite, mode: ReturnValues, old: Item | undefined, next: Item | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  setIf(out, 'Attributes', attributesFor(mode, old, next, write.update));
  const capacity = capacityModeOf(input);
  // Item sizes are only worth computing when the caller asked for the capacity.
  if (capacity !== 'NONE') setIf(out, 'ConsumedCapacity', writeCapacity(write.table, old, next).report(capacity));
  return out;
}

export function putItem(db: Database, input: Input): Record<string, unknown> {
  const mode = returnValuesOf(input, ['NONE', 'ALL_OLD']);
  const write = preparePut(db, input);
  const { old, next } = runWrite(db, write);
  return writeAnswer(input, write, mode, old, next);
}

export function deleteItem(db: Database, input: Input): Record<string, unknown> {
  const mode = returnValuesOf(input, ['NONE', 'ALL_OLD']);
  const write = prepareDelete(db, input);
  const { old, next } = runWrite(db, write);
  return writeAnswer(input, write, mode, old, next);
}

export function updateItem(db: Database, input: Input): Record<string, unknown> {
  const mode = returnValuesOf(input, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
  const write = prepareUpdate(db, input);
  const { old, next } = runWrite(db, write);
  return writeAnswer(input, write, mode, old, next);
}

export function getItem(db: Database, input: Input): Record<string, unknown> {
  const table = db.table(input.TableName);
  const expressions = compile(input, 'Get');
  const key = checkKey(table, input.Key);
  const item = table.get(key);
  const out: Record<string, unknown> = {};
  if (item !== undefined) out.Item = expressions.projection ? project(expressions.projection, item) : item;
  const consumed = new Consumed(table.name).addTable(readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true));
  setIf(out, 'ConsumedCapacity', consumed.report(capacityModeOf(input)));
  return out;
}
