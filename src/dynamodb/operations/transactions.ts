/**
 * TransactWriteItems (all conditions, then all writes, atomically; CancellationReasons in request
 * order; ClientRequestToken idempotency for 10 minutes of `now()`) and TransactGetItems.
 */
import type { Database } from '../database.js';
import { DynamoDBError, validation } from '../errors.js';
import { project, type ExpressionInput } from '../expressions/index.js';
import type { ExpressionUse } from '../expressions/stray-placeholders.js';
import { readUnits, type Table } from '../table.js';
import { emptyMap, itemSize, normalizeMap } from '../value-ops.js';
import type { Item } from '../values.js';
import { capacityModeOf, checkItemShape, checkKey, ConsumedByTable, type CapacityMode, INDEX_KEY_TYPE_MISMATCH, KEY_COUNT_INVALID, KEY_TYPE_MISMATCH, setIf, type Input } from './common.js';
import { compile, compileChecked, conditionHolds, prepareConditionCheck, prepareDelete, preparePut, prepareUpdate, strayChecked, writeCapacity, type PreparedWrite } from './items.js';

/** How long DynamoDB remembers a ClientRequestToken. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;
const MAX_ITEMS = 100;

/**
 * ClientRequestTokens seen: the request's parameters and when it expires. No answer is kept: a
 * replay answers with what it reads now (`replay`).
 */
export type TokenStore = Map<string, { parameters: string; expires: number }>;

function checkCount(items: unknown[], name: string): void {
  if (items.length < 1) throw validation(`Value [] at '${name}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (items.length > MAX_ITEMS) {
    throw validation(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS}`);
  }
}

/** The most a transaction's items may hold together. */
const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

const TWO_ACTIONS = 'TransactItems can only contain one of Check, Put, Update or Delete';
const ONE_ITEM_TWICE = 'Transaction request cannot include multiple operations on one item';

/** How many actions a transaction entry names. */
function actionCount(entry: Record<string, unknown>): number {
  // each action read by name (a loop over the names reads them by key: V8's slow path, per entry of every transaction)
  return (entry.Put != null ? 1 : 0) + (entry.Update != null ? 1 : 0) + (entry.Delete != null ? 1 : 0) + (entry.ConditionCheck != null ? 1 : 0);
}

function prepare(db: Database, entry: Record<string, unknown>, index: number): PreparedWrite {
  // a null entry, as AWS words a missing member (DynamoDB Local fails with InternalFailure); an
  // entry that is no object at all is a body no SDK sends (geosim serve takes any JSON)
  if (entry === null) throw validation(`1 validation error detected: Value null at 'transactItems.${index + 1}.member' failed to satisfy constraint: Member must not be null`);
  if (typeof entry !== 'object' || Array.isArray(entry)) throw new DynamoDBError('SerializationException', `TransactItems entry ${index + 1} is not an object`);
  if (actionCount(entry) > 1) throw validation(TWO_ACTIONS);
  if (entry.Put !== undefined) return preparePut(db, entry.Put as Input, 'expressions first');
  if (entry.Update !== undefined) return prepareUpdate(db, entry.Update as Input, 'expressions first');
  if (entry.Delete !== undefined) return prepareDelete(db, entry.Delete as Input, 'expressions first');
  if (entry.ConditionCheck !== undefined) {
    const check = prepareConditionCheck(db, entry.ConditionCheck as Input);
    // a check of nothing (no ConditionExpression; a legacy Expected is no member of it) would pass: DynamoDB requires one
    if (check.condition === undefined) throw validation(`Value null at 'transactItems.${index + 1}.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null`);
    return check;
  }
  throw validation('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request');
}

/**
 * Refuses a transaction whose items add up to more than 4 MB, named by the size where the sum
 * crossed it, as DynamoDB Local does: its Puts' items, a refused entry's too.
 */
function checkPayload(prepared: readonly (PreparedWrite | RefusedEntry)[]): void {
  // each item is at most 400 KB (checked): ten of them cannot cross 4 MB, and most transactions hold two
  if (prepared.length <= 10) return;
  let size = 0;
  for (const p of prepared) {
    if ('refused' in p) size += p.putSize ?? 0;
    else if (p.kind === 'Put') size += itemSize(p.next(undefined)!);
    else continue;
    if (size > MAX_PAYLOAD_BYTES) throw validation(`Transaction payload size cannot exceed 4MB. Payload Size: ${size}`);
  }
}

export function transactWriteItems(db: Database, tokens: TokenStore, input: Input): Record<string, unknown> {
  const entries = Array.isArray(input.TransactItems) ? (input.TransactItems as Record<string, unknown>[]) : [];
  checkCount(entries, 'transactItems');
  const token = input.ClientRequestToken as string | undefined;
  if (typeof token === 'string' && token.length > 36) throw validation(`Value ${token} at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`);
  // Kept to detect a reused token with other parameters; only needed when there is a token. Equal
  // requests are equal whatever order their JSON members come in (an SDK may marshal a map in any
  // order: Go's and Rust's do, and their retries must not be refused; DynamoDB Local refuses them).
  const parameters = token === undefined ? '' : sortedJson(entries);
  if (token !== undefined) {
    // Tokens are kept in the order they were stored, and the clock never goes back, so they expire
    // oldest first: stop at the first one still remembered (the SDK sends a token with every
    // transaction, so a scan of all of them made a run of n transactions cost n²).
    for (const [t, seen] of tokens) {
      if (seen.expires > db.now()) break;
      tokens.delete(t);
    }
    const seen = tokens.get(token);
    if (seen !== undefined) {
      if (seen.parameters !== parameters) throw new DynamoDBError('IdempotentParameterMismatchException', '');
      return replay(db, entries, capacityModeOf(input));
    }
  }
  // The per-entry arrays below are made at the transaction's size: an array grown by push starts
  // at 16 slots, and most transactions hold two entries (five such arrays per transaction of a run).
  const count = entries.length;
  const prepared = new Array<PreparedWrite | RefusedEntry>(count);
  for (let i = 0; i < count; i++) {
    try {
      prepared[i] = prepareOrRefuse(db, entries[i]!, i);
    } catch (error) {
      throw refusalNamedFirst(entries, i, prepared.slice(0, i), error);
    }
  }
  checkPayload(prepared);
  // read as writes only where `invalid` (below) says the entry was prepared
  const writes = prepared as PreparedWrite[];
  // each key encoded once: for the duplicate check, the read and the write; and each entry's
  // ValidationError, if it has one (loops, not maps: this runs for every transaction of a run;
  // `invalid` is made only for a transaction that has one: hardly any of a run's)
  const encodedKeys = new Array<string | undefined>(count);
  let invalid: (string | undefined)[] | undefined;
  let failed = false;
  for (let i = 0; i < count; i++) {
    const p = prepared[i]!;
    if ('refused' in p) {
      encodedKeys[i] = undefined;
      (invalid ??= new Array<string | undefined>(count).fill(undefined))[i] = p.refused;
      failed = true;
    } else {
      encodedKeys[i] = p.table.encodeKey(p.key);
    }
  }

  // each condition against the item before the transaction, in request order, and the item after
  // for each that holds. An entry whose key (or an index key, also one an update sets) has the
  // wrong type is that entry's ValidationError; an update DynamoDB Local cannot apply (a path into
  // a missing map, an index key set to a map or list) fails the whole request with its
  // ValidationException, even when another operation's condition failed
  const olds = new Array<Item | undefined>(count);
  const nexts = new Array<Item | undefined>(count);
  let requestError: unknown;
  for (let i = 0; i < count; i++) {
    if (invalid?.[i] !== undefined) {
      olds[i] = undefined;
      nexts[i] = undefined;
      continue;
    }
    const w = writes[i]!;
    const old = w.table.getEncoded(encodedKeys[i]!);
    olds[i] = old;
    if (!conditionHolds(w, old)) {
      failed = true;
      nexts[i] = undefined;
      continue;
    }
    try {
      nexts[i] = w.next(old);
    } catch (error) {
      nexts[i] = undefined;
      if (error instanceof DynamoDBError && error.message === INDEX_KEY_TYPE_MISMATCH) {
        (invalid ??= new Array<string | undefined>(count).fill(undefined))[i] = error.message;
        failed = true;
      } else requestError ??= error;
    }
  }
  // The service rejects two operations on one item before the rest (DynamoDB Local only once
  // every condition passed, evaluating each against the earlier ones' writes: a Local deviation);
  // an entry refused as a ValidationError is not counted, as Local answers
  for (let i = 1; i < writes.length; i++) {
    if (invalid?.[i] !== undefined) continue;
    for (let j = 0; j < i; j++) {
      // a pairwise check: transactions are small (at most 100 items, most of them two)
      if (invalid?.[j] === undefined && encodedKeys[i] === encodedKeys[j] && writes[i]!.table.name === writes[j]!.table.name) throw validation(ONE_ITEM_TWICE);
    }
  }
  if (requestError !== undefined) throw requestError;
  if (failed) throw cancellation(writes.map((w, i) => (invalid?.[i] !== undefined ? { Code: 'ValidationError', Message: invalid[i] } : conditionReason(w, olds[i]))));
  const capacity = capacityModeOf(input);
  const consumed = capacity === 'NONE' ? undefined : new ConsumedByTable();
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    const old = olds[i];
    const next = nexts[i];
    // Item sizes are only worth computing when the caller asked for the capacity.
    if (consumed !== undefined) {
      const c = writeCapacity(w.table, old, next);
      // two underlying writes per action (prepare, commit), ConditionCheck included: the documented rule;
      // DynamoDB Local charges less in multi-item transactions (docs/dynamodb-local-deviations.md)
      const target = consumed.for(w.table.name);
      target.addTable(c.table * 2).addIndexes(new Map([...c.indexes].map(([n, u]) => [n, u * 2])));
    }
    // `old` is still what the table holds: a transaction's items are distinct, and nothing runs between
    if (w.kind !== 'ConditionCheck') db.writeItem(w.table, w.key, next, 'request', encodedKeys[i]!, w.kind, old ?? null);
  }
  const out: Record<string, unknown> = {};
  if (consumed !== undefined) setIf(out, 'ConsumedCapacity', consumed.report(capacity));
  if (token !== undefined) tokens.set(token, { parameters, expires: db.now() + IDEMPOTENCY_WINDOW_MS });
  return out;
}

/**
 * The answer to a transaction repeated with its ClientRequestToken: nothing is written, and the
 * ConsumedCapacity is the one the replay asks for (not the first call's), of reading each entry's
 * item as it is now: "Subsequent TransactWriteItems calls with the same client token return the
 * number of read capacity units consumed in reading the item" (API reference, TransactWriteItems).
 * Each read is transactional (2 × its strongly consistent read units, an absent item counting 1)
 * and on the table only, as DynamoDB Local answers it; a table deleted since is
 * ResourceNotFoundException, as there. (Local counts items of equal units once:
 * docs/dynamodb-local-deviations.md.)
 */
function replay(db: Database, entries: Record<string, unknown>[], capacity: CapacityMode): Record<string, unknown> {
  const consumed = new ConsumedByTable();
  for (const entry of entries) {
    const body = bodyOf(entry)[0] as Input;
    const table = db.table(body.TableName);
    if (capacity === 'NONE') continue;
    const item = table.get(entryKey(table, body));
    consumed.for(table.name).addTable(2 * readUnits(item === undefined ? 0 : itemSize(item), true));
  }
  const out: Record<string, unknown> = {};
  setIf(out, 'ConsumedCapacity', consumed.report(capacity));
  return out;
}

/** The key of the item a transaction's entry names: its Put's key attributes, or its Key (checked: its table may be another since). */
function entryKey(table: Table, body: Input): Item {
  if (body.Item === undefined) return checkKey(table, body.Key);
  const item = body.Item as Item;
  const key = emptyMap();
  for (const name of table.keyNames) if (Object.hasOwn(item, name)) key[name] = item[name]!;
  return checkKey(table, key);
}

/**
 * The error DynamoDB Local names for a transaction whose entry `failed` was refused with `error`.
 * Local checks every entry's action count, expressions and Put item (nesting, size) and then the
 * transaction's size before it reads any entry's table or key; then each entry in turn (its
 * table, its key, whether an earlier entry named its item). So a later entry's mistake of the
 * first kind, or two earlier entries on one item, is named first. Run only on a refused transaction.
 */
function refusalNamedFirst(entries: Record<string, unknown>[], failed: number, prepared: readonly (PreparedWrite | RefusedEntry)[], error: unknown): unknown {
  // a fault of the model's own is never hidden behind a refusal
  if (!(error instanceof DynamoDBError)) return error;
  try {
    // the entries before `failed` passed these checks already
    for (let i = failed; i < entries.length; i++) checkBeforeKeys(entries[i]!);
    checkPayload(entries.map((entry) => ({ refused: '', putSize: putSizeOf(entry) })));
  } catch (first) {
    return first;
  }
  for (let i = 1; i < prepared.length; i++) {
    const w = prepared[i]!;
    if ('refused' in w) continue;
    const key = w.table.encodeKey(w.key);
    for (let j = 0; j < i; j++) {
      const v = prepared[j]!;
      if (!('refused' in v) && v.table.name === w.table.name && v.table.encodeKey(v.key) === key) return validation(ONE_ITEM_TWICE);
    }
  }
  return error;
}

/** What DynamoDB Local checks of a transaction's entry before any entry's table or key (see refusalNamedFirst). */
function checkBeforeKeys(entry: Record<string, unknown>): void {
  // an entry that is no object is refused in its turn (prepare)
  if (entry === null || typeof entry !== 'object') return;
  if (actionCount(entry) > 1) throw validation(TWO_ACTIONS);
  const [body, use] = bodyOf(entry);
  if (body === undefined || body === null || typeof body !== 'object') return;
  let checked: ExpressionInput | undefined;
  try {
    checked = strayChecked(body, use);
  } catch {
    // names or values no expression uses are checked with the entry's table, in its turn; there is no expression to parse
    return;
  }
  compileChecked(body, checked);
  if (use === 'Put') checkItemShape(body.Item);
}

/** A transaction entry's action and what it is for. */
function bodyOf(entry: Record<string, unknown>): [Input | undefined, ExpressionUse] {
  if (entry.Put != null) return [entry.Put as Input, 'Put'];
  if (entry.Update != null) return [entry.Update as Input, 'Update'];
  if (entry.Delete != null) return [entry.Delete as Input, 'Delete'];
  return [entry.ConditionCheck as Input | undefined, 'ConditionCheck'];
}

/** The size of a Put entry's item (0 for another entry), as the 4 MB limit counts it. */
function putSizeOf(entry: Record<string, unknown>): number {
  const put = entry !== null && typeof entry === 'object' ? (entry.Put as Input | undefined) : undefined;
  return put === undefined || put === null || typeof put !== 'object' ? 0 : itemSize(normalizeMap((put.Item ?? {}) as Item));
}

/** An entry DynamoDB refuses as the item it names, not as the request: its cancellation reason's message. */
interface RefusedEntry {
  refused: string;
  /** A refused Put's item size: the 4 MB payload counts it (checkPayload). */
  putSize?: number;
}

/**
 * The entry prepared, or refused for a key value of the wrong type (the table's key or an index's):
 * DynamoDB cancels the transaction with a `ValidationError` reason for that entry (and evaluates the
 * other entries' conditions) rather than refusing the request, as DynamoDB Local answers it. A key
 * value that is no scalar at all (INVALID_VALUE_TYPE) refuses the request, as it does there.
 */
function prepareOrRefuse(db: Database, entry: Record<string, unknown>, index: number): PreparedWrite | RefusedEntry {
  try {
    return prepare(db, entry, index);
  } catch (error) {
    if (!(error instanceof DynamoDBError) || (error.message !== KEY_TYPE_MISMATCH && error.message !== INDEX_KEY_TYPE_MISMATCH)) throw error;
    const put = entry.Put as Input | undefined;
    return put === undefined ? { refused: error.message } : { refused: error.message, putSize: itemSize(normalizeMap(put.Item as Item)) };
  }
}

/** A write's cancellation reason on the item it would replace: None, or ConditionalCheckFailed (with the item when asked). */
function conditionReason(w: PreparedWrite, old: Item | undefined): Record<string, unknown> {
  if (conditionHolds(w, old)) return { Code: 'None' };
  // DynamoDB Local's wording: with a period for ConditionCheck, without for Put, Update, Delete
  const reason: Record<string, unknown> = { Code: 'ConditionalCheckFailed', Message: w.kind === 'ConditionCheck' ? 'The conditional request failed.' : 'The conditional request failed' };
  if (w.returnOnFailure && old !== undefined) reason.Item = old;
  return reason;
}

function cancellation(reasons: Record<string, unknown>[]): DynamoDBError {
  const codes = reasons.map((r) => r.Code).join(', ');
  return new DynamoDBError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, { CancellationReasons: reasons });
}

export function transactGetItems(db: Database, input: Input): Record<string, unknown> {
  const entries = Array.isArray(input.TransactItems) ? (input.TransactItems as Record<string, unknown>[]) : [];
  checkCount(entries, 'transactItems');
  const gets = entries.map((entry) => {
    const get = entry.Get as Input | undefined;
    if (get === undefined) throw validation('TransactItems can only contain Get');
    const table = db.table(get.TableName);
    const expressions = compile(get, 'Get');
    try {
      return { table, key: checkKey(table, get.Key), projection: expressions.projection };
    } catch (error) {
      // a key of the wrong type cancels the transaction, in the words of the refusal and with no
      // reasons (DynamoDB Local's answer); a key of too few or too many attributes too. A key
      // value that is no scalar is a ValidationException, as there
      if (!(error instanceof DynamoDBError) || (error.message !== KEY_TYPE_MISMATCH && error.message !== KEY_COUNT_INVALID)) throw error;
      throw new DynamoDBError('TransactionCanceledException', error.message);
    }
  });
  const seen = new Set<string>();
  for (const g of gets) {
    const id = `${g.table.name}\u0000${g.table.encodeKey(g.key)}`;
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  }
  const consumed = new ConsumedByTable();
  const responses = gets.map((g) => {
    const item: Item | undefined = g.table.get(g.key);
    consumed.for(g.table.name).addTable(2 * readUnits(item ? itemSize(item) : 0, true));
    return item === undefined ? {} : { Item: g.projection ? project(g.projection, item) : item };
  });
  const out: Record<string, unknown> = {};
  setIf(out, 'ConsumedCapacity', consumed.report(capacityModeOf(input)));
  out.Responses = responses;
  return out;
}

/** JSON with every object's members sorted by name (arrays keep their order): equal for equal requests. */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
