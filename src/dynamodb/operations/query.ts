/**
 * Query and Scan on a table or a global secondary index: key condition, filter, projection,
 * Select, Limit, ExclusiveStartKey / LastEvaluatedKey, the 1 MB page, Scan segments.
 */
import type { Database } from '../database.js';
import { validation } from '../errors.js';
import { evaluateCondition, keyConditionFor, project, type Condition, type KeyConditionParts, type Operand } from '../expressions/index.js';
import { readUnits, type KeyAttribute, type KeySpace, type Table } from '../table.js';
import { compareValues, itemSize, normalizeMap } from '../value-ops.js';
import { typeOf, type AttributeValue, type Item } from '../values.js';
import { capacityModeOf, Consumed, EMPTY_INDEX_KEY, EMPTY_KEY, isEmptyKeyValue, keyBytes, MAX_SORT_KEY_BYTES, setIf, type Input } from './common.js';
import { compile } from './items.js';
import { wholeNumber } from '../parameters.js';

/** DynamoDB stops a page after 1 MB of data read. */
const PAGE_BYTES = 1024 * 1024;

function sortMatches(value: AttributeValue | undefined, sort: NonNullable<KeyConditionParts['sort']>): boolean {
  if (value === undefined) return false;
  const [a, b] = sort.values;
  const c = compareValues(value, a!);
  if (c === undefined) return false;
  switch (sort.op) {
    case '=':
      return c === 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case 'BETWEEN': {
      const d = compareValues(value, b!);
      return c >= 0 && d !== undefined && d <= 0;
    }
    case 'begins_with':
      if ('S' in value && 'S' in a!) return value.S.startsWith(a.S);
      if ('B' in value && 'B' in a!) return Buffer.from(value.B, 'base64').subarray(0, Buffer.from(a.B, 'base64').length).equals(Buffer.from(a.B, 'base64'));
      return false;
  }
}

function topNames(condition: Condition, out: string[] = []): string[] {
  const operand = (o: Operand): void => {
    switch (o.kind) {
      case 'path':
        if (o.path[0]?.kind === 'name') out.push(o.path[0].name);
        break;
      case 'size':
        operand(o.operand);
        break;
      case 'if_not_exists':
        break;
      case 'list_append':
      case 'arith':
        operand(o.left);
        operand(o.right);
        break;
      case 'value':
        break;
    }
  };
  const path = (p: readonly { kind: string; name?: string }[]) => {
    if (p[0]?.kind === 'name') out.push(p[0].name!);
  };
  switch (condition.kind) {
    case 'compare':
      operand(condition.left);
      operand(condition.right);
      break;
    case 'between':
      operand(condition.operand);
      operand(condition.low);
      operand(condition.high);
      break;
    case 'in':
      operand(condition.operand);
      condition.list.forEach(operand);
      break;
    case 'and':
    case 'or':
      topNames(condition.left, out);
      topNames(condition.right, out);
      break;
    case 'not':
      topNames(condition.operand, out);
      break;
    case 'attribute_exists':
    case 'attribute_not_exists':
      path(condition.path);
      break;
    case 'attribute_type':
      path(condition.path);
      operand(condition.type);
      break;
    case 'begins_with':
      operand(condition.operand);
      operand(condition.prefix);
      break;
    case 'contains':
      operand(condition.operand);
      operand(condition.value);
      break;
  }
  return out;
}

function checkLimit(input: Input): number | undefined {
  if (input.Limit === undefined) return undefined;
  const limit = wholeNumber(input.Limit);
  if (!(limit >= 1)) throw validation('Limit must be greater than or equal to 1');
  return limit;
}

/** The key attributes of the space and, for an index, the table's: what a start key of it holds. */
function spaceKeyAttributes(table: Table, space: KeySpace): KeyAttribute[] {
  const attributes = [space.partitionKey, ...(space.sortKey ? [space.sortKey] : [])];
  if (space.index) for (const k of [table.schema.partitionKey, ...(table.schema.sortKey ? [table.schema.sortKey] : [])]) if (!attributes.some((a) => a.name === k.name)) attributes.push(k);
  return attributes;
}

function spaceKeyNames(table: Table, space: KeySpace): string[] {
  return spaceKeyAttributes(table, space).map((a) => a.name);
}

function startKey(table: Table, space: KeySpace, input: Input): Item | undefined {
  if (input.ExclusiveStartKey === undefined) return undefined;
  const key = normalizeMap(input.ExclusiveStartKey as Item);
  const attributes = spaceKeyAttributes(table, space);
  const sameNames = attributes.every((a) => Object.hasOwn(key, a.name));
  // an index's start key must name the index's and the table's keys (DynamoDB Local's words)
  if (space.index && (!sameNames || Object.keys(key).length !== attributes.length)) throw validation('The provided starting key is invalid');
  if (Object.keys(key).length !== attributes.length) throw validation("Exclusive Start Key must have same size as table's key schema");
  if (!sameNames) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
  // A cursor sent back with a value of another type (a number as a string, as a JSON cursor
  // often comes back) is refused, as DynamoDB Local refuses it, not read from some other place.
  for (const a of attributes) if (typeOf(key[a.name]!) !== a.type) throw validation('Type mismatch for attribute to update');
  // the table's keys first, then an index's own (worded as an index key), as Local checks them
  const isTableKey = (a: KeyAttribute) => a.name === table.schema.partitionKey.name || a.name === table.schema.sortKey?.name;
  // an empty partition key (the table's or the index's) "can return at most one row", Local says; an empty sort key is just invalid
  const isPartitionKey = (a: KeyAttribute) => a.name === table.schema.partitionKey.name || a.name === space.partitionKey.name;
  for (const a of [...attributes.filter(isTableKey), ...attributes.filter((a) => !isTableKey(a))]) {
    if (!isEmptyKeyValue(key[a.name]!)) continue;
    const why = isTableKey(a) ? EMPTY_KEY(a.name, key[a.name]!) : EMPTY_INDEX_KEY(space.index!.name, a.name, key[a.name]!);
    throw validation(`${isPartitionKey(a) ? 'The query can return at most one row and cannot be restarted. ' : ''}The provided starting key is invalid: ${why}`);
  }
  return key;
}

function compareEntries(names: readonly string[], a: Item, b: Item): number {
  for (const name of names) {
    const c = compareValues(a[name]!, b[name]!) ?? 0;
    if (c !== 0) return c;
  }
  return 0;
}

interface Page {
  items: Item[];
  scanned: number;
  size: number;
  lastKey?: Item;
}

/**
 * Reads entries in order after the start key, up to Limit or 1 MB; applies the filter.
 * `keyAtLimit`: reaching Limit answers a LastEvaluatedKey even when no entry follows.
 */
function readPage(table: Table, space: KeySpace, entries: Item[], start: Item | undefined, forward: boolean, limit: number | undefined, filter: Condition | undefined, keyAtLimit: boolean): Page {
  const ordered = forward ? entries : [...entries].reverse();
  let i = 0;
  if (start !== undefined) {
    // the key names once per page, not per entry passed over
    const names = spaceKeyNames(table, space);
    const after = (entry: Item) => (forward ? 1 : -1) * compareEntries(names, entry, start) > 0;
    while (i < ordered.length && !after(ordered[i]!)) i++;
  }
  const page: Page = { items: [], scanned: 0, size: 0 };
  for (; i < ordered.length; i++) {
    const entry = ordered[i]!;
    page.scanned++;
    page.size += itemSize(entry);
    if (filter === undefined || evaluateCondition(filter, entry)) page.items.push(entry);
    const more = i + 1 < ordered.length;
    if ((limit !== undefined && page.scanned >= limit && (more || keyAtLimit)) || (page.size >= PAGE_BYTES && more)) {
      page.lastKey = table.entryKey(space, entry);
      break;
    }
  }
  return page;
}

function answer(table: Table, space: KeySpace, input: Input, page: Page, projection: ReturnType<typeof compile>['projection']): Record<string, unknown> {
  const select = input.Select ?? (projection ? 'SPECIFIC_ATTRIBUTES' : undefined);
  const out: Record<string, unknown> = {};
  if (select !== 'COUNT') out.Items = page.items.map((item) => (projection ? project(projection, item) : item));
  out.Count = page.items.length;
  out.ScannedCount = page.scanned;
  setIf(out, 'LastEvaluatedKey', page.lastKey);
  const consumed = new Consumed(table.name);
  // nothing read costs nothing (DynamoDB Local); otherwise 4 KB units of all the data read
  const units = page.size === 0 ? 0 : readUnits(page.size, input.ConsistentRead === true);
  if (space.index) consumed.addIndex(space.index.name, units);
  else consumed.addTable(units);
  setIf(out, 'ConsumedCapacity', consumed.report(capacityModeOf(input)));
  return out;
}

const SELECTS: ReadonlySet<string> = new Set(['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'COUNT', 'SPECIFIC_ATTRIBUTES']);

function checkSelect(space: KeySpace, input: Input, hasProjection: boolean): void {
  const select = input.Select;
  if (select === undefined) return;
  if (!SELECTS.has(select as string)) throw validation('Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES');
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !space.index) throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  if (select === 'ALL_ATTRIBUTES' && space.index && space.index.projection.type !== 'ALL') {
    throw validation(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${space.index.name} because its projection type is not ALL`);
  }
  // DynamoDB Local's words, which reviews of the service's answers quote too
  if (select === 'SPECIFIC_ATTRIBUTES' && !hasProjection) throw validation('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  if (select !== 'SPECIFIC_ATTRIBUTES' && hasProjection) {
    const chosen = select === 'COUNT' ? 'only the Count' : select;
    throw validation(`Cannot specify the ProjectionExpression when choosing to get ${chosen}`);
  }
}

/**
 * An index that does not project every attribute cannot answer for the others: a projection (or,
 * for a Query, a filter) naming one is refused, in DynamoDB Local's words, rather than answered
 * with items that lack it. Names are top-level attributes (`m.a` needs `m`).
 */
function checkIndexProjects(table: Table, space: KeySpace, expressions: ReturnType<typeof compile>, filterToo: boolean): void {
  const index = space.index;
  if (index === undefined || index.projection.type === 'ALL') return;
  const projected = new Set([...table.keyNames, index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : []), ...index.projection.nonKeyAttributes]);
  const missing = (names: string[]) => [...new Set(names.filter((n) => !projected.has(n)))];
  if (expressions.projection) {
    const absent = missing(expressions.projection.paths.flatMap((p) => (p[0]?.kind === 'name' ? [p[0].name] : [])));
    if (absent.length > 0) throw validation(`One or more parameter values were invalid: Global secondary index ${index.name} does not project [${javaSetOrder(absent).join(', ')}]`);
  }
  if (filterToo && expressions.filter) {
    const absent = missing(topNames(expressions.filter));
    if (absent.length > 0) throw validation(`One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${javaSetOrder(absent).join(', ')}]`);
  }
}

/**
 * Names in the order a Java HashSet of them iterates (String.hashCode, spread, bucket by bucket),
 * the order DynamoDB's messages list a set of attributes in: `[s, n]` for n and s.
 */
export function javaSetOrder(names: string[]): string[] {
  let capacity = 16;
  while (names.length > capacity * 0.75) capacity *= 2;
  const bucket = (name: string) => {
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (Math.imul(31, h) + name.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  // stable: names of one bucket keep their insertion order, as the bucket's list does
  return names.map((name, i) => ({ name, i, b: bucket(name) })).sort((x, y) => x.b - y.b || x.i - y.i).map((e) => e.name);
}

/**
 * The key condition's values as DynamoDB Local checks them, before the request's other parameters:
 * none empty (the partition key's first, worded as an index key's on an index), no sort key value
 * over 1024 bytes (each value; a partition key value over 2048 bytes just matches nothing).
 */
function checkKeyConditionValues(space: KeySpace, parts: KeyConditionParts): void {
  const empty = (name: string, value: AttributeValue) => validation(space.index ? EMPTY_INDEX_KEY(space.index.name, name, value) : EMPTY_KEY(name, value));
  if (isEmptyKeyValue(parts.partition)) throw empty(space.partitionKey.name, parts.partition);
  for (const value of parts.sort?.values ?? []) {
    if (isEmptyKeyValue(value)) throw empty(space.sortKey!.name, value);
    if (keyBytes(value) > MAX_SORT_KEY_BYTES) throw validation('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  }
}

/** A GSI is eventually consistent: DynamoDB refuses a strongly consistent read of one. */
function checkConsistentRead(space: KeySpace, input: Input): void {
  if (space.index && input.ConsistentRead === true) throw validation('Consistent reads are not supported on global secondary indexes');
}

export function query(db: Database, input: Input): Record<string, unknown> {
  const table = db.table(input.TableName);
  const space = table.keySpace(input.IndexName as string | undefined);
  checkConsistentRead(space, input);
  const limit = checkLimit(input);
  const expressions = compile(input, 'Query');
  if (expressions.keyCondition === undefined) throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const types: Record<string, 'S' | 'N' | 'B'> = { [space.partitionKey.name]: space.partitionKey.type };
  if (space.sortKey) types[space.sortKey.name] = space.sortKey.type;
  const schema: { partitionKey: string; sortKey?: string; types: Record<string, 'S' | 'N' | 'B'> } = { partitionKey: space.partitionKey.name, types };
  if (space.sortKey) schema.sortKey = space.sortKey.name;
  const parts = keyConditionFor(expressions.keyCondition, schema);
  checkKeyConditionValues(space, parts);
  // the start key before the filter, Select and the index's projection, as DynamoDB Local checks them; one of
  // another partition is worded as one outside the sort key's range (Local's words for both)
  const start = startKey(table, space, input);
  if (start !== undefined) {
    const pk = start[space.partitionKey.name]!;
    if (compareValues(pk, parts.partition) !== 0 || (parts.sort && !sortMatches(start[space.sortKey!.name], parts.sort))) throw validation('The provided starting key does not match the range key predicate');
  }
  if (expressions.filter) {
    const keys = [space.partitionKey.name, ...(space.sortKey ? [space.sortKey.name] : [])];
    const used = topNames(expressions.filter).find((n) => keys.includes(n));
    if (used !== undefined) throw validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${used}`);
  }
  checkSelect(space, input, expressions.projection !== undefined);
  checkIndexProjects(table, space, expressions, true);
  const inKey = (e: Item) => compareValues(e[space.partitionKey.name]!, parts.partition) === 0 && (parts.sort === undefined || sortMatches(e[space.sortKey!.name], parts.sort));
  // An index still missing recent writes (index lag) is read as it was; otherwise one partition is enough.
  const entries = table.lagsAt(space, db.now())
    ? table.entries(space, db.now(), inKey)
    : table.sortEntries(space, table.partitionEntries(space, parts.partition).filter((e) => parts.sort === undefined || sortMatches(e[space.sortKey!.name], parts.sort)));
  // DynamoDB Local: a Query reaching Limit always answers a LastEvaluatedKey, on a table or an index
  // (probed on Local 2026-01-16: also when the last entry read is the last of the key condition's range)
  const page = readPage(table, space, entries, start, input.ScanIndexForward !== false, limit, expressions.filter, true);
  return answer(table, space, input, page, expressions.projection);
}

/** A deterministic segment for a partition key value (Scan's TotalSegments). */
function segmentOf(value: AttributeValue, total: number): number {
  const text = JSON.stringify(value);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h % total;
}

export function scan(db: Database, input: Input): Record<string, unknown> {
  const table = db.table(input.TableName);
  const space = table.keySpace(input.IndexName as string | undefined);
  checkConsistentRead(space, input);
  const limit = checkLimit(input);
  if (input.Segment !== undefined && input.TotalSegments === undefined) throw validation('If segment is specified, total segment must also be specified');
  if (input.TotalSegments !== undefined && input.Segment === undefined) throw validation('If total segments is specified, a particular segment must also be specified for this request');
  const total = input.TotalSegments === undefined ? 1 : wholeNumber(input.TotalSegments);
  const segment = input.Segment === undefined ? 0 : wholeNumber(input.Segment);
  if (!(total >= 1 && total <= 1_000_000)) throw validation(`1 validation error detected: Value '${total}' at 'totalSegments' failed to satisfy constraint: Member must have value ${total < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`);
  if (!(segment >= 0 && segment < total)) throw validation(`1 validation error detected: Value '${segment}' at 'segment' failed to satisfy constraint: Member must have value less than or equal to ${total - 1}`);
  const expressions = compile(input, 'Scan');
  // the start key before Select and the index's projection, as DynamoDB Local checks them (its segment after them)
  const start = startKey(table, space, input);
  checkSelect(space, input, expressions.projection !== undefined);
  // (a Scan's filter on an attribute the index does not hold: Local reads the table's item, the model the index entry; not refused)
  checkIndexProjects(table, space, expressions, false);
  // a start key from another segment's page (a parallel scan's workers mixing their cursors) is
  // refused as DynamoDB Local refuses it; it gave an empty page, the segment silently skipped
  if (start !== undefined && total > 1 && segmentOf(start[space.partitionKey.name]!, total) !== segment) throw validation('Exclusive start key must lie within the segment');
  const entries = table.entries(space, db.now()).filter((e) => total === 1 || segmentOf(e[space.partitionKey.name]!, total) === segment);
  // DynamoDB Local: a table Scan reaching Limit always answers a LastEvaluatedKey, an index Scan only when more entries follow
  const page = readPage(table, space, entries, start, true, limit, expressions.filter, space.index === undefined);
  return answer(table, space, input, page, expressions.projection);
}
