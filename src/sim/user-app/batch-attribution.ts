import type { BatchRecord, HandledEvent, InvocationStore } from './invocation-scope.js';

/**
 * Which record of an SQS batch a write is for. Reading a record's body marks the code that follows
 * as that record's (enterEvent), which credits a loop that reads a body and then writes. A handler
 * that parses every body first (`Records.map((r) => JSON.parse(r.body))`) leaves the last record
 * marked for all its writes: a second charge of the first record would be credited to the last,
 * and the run would pass. So a write that does not name the marked record's event (its id or
 * idempotency key, or its item) but names exactly one other record's goes to that one; a write
 * that names the marked record keeps it (another record's id may be a word of its item:
 * `ORDER#a1` for an event `b1` about order a1), and one that names none or several keeps it too.
 */

/**
 * The event a call of the code running now is for: the one whose body the code read last (or the
 * invocation's only event), unless, in a batch, the call does not name it and names one other
 * record alone. `dynamodb`: the call is a DynamoDB request (see stringsOf).
 */
export function eventFor(store: InvocationStore, input: unknown, dynamodb: boolean): HandledEvent | undefined {
  const marked = store.event;
  if (store.batch === undefined) return marked;
  const values = stringsOf(input, dynamodb);
  const markedRecord = store.batch.find((r) => r.event === marked);
  if (markedRecord !== undefined && namedBy(markedRecord, values)) return marked;
  return recordNamed(store.batch, values) ?? marked;
}

function namedBy(record: BatchRecord, values: readonly string[]): boolean {
  return mentions(record.ids, values) || mentions(record.items, values);
}

/** Whether any of `values` names any of `marks`. */
function mentions(marks: readonly string[], values: readonly string[]): boolean {
  return marks.some((mark) => values.some((value) => names(value, mark)));
}

/** The record `input` names alone (ids first, then items), or undefined. */
export function recordNamedBy(records: readonly BatchRecord[], input: unknown, dynamodb: boolean): HandledEvent | undefined {
  return recordNamed(records, stringsOf(input, dynamodb));
}

function recordNamed(records: readonly BatchRecord[], values: readonly string[]): HandledEvent | undefined {
  if (values.length === 0) return undefined;
  return onlyOne(records, (r) => r.ids, values) ?? onlyOne(records, (r) => r.items, values);
}

function onlyOne(records: readonly BatchRecord[], marks: (r: BatchRecord) => readonly string[], values: readonly string[]): HandledEvent | undefined {
  let found: HandledEvent | undefined;
  for (const record of records) {
    if (!mentions(marks(record), values)) continue;
    if (found !== undefined) return undefined;
    found = record.event;
  }
  return found;
}

/** Whether `value` holds `mark` as a whole word: `IDEMPOTENCY#e1` and `CHARGE#e1#us-east-1` name `e1`; `e12` does not. */
export function names(value: string, mark: string): boolean {
  if (mark === '') return false;
  for (let at = value.indexOf(mark); at >= 0; at = value.indexOf(mark, at + 1)) {
    const end = at + mark.length;
    if ((at === 0 || !isWordChar(value.charCodeAt(at - 1))) && (end === value.length || !isWordChar(value.charCodeAt(end)))) return true;
  }
  return false;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The strings a request carries as values. DynamoDB's: only string attribute values (`S`, `SS`),
 * so a table name, an expression (`SET #n = :e1`) or a number (`{ N: '1' }`) names no record. Any
 * other service's (SQS, SNS, EventBridge): every string, a message body included.
 */
function stringsOf(input: unknown, dynamodb: boolean): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      if (!dynamodb || key === 'S' || key === 'SS') out.push(value);
    } else if (Array.isArray(value)) {
      for (const entry of value) walk(entry, key === 'SS' ? 'SS' : undefined, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
    }
  };
  walk(input, undefined, 0);
  return out;
}
