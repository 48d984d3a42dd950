import { requestOrigin, type ReadTrace, type TraceEventInput } from './events.js';
import type { Item } from './item.js';
import { queryLabel, readRequest, scanLabel, type ReadRequest } from './read-request.js';

type ReadEvent = Extract<TraceEventInput, { kind: 'read' }>;

/** What a substrate tells `readTraces` of a request it answered. */
export interface ReadContext {
  t: number;
  region: string;
  /** The event a team's handler was handling when it read (absent for a program's read through serve). */
  cause?: string;
  /** The region of the Lambda that read (traced when not `region`: a read of a home region). */
  caller?: string;
  /** The event one item of a multi-item read is for, when it is not `cause` (an SQS batch: the record its key names). */
  causeOf?: (key: unknown) => string | undefined;
  /** An item's label and table (`table` only for a table other than the scenario's), or undefined for a key of no table the run has. */
  name: (table: string, keyOrItem: unknown) => { itemId: string; table?: string } | undefined;
  /** An item of the answer (DynamoDB JSON) as the trace shows it. */
  plain: (item: unknown) => Item;
  /** The scenario's table (the first declared): the one a read's `table` field leaves out. */
  primary: string;
}

/**
 * The `read` events of one request of the reads the trace records (`TRACED_READS`), for the model
 * and a real table alike: a GetItem, a Query or a Scan (a page of either) is one read, a BatchGetItem or TransactGetItems one
 * per item it asked for. `answer` is what the endpoint answered, or its refusal (a DynamoDBError:
 * its name and message are traced on each item the request named, even one of no table the run
 * has). The keys keep the order every view and JSON document have always had (`cause` last, where
 * a write has it).
 */
export function readTraces(operation: string, input: Record<string, unknown>, answer: Record<string, unknown> | Error, ctx: ReadContext): ReadEvent[] {
  const refused = answer instanceof Error ? { error: { name: answer.name, message: answer.message } } : undefined;
  const answered = answer instanceof Error ? undefined : answer;
  // a refused request's items are named even where the substrate cannot (no such table, a key of the wrong shape)
  const name = (table: string, key: unknown) => namedBy(ctx, table, key) ?? (refused ? { itemId: rawKeyLabel(key), ...(table !== ctx.primary ? { table } : {}) } : undefined);
  const event = (consistency: ReadTrace['consistency'], request: ReadRequest, target: { itemId: string; table?: string }, found: { item: Item | null; items?: Item[]; count?: number }, cause = ctx.cause): ReadEvent => ({
    kind: 'read',
    t: ctx.t,
    region: ctx.region,
    consistency,
    request,
    ...(refused ?? {}),
    itemId: target.itemId,
    ...(target.table !== undefined ? { table: target.table } : {}),
    ...found,
    ...requestOrigin(cause, ctx.caller, ctx.region),
  });
  const itemCause = (key: unknown) => (key === undefined ? undefined : ctx.causeOf?.(key)) ?? ctx.cause;
  switch (operation) {
    case 'GetItem': {
      const target = name(tableOf(input, ctx), input.Key);
      if (target === undefined) return [];
      return [event(consistencyOf(input), readRequest(operation, input), target, { item: answered?.Item === undefined ? null : ctx.plain(answered.Item) })];
    }
    case 'Query':
    case 'Scan': {
      const values = isRecord(input.ExpressionAttributeValues) ? plainOrNothing(input.ExpressionAttributeValues, ctx) : undefined;
      const label = operation === 'Query' ? queryLabel(input) : scanLabel(input);
      // Select COUNT answers a Count and no items: the trace says how many, not "0 items"
      const counted = answered !== undefined && answered.Items === undefined && typeof answered.Count === 'number' ? { count: answered.Count } : {};
      return [event(consistencyOf(input), { ...readRequest(operation, input), ...(values !== undefined ? { values } : {}) }, { itemId: label }, { item: null, items: ((answered?.Items ?? []) as unknown[]).map(ctx.plain), ...counted })];
    }
    case 'TransactGetItems': {
      const gets = Array.isArray(input.TransactItems) ? (input.TransactItems as ({ Get?: Record<string, unknown> } | null)[]) : [];
      const responses = (answered?.Responses ?? []) as ({ Item?: unknown } | null)[];
      return gets.flatMap((entry, i) => {
        const get = entry?.Get;
        const target = get == null ? undefined : name(tableOf(get, ctx), get.Key);
        if (get == null || target === undefined) return [];
        const item = responses[i]?.Item;
        // a transaction reads what the region committed last: strongly consistent
        return [event('strong', readRequest(operation, get), target, { item: item === undefined ? null : ctx.plain(item) }, itemCause(get.Key))];
      });
    }
    case 'BatchGetItem':
      return batchReads(input, answered, name, ctx, (consistency, request, target, found, key) => event(consistency, request, target, found, itemCause(key)));
    default:
      return [];
  }
}

/**
 * A BatchGetItem's reads, one per key asked for. Its answer lists the items found in no set order,
 * matched to the keys by their key attributes; a key DynamoDB left unprocessed was not read. When
 * a projection left the key attributes out, the items cannot be matched to their keys: the
 * table's keys are then one read that lists the items found, as a query's does.
 */
function batchReads(
  input: Record<string, unknown>,
  answered: Record<string, unknown> | undefined,
  name: (table: string, key: unknown) => { itemId: string; table?: string } | undefined,
  ctx: ReadContext,
  event: (consistency: ReadTrace['consistency'], request: ReadRequest, target: { itemId: string; table?: string }, found: { item: Item | null; items?: Item[] }, key: unknown) => ReadEvent,
): ReadEvent[] {
  const byTable = isRecord(input.RequestItems) ? input.RequestItems : {};
  const responses = isRecord(answered?.Responses) ? answered.Responses : {};
  const unprocessed = isRecord(answered?.UnprocessedKeys) ? answered.UnprocessedKeys : {};
  const out: ReadEvent[] = [];
  for (const [table, spec] of Object.entries(byTable)) {
    if (!isRecord(spec) || !Array.isArray(spec.Keys)) continue;
    const request = readRequest('BatchGetItem', { ...spec, TableName: table });
    const skippedKeys = isRecord(unprocessed[table]) && Array.isArray(unprocessed[table].Keys) ? (unprocessed[table].Keys as unknown[]) : [];
    const skipped = new Set(skippedKeys.map((key) => name(table, key)?.itemId));
    const read = (spec.Keys as unknown[]).flatMap((key) => {
      const target = name(table, key);
      return target === undefined || skipped.has(target.itemId) ? [] : [{ key, target }];
    });
    const items = (responses[table] ?? []) as unknown[];
    const found = new Map<string, unknown>();
    for (const item of items) {
      const target = namedBy(ctx, table, item);
      if (target !== undefined) found.set(target.itemId, item);
    }
    if (found.size < items.length) {
      // the projection left the key out: one read of the table's keys, with what came back
      if (read.length === 0) continue;
      // in a fixed order: the answer's is DynamoDB's own (a real table's differs from the model's)
      const listed = items.map(ctx.plain).sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
      out.push(event(consistencyOf(spec), request, { itemId: `${table}: ${read.map((r) => r.target.itemId).join(', ')}` }, { item: null, items: listed }, undefined));
      continue;
    }
    for (const { key, target } of read) {
      const item = found.get(target.itemId);
      out.push(event(consistencyOf(spec), request, target, { item: item === undefined ? null : ctx.plain(item) }, key));
    }
  }
  return out;
}

/** The table a request names; none (which a real table's run reads as the scenario's) is the scenario's. */
function tableOf(input: Record<string, unknown>, ctx: ReadContext): string {
  return typeof input.TableName === 'string' ? input.TableName : ctx.primary;
}

/** A request's values as plain ones, or nothing when they are not DynamoDB values (the request is refused for them; the trace must not throw instead). */
function plainOrNothing(values: Record<string, unknown>, ctx: ReadContext): Item | undefined {
  try {
    return ctx.plain(values);
  } catch {
    return undefined;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function consistencyOf(input: Record<string, unknown>): ReadTrace['consistency'] {
  return input.ConsistentRead === true ? 'strong' : 'eventual';
}

/** `ctx.name`, undefined for a key it cannot read (a malformed request: DynamoDB refuses it, and the trace must not throw instead). */
function namedBy(ctx: ReadContext, table: string, keyOrItem: unknown): { itemId: string; table?: string } | undefined {
  try {
    return ctx.name(table, keyOrItem);
  } catch {
    return undefined;
  }
}

/** A key the substrate could not name (DynamoDB refused the request): its values, `|` between them. */
function rawKeyLabel(key: unknown): string {
  if (!isRecord(key)) return '?';
  return Object.values(key)
    .map((value) => {
      if (!isRecord(value)) return JSON.stringify(value) ?? '?';
      const [type, inner] = Object.entries(value)[0] ?? [];
      return (type === 'S' || type === 'N' || type === 'B') && typeof inner === 'string' ? inner : JSON.stringify(value);
    })
    .join('|');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
