/**
 * What the item operations share: checking keys and items against a table's schema (DynamoDB
 * Local's messages), ReturnValues, and ConsumedCapacity as DynamoDB reports it.
 */
import { validation } from '../errors.js';
import { project, type Update } from '../expressions/index.js';
import type { IndexSchema, KeyAttribute, Table } from '../table.js';
import { checkItemSize, emptyKey, normalizeMap, utf8Length } from '../value-ops.js';
import { typeOf, type AttributeValue, type Item } from '../values.js';

export type Input = Record<string, unknown>;

/** `string` or `binary`: DynamoDB Local names an empty key value by its type. */
export const emptyKind = (value: AttributeValue): string => ('B' in value ? 'binary' : 'string');
export const EMPTY_KEY = (name: string, value: AttributeValue) => `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${name}`;

export function isEmptyKeyValue(value: AttributeValue): boolean {
  return ('S' in value && value.S === '') || ('B' in value && value.B === '');
}

/** A request's `Key`: exactly the table's key attributes, of their types, normalised. */
export function checkKey(table: Table, raw: unknown, owned = false): Item {
  // a key made for this request alone in normal form (precompiled.ts `owned`) is kept as it is
  const key = owned ? (raw as Item) : normalizeMap((raw ?? {}) as Item);
  const names = table.keyNames;
  // counted, not listed: no array and no closure per request
  let given = 0;
  for (const name in key) if (Object.hasOwn(key, name)) given++;
  if (given !== names.length) throw validation(KEY_COUNT_INVALID);
  // as many attributes as the key has: one missing (another named instead) is refused in its turn
  checkKeyTypes(table, key);
  // a key of one attribute, present (checked): the normalised copy is that key already
  if (names.length === 1) return key;
  const out = emptyKey();
  for (const n of names) out[n] = key[n]!;
  return out;
}

export const KEY_TYPE_MISMATCH = 'One or more parameter values were invalid: Type mismatch for key';
/** A key of too few or too many attributes. */
export const KEY_COUNT_INVALID = 'The number of conditions on the keys is invalid';
export const INDEX_KEY_TYPE_MISMATCH = 'One or more parameter values were invalid: Type mismatch for Index Key';
/**
 * A key value (the table's or an index's) that is no scalar (a map, list, set, BOOL or NULL):
 * DynamoDB Local refuses the request so, a transaction's too (no cancellation reason), where a
 * scalar of the wrong type is a type mismatch.
 */
export const INVALID_VALUE_TYPE = 'Invalid attribute value type';
const REQUIRED_KEY = 'One of the required keys was not given a value';

/**
 * The table's key attributes of an item or key, one after the other as DynamoDB Local checks them
 * (partition key, then sort key): each present, of its type, not empty, not too long.
 */
function checkKeyTypes(table: Table, item: Item): void {
  const { partitionKey, sortKey } = table.schema;
  checkKeyValue(partitionKey, item[partitionKey.name], MAX_PARTITION_KEY_BYTES);
  if (sortKey !== undefined) checkKeyValue(sortKey, item[sortKey.name], MAX_SORT_KEY_BYTES);
}

function checkKeyValue(k: KeyAttribute, value: AttributeValue | undefined, maxBytes: number): void {
  if (value === undefined) throw validation(REQUIRED_KEY);
  const type = typeOf(value);
  if (type !== k.type) throw validation(isScalar(type) ? KEY_TYPE_MISMATCH : INVALID_VALUE_TYPE);
  if (isEmptyKeyValue(value)) throw validation(EMPTY_KEY(k.name, value));
  if (keyBytes(value) > maxBytes) throw validation(KEY_TOO_LONG);
}

/** Whether a value of this type could be a key's (S, N or B). */
function isScalar(type: string): boolean {
  return type === 'S' || type === 'N' || type === 'B';
}

/** DynamoDB's limits on a key value: 2048 bytes for a partition key, 1024 for a sort key (tables and indexes alike). */
const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;
const KEY_TOO_LONG = 'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes';

/** The bytes of a key value: a string's UTF-8, a binary's decoded bytes; a number (38 digits at most) is far below either limit. */
export function keyBytes(value: AttributeValue): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: a string of up to 341 units is under any limit without reading it.
  if ('S' in value) return value.S.length <= 341 ? value.S.length : utf8Length(value.S);
  if ('B' in value) return base64Bytes(value.B);
  return 0;
}

function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

/**
 * An item to write: normalised, not nested too deep, at most 400 KB, with the table's key and the
 * index keys it holds of their types; checked in that order, as DynamoDB Local checks them.
 */
export function checkItem(table: Table, raw: unknown, owned = false): Item {
  const item = checkItemShape(raw, owned);
  checkKeyTypes(table, item);
  checkIndexKeys(table, item);
  return item;
}

/** An item to write normalised, not nested too deep, at most 400 KB: what DynamoDB checks of it before its keys. */
export function checkItemShape(raw: unknown, owned = false): Item {
  // an item made for this request alone in normal form (precompiled.ts `owned`) is kept as it is
  const item = owned ? (raw as Item) : normalizeMap((raw ?? {}) as Item);
  if (tooDeep(item)) throw validation('Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
  checkItemSize(item);
  return item;
}

/** Whether an attribute of the item nests maps and lists deeper than DynamoDB takes (an update's result is refused in shorter words). */
export function tooDeep(item: Item): boolean {
  for (const name in item) if (nestingOf(item[name]!) > MAX_NESTING) return true;
  return false;
}

/**
 * Whether an attribute an update set or added to nests too deep: the item's other attributes are
 * as a write already checked them (every stored item passed this limit), so only those are read.
 */
export function updateTooDeep(item: Item, update: Update): boolean {
  for (const action of update.actions) {
    if (action.kind === 'REMOVE') continue;
    const first = action.path[0];
    const value = first !== undefined && first.kind === 'name' ? item[first.name] : undefined;
    if (value !== undefined && nestingOf(value) > MAX_NESTING) return true;
  }
  return false;
}

/** Levels a value may have: an attribute's value is the first, each map or list inside it one more. */
const MAX_NESTING = 32;

/** A value's levels (1 for a scalar or set); stops counting past the limit. */
function nestingOf(value: AttributeValue, depth = 1): number {
  if (depth > MAX_NESTING) return depth;
  let deepest = depth;
  if ('M' in value) for (const name in value.M) deepest = Math.max(deepest, nestingOf(value.M[name]!, depth + 1));
  else if ('L' in value) for (const element of value.L) deepest = Math.max(deepest, nestingOf(element, depth + 1));
  return deepest;
}

/**
 * Index key attributes present in an item must have the index's type and not be empty. An item an
 * update made (`byUpdate`) with an empty index key is refused in the words DynamoDB Local uses for
 * an update, which name neither the index nor the key.
 */
export function checkIndexKeys(table: Table, item: Item, byUpdate = false): void {
  for (const index of table.schema.indexes) {
    checkIndexKey(index, index.partitionKey, item, byUpdate);
    if (index.sortKey !== undefined) checkIndexKey(index, index.sortKey, item, byUpdate);
  }
}

function checkIndexKey(index: IndexSchema, k: { name: string; type: string }, item: Item, byUpdate: boolean): void {
  const indexName = index.name;
  const value = item[k.name];
  if (value === undefined) return;
  const type = typeOf(value);
  if (type !== k.type) throw validation(isScalar(type) ? INDEX_KEY_TYPE_MISMATCH : INVALID_VALUE_TYPE);
  if (keyBytes(value) > (k === index.partitionKey ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES)) throw validation('One or more parameter values were invalid: Size limit exceeded');
  if (isEmptyKeyValue(value)) throw validation(byUpdate ? EMPTY_INDEX_KEY_BY_UPDATE(value) : EMPTY_INDEX_KEY(indexName, k.name, value));
}

const EMPTY_INDEX_KEY_BY_UPDATE = (value: AttributeValue) =>
  `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value.`;

export const EMPTY_INDEX_KEY = (index: string, key: string, value: AttributeValue) =>
  `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. IndexName: ${index}, IndexKey: ${key}`;

export type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

/** ReturnValues of a request, checked against what the operation allows. */
export function returnValuesOf(input: Input, allowed: readonly ReturnValues[]): ReturnValues {
  const value = (input.ReturnValues ?? 'NONE') as ReturnValues;
  if (!allowed.includes(value)) throw validation('Return values set to invalid value');
  return value;
}

/** The `Attributes` of a write's answer, or undefined for none. */
export function attributesFor(mode: ReturnValues, oldItem: Item | undefined, newItem: Item | undefined, update?: Update): Item | undefined {
  switch (mode) {
    case 'NONE':
      return undefined;
    case 'ALL_OLD':
      return oldItem;
    case 'ALL_NEW':
      return newItem;
    case 'UPDATED_OLD':
    case 'UPDATED_NEW': {
      const source = mode === 'UPDATED_OLD' ? oldItem : newItem;
      if (source === undefined || update === undefined) return undefined;
      const projected = project({ paths: update.actions.map((a) => a.path) }, source);
      return Object.keys(projected).length === 0 ? undefined : projected;
    }
  }
}

export type CapacityMode = 'NONE' | 'TOTAL' | 'INDEXES';

export function capacityModeOf(input: Input): CapacityMode {
  const mode = input.ReturnConsumedCapacity;
  return mode === 'TOTAL' || mode === 'INDEXES' ? mode : 'NONE';
}

/** Capacity units consumed on one table: by the table itself and by each index. */
export class Consumed {
  table = 0;
  readonly indexes = new Map<string, number>();
  /** Whether the table itself was read or written (an index Query reports Table 0). */
  touchedTable = false;

  constructor(readonly tableName: string) {}

  addTable(units: number): this {
    this.table += units;
    this.touchedTable = true;
    return this;
  }

  addIndex(name: string, units: number): this {
    this.indexes.set(name, (this.indexes.get(name) ?? 0) + units);
    return this;
  }

  addIndexes(units: Map<string, number>): this {
    for (const [name, n] of units) this.addIndex(name, n);
    return this;
  }

  scale(factor: number): this {
    this.table *= factor;
    for (const [name, n] of this.indexes) this.indexes.set(name, n * factor);
    return this;
  }

  get total(): number {
    let sum = this.table;
    for (const n of this.indexes.values()) sum += n;
    return sum;
  }

  report(mode: CapacityMode): Record<string, unknown> | undefined {
    if (mode === 'NONE') return undefined;
    const out: Record<string, unknown> = { TableName: this.tableName, CapacityUnits: this.total };
    if (mode === 'INDEXES') {
      out.Table = { CapacityUnits: this.table };
      if (this.indexes.size > 0) out.GlobalSecondaryIndexes = Object.fromEntries([...this.indexes].map(([n, u]) => [n, { CapacityUnits: u }]));
    }
    return out;
  }
}

/** ConsumedCapacity of a multi-table request (batch, transaction): one entry per table, in first-use order. */
export class ConsumedByTable {
  private readonly byTable = new Map<string, Consumed>();

  for(tableName: string): Consumed {
    let c = this.byTable.get(tableName);
    if (c === undefined) {
      c = new Consumed(tableName);
      this.byTable.set(tableName, c);
    }
    return c;
  }

  report(mode: CapacityMode): Record<string, unknown>[] | undefined {
    if (mode === 'NONE') return undefined;
    return [...this.byTable.values()].map((c) => c.report(mode)!);
  }
}

/** Sets `name` on `out` unless the value is undefined. */
export function setIf(out: Record<string, unknown>, name: string, value: unknown): void {
  if (value !== undefined) out[name] = value;
}
