/**
 * BatchGetItem (up to 100 keys) and BatchWriteItem (up to 25 puts and deletes). The model never
 * throttles, so UnprocessedKeys / UnprocessedItems are always empty.
 */
import type { Database } from '../database.js';
import { validation } from '../errors.js';
import { project } from '../expressions/index.js';
import { readUnits } from '../table.js';
import { itemSize } from '../value-ops.js';
import type { Item } from '../values.js';
import { capacityModeOf, checkKey, ConsumedByTable, setIf, type Input } from './common.js';
import { compileChecked, prepareDelete, preparePut, strayChecked, writeCapacity, type PreparedWrite } from './items.js';

const DUPLICATES = 'Provided list of item keys contains duplicates';
/** The most a BatchGetItem answer holds. */
const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

export function batchGetItem(db: Database, input: Input): Record<string, unknown> {
  const request = (input.RequestItems ?? {}) as Record<string, Input>;
  const tableNames = Object.keys(request);
  if (input.RequestItems === undefined) throw validation('The requestItems parameter is required for BatchGetItem');
  if (tableNames.length === 0) throw validation('BatchGetItem must have some requests set');
  const total = tableNames.reduce((n, t) => n + (Array.isArray(request[t]!.Keys) ? (request[t]!.Keys as unknown[]).length : 0), 0);
  if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
  const plans = tableNames.map((name) => {
    const table = db.table(name);
    const spec = request[name]!;
    if (!Array.isArray(spec.Keys) || spec.Keys.length === 0) throw validation(`The list of keys in RequestItems for BatchGetItem is required: ${name} has empty list`);
    // as DynamoDB Local checks them: the names no expression uses, each key in turn (a repeated one
    // where it repeats), then the projection
    const checked = strayChecked(spec, 'Get');
    const keys: Item[] = [];
    const seen = new Set<string>();
    for (const raw of spec.Keys as unknown[]) {
      const key = checkKey(table, raw);
      const id = table.encodeKey(key);
      if (seen.has(id)) throw validation(DUPLICATES);
      seen.add(id);
      keys.push(key);
    }
    const expressions = compileChecked(spec, checked);
    return { table, keys, projection: expressions.projection, consistent: spec.ConsistentRead === true };
  });
  const consumed = new ConsumedByTable();
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Input> = {};
  // The answer holds at most 16 MB: from the first item that would cross it, the keys come back in
  // UnprocessedKeys for the caller to ask again, as DynamoDB Local answers (the model never
  // throttles, but this limit is the response's size, not a rate)
  let size = 0;
  let full = false;
  for (const [t, plan] of plans.entries()) {
    const items: Item[] = [];
    const c = consumed.for(plan.table.name);
    for (const [k, key] of plan.keys.entries()) {
      const item = full ? undefined : plan.table.get(key);
      const answered = item === undefined ? undefined : plan.projection ? project(plan.projection, item) : item;
      const bytes = answered === undefined ? 0 : itemSize(answered);
      if (full || size + bytes > MAX_BATCH_GET_BYTES) {
        full = true;
        unprocessed[plan.table.name] = { ...request[tableNames[t]!]!, Keys: (request[tableNames[t]!]!.Keys as unknown[]).slice(k) };
        break;
      }
      if (item === undefined) continue;
      c.addTable(readUnits(itemSize(item), plan.consistent));
      size += bytes;
      items.push(answered!);
    }
    responses[plan.table.name] = items;
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  setIf(out, 'ConsumedCapacity', consumed.report(capacityModeOf(input)));
  return out;
}

export function batchWriteItem(db: Database, input: Input): Record<string, unknown> {
  const request = (input.RequestItems ?? {}) as Record<string, unknown[]>;
  const tableNames = Object.keys(request);
  if (tableNames.length === 0) throw validation('BatchWriteItem cannot have a null or no requests set');
  const total = tableNames.reduce((n, t) => n + (Array.isArray(request[t]) ? request[t]!.length : 0), 0);
  if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const writes: PreparedWrite[] = [];
  for (const name of tableNames) {
    if (!Array.isArray(request[name]) || request[name].length === 0) throw validation(`The batch write request list for a table cannot be null or empty: ${name}`);
    const seen = new Set<string>();
    for (const raw of request[name] ?? []) {
      const entry = raw as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
      let write: PreparedWrite;
      // a request is one of the two: a Put and a Delete together is refused, as a value of two types is
      if (entry.PutRequest !== undefined && entry.DeleteRequest !== undefined) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      if (entry.PutRequest !== undefined) write = preparePut(db, { TableName: name, Item: entry.PutRequest.Item });
      else if (entry.DeleteRequest !== undefined) write = prepareDelete(db, { TableName: name, Key: entry.DeleteRequest.Key });
      else throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      const id = write.table.encodeKey(write.key);
      if (seen.has(id)) throw validation(DUPLICATES);
      seen.add(id);
      writes.push(write);
    }
  }
  const consumed = new ConsumedByTable();
  for (const write of writes) {
    const old = write.table.get(write.key);
    const next = write.next(old);
    const c = writeCapacity(write.table, old, next);
    // DynamoDB Local charges 2 units for a DeleteRequest of an item that does not exist
    const tableUnits = old === undefined && next === undefined ? 2 : c.table;
    consumed.for(write.table.name).addTable(tableUnits).addIndexes(c.indexes);
    db.writeItem(write.table, write.key, next, 'request', write.table.encodeKey(write.key), write.kind === 'ConditionCheck' ? undefined : write.kind);
  }
  const out: Record<string, unknown> = { UnprocessedItems: {} };
  setIf(out, 'ConsumedCapacity', consumed.report(capacityModeOf(input)));
  return out;
}
