import type { Item } from './item.js';
import type { ReadTrace, TraceEventInput } from './events.js';

/** A read as the trace names it: the request's DynamoDB syntax (operation, table, index, expressions as written). */
export type ReadRequest = NonNullable<ReadTrace['request']>;

/** The reads the trace records (`geosim serve`'s programs, a team's handler): see readTraces. */
export const TRACED_READS: ReadonlySet<string> = new Set(['GetItem', 'Query', 'BatchGetItem', 'TransactGetItems']);

const READ_OPERATIONS: ReadonlySet<string> = new Set(['GetItem', 'Query', 'BatchGetItem', 'TransactGetItems']);

const FIELDS = [
  ['IndexName', 'index'],
  ['KeyConditionExpression', 'keyCondition'],
  ['FilterExpression', 'filter'],
  ['ProjectionExpression', 'projection'],
] as const;

/** The trace's summary of a read request (a scenario step's, a program's through serve, a team's handler's; a BatchGetItem's or TransactGetItems' per table or item). */
export function readRequest(operation: string, input: Record<string, unknown>): ReadRequest {
  const out: ReadRequest = { operation: READ_OPERATIONS.has(operation) ? (operation as ReadRequest['operation']) : 'GetItem', table: String(input.TableName) };
  for (const [field, name] of FIELDS) if (typeof input[field] === 'string') out[name] = input[field] as string;
  return out;
}

/** The id a query's read has in the trace: the index (or table) and the key condition. */
export function queryLabel(input: Record<string, unknown>): string {
  return `${(input.IndexName as string | undefined) ?? String(input.TableName)}: ${String(input.KeyConditionExpression ?? '')}`;
}

/** Where and when a traced request was answered, and who asked. */
export interface ReadAt {
  t: number;
  region: string;
  /** The event a team's handler was handling when it read (absent for a program's read through serve). */
  cause?: string;
}

/** How a substrate names what a read touched: an item's label and table (`OnTable`: set only for a table other than the scenario's), or undefined for a key of no table it has. */
export type ItemNamer = (table: string, keyOrItem: unknown) => { itemId: string; table?: string } | undefined;

type ReadEvent = Extract<TraceEventInput, { kind: 'read' }>;

/**
 * The `read` events of one request of the reads the trace records (`TRACED_READS`), for the model
 * and a real table alike: a GetItem or a Query is one read, a BatchGetItem or TransactGetItems one
 * per item it asked for. `answer` is what the endpoint answered (its items in DynamoDB JSON, turned
 * into plain values by `plain`), or its refusal (a DynamoDBError: its name and message are traced). The keys keep the order every view and JSON
 * document have always had (`cause` last, where a write has it).
 */
export function readTraces(operation: string, input: Record<string, unknown>, answer: Record<string, unknown> | Error, at: ReadAt, name: ItemNamer, plain: (item: unknown) => Item): ReadEvent[] {
  const refused = isRefusal(answer) ? { error: { name: answer.name, message: answer.message } } : undefined;
  const cause = at.cause !== undefined ? { cause: at.cause } : {};
  const event = (consistency: ReadTrace['consistency'], request: ReadRequest, itemId: string, onTable: { table?: string }, found: { item: Item | null; items?: Item[] }): ReadEvent => ({
    kind: 'read',
    t: at.t,
    region: at.region,
    consistency,
    request,
    ...(refused ?? {}),
    itemId,
    ...onTable,
    ...found,
    ...cause,
  });
  const answered = isRefusal(answer) ? undefined : answer;
  switch (operation) {
    case 'GetItem': {
      const target = name(String(input.TableName), input.Key);
      if (target === undefined) return [];
      const item = answered?.Item === undefined ? null : plain(answered.Item);
      return [event(consistencyOf(input), readRequest(operation, input), target.itemId, onTableOf(target), { item })];
    }
    case 'Query': {
      const items = ((answered?.Items ?? []) as unknown[]).map(plain);
      return [event(consistencyOf(input), readRequest(operation, input), queryLabel(input), {}, { item: null, items })];
    }
    case 'TransactGetItems': {
      const gets = Array.isArray(input.TransactItems) ? (input.TransactItems as { Get?: Record<string, unknown> }[]) : [];
      const responses = (answered?.Responses ?? []) as { Item?: unknown }[];
      return gets.flatMap((entry, i) => {
        const get = entry?.Get;
        const target = get === undefined ? undefined : name(String(get.TableName), get.Key);
        if (get === undefined || target === undefined) return [];
        const item = responses[i]?.Item === undefined ? null : plain(responses[i]!.Item);
        // a transaction reads what the region committed last: strongly consistent
        return [event('strong', readRequest(operation, get), target.itemId, onTableOf(target), { item })];
      });
    }
    case 'BatchGetItem':
      return batchReads(input, answered, name, plain, event);
    default:
      return [];
  }
}

/**
 * A BatchGetItem's reads, one per key asked for. Its answer lists the items found in no set order,
 * matched to the keys by their key attributes; a key DynamoDB left unprocessed was not read. If a
 * projection left an item's key out, the table's keys that matched nothing are not traced: geosim
 * cannot tell which of them was found.
 */
function batchReads(
  input: Record<string, unknown>,
  answered: Record<string, unknown> | undefined,
  name: ItemNamer,
  plain: (item: unknown) => Item,
  event: (consistency: ReadTrace['consistency'], request: ReadRequest, itemId: string, onTable: { table?: string }, found: { item: Item | null }) => ReadEvent,
): ReadEvent[] {
  const byTable = isRecord(input.RequestItems) ? input.RequestItems : {};
  const responses = isRecord(answered?.Responses) ? answered.Responses : {};
  const unprocessed = isRecord(answered?.UnprocessedKeys) ? answered.UnprocessedKeys : {};
  const out: ReadEvent[] = [];
  for (const [table, spec] of Object.entries(byTable)) {
    if (!isRecord(spec) || !Array.isArray(spec.Keys)) continue;
    const request = readRequest('BatchGetItem', { ...spec, TableName: table });
    const found = new Map<string, unknown>();
    let unmatched = 0;
    for (const item of (responses[table] ?? []) as unknown[]) {
      const target = name(table, item);
      if (target === undefined) unmatched++;
      else found.set(target.itemId, item);
    }
    const skipped = new Set(((isRecord(unprocessed[table]) ? unprocessed[table].Keys : undefined) as unknown[] | undefined ?? []).map((key) => name(table, key)?.itemId));
    for (const key of spec.Keys as unknown[]) {
      const target = name(table, key);
      if (target === undefined || skipped.has(target.itemId)) continue;
      const item = found.get(target.itemId);
      if (item === undefined && unmatched > 0) continue;
      out.push(event(consistencyOf(spec), request, target.itemId, onTableOf(target), { item: item === undefined ? null : plain(item) }));
    }
  }
  return out;
}

function consistencyOf(input: Record<string, unknown>): ReadTrace['consistency'] {
  return input.ConsistentRead === true ? 'strong' : 'eventual';
}

function onTableOf(target: { table?: string }): { table?: string } {
  return target.table !== undefined ? { table: target.table } : {};
}

function isRefusal(answer: Record<string, unknown> | Error): answer is Error {
  return answer instanceof Error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
