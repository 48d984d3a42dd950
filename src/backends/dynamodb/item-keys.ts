import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { keyString } from '../../sim/tables.js';
import type { Item as WireItem } from '../../dynamodb/values.js';
import { wireValue } from './attribute-codec.js';
import { DEFAULT_TABLE_NAME } from './schema.js';

/** A DynamoDB key (or item) as the SDK gives it. */
export type SdkKey = Record<string, SdkAttributeValue>;

/** What geosim needs to know of one region's table: where it is, what the scenario calls it, its key. */
export interface TableKeys {
  tableName: string;
  /** The name the scenario and its code use; absent: GlobalEventTable. */
  name?: string;
  /** Partition key, then the sort key if any; absent: `Id`. */
  keyNames?: readonly string[];
  /** Each key attribute's declared type (S, N or B); absent: `Id` is S. */
  keyTypes?: Readonly<Record<string, string>>;
}

/** One item of one of the run's tables: the table as the scenario names it, its key string and key. */
export interface ItemTarget {
  table: string;
  /** The key string (src/sim/tables.ts `keyString`): what the trace and the report call the item. */
  id: string;
  key: SdkKey;
}

export function scenarioName(table: TableKeys): string {
  return table.name ?? DEFAULT_TABLE_NAME;
}

export function keyNamesOf(table: TableKeys): readonly string[] {
  return table.keyNames ?? ['Id'];
}

/**
 * The item a request's Item or Key names on `table`, when every key attribute is there with its
 * declared type; else undefined (DynamoDB refuses such a request, and geosim has nothing to read,
 * stamp or trace for it).
 */
export function targetOf(table: TableKeys, itemOrKey: unknown): ItemTarget | undefined {
  if (itemOrKey === null || typeof itemOrKey !== 'object') return undefined;
  const source = itemOrKey as SdkKey;
  const key: SdkKey = {};
  for (const name of keyNamesOf(table)) {
    const value = source[name];
    const type = table.keyTypes?.[name] ?? 'S';
    if (value === undefined || value === null || typeof value !== 'object' || Object.keys(value).length !== 1 || !(type in value)) return undefined;
    key[name] = value;
  }
  return { table: scenarioName(table), id: keyStringOf(table, key), key };
}

/**
 * What the model's trace calls the item of a request DynamoDB refuses for its key's type (`Id: 42`
 * where the table's `Id` is a string: a ValidationException): every key attribute there, one value
 * each, of any type. The model names such a refusal (`REFUSED put 42`) and counts it in
 * `operationFailures`; on DynamoDB the trace names it the same way. Undefined when a key attribute
 * is missing (nothing to name, on either backend).
 */
export function mistypedTargetOf(table: TableKeys, itemOrKey: unknown): { table: string; id: string } | undefined {
  if (itemOrKey === null || typeof itemOrKey !== 'object') return undefined;
  const source = itemOrKey as SdkKey;
  const key: SdkKey = {};
  for (const name of keyNamesOf(table)) {
    const value = source[name];
    if (value === undefined || value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return undefined;
    key[name] = value;
  }
  return { table: scenarioName(table), id: keyStringOf(table, key) };
}

/** The key string of an item (or key) read from `table` (binary as base64, as the model prints it). */
export function keyStringOf(table: TableKeys, raw: SdkKey): string {
  return keyString(keyNamesOf(table), wireValue(raw) as WireItem);
}

/** GlobalEventTable's key of an item by Id (the built-in application's port). */
export function idTarget(table: TableKeys, id: string): ItemTarget {
  return { table: scenarioName(table), id, key: { Id: { S: id } } };
}
