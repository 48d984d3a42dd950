import type { Item } from '../../app/item.js';
import { DynamoDBError } from '../../dynamodb/errors.js';
import type { VersionStamp } from '../../trace/events.js';
import { sdkValue } from './attribute-codec.js';
import { answer, callTable, readItems, stampRequest, syntheticOp, type WriteKind } from './api-calls.js';
import type { ApiRequestHost } from './api-host.js';
import type { RegionTable } from './emulated-replication.js';
import { mistypedTargetOf, scenarioName, targetOf, type ItemTarget } from './item-keys.js';
import type { TableNames } from './table-names.js';
import { namedWrite, traceRefusal, type NamedWrite } from './write-refusals.js';

/** What a multi-item write needs: the run, the region's tables (the scenario's first) and how their names map. */
export interface WriteContext {
  host: ApiRequestHost;
  region: string;
  table: RegionTable;
  /** Every table of the run in the region; absent: `table` alone. */
  tables?: readonly RegionTable[];
  names: TableNames;
}

/** One entry of a TransactWriteItems or BatchWriteItem, as sent (name mapped, stamped). */
interface Entry {
  kind: WriteKind | 'check';
  /** The entry's request as sent (TransactWriteItems) or its PutRequest / DeleteRequest (BatchWriteItem): stamped in place. */
  request: Record<string, unknown>;
  /** The entry's table and item when it is on one of the run's tables with a well-typed key; else null. */
  on: { table: RegionTable; target: ItemTarget } | null;
  /** With `on` null: the item a key of the wrong type names (mistypedTargetOf), for a refusal's trace. */
  mistyped?: { table: string; id: string } | undefined;
  condition: string | undefined;
  stamp?: VersionStamp | undefined;
}

const TRANSACT_KINDS: Record<string, WriteKind | 'check'> = { Put: 'put', Update: 'update', Delete: 'delete', ConditionCheck: 'check' };

/**
 * TransactWriteItems on the region's real table, traced as the model traces it: the transaction is
 * named (`tx1`, `tx2`… with the run's other transactions), each written item is stamped for the
 * emulated replication, read before and after (ConsistentRead; geosim is the tables' only writer),
 * and observed in request order, one local-write each; a cancelled transaction traces a
 * condition-failed for each item whose condition failed.
 */
export async function transactWriteItems(ctx: WriteContext, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const transaction = ctx.host.transactionId();
  const mapped = Array.isArray(input.TransactItems)
    ? (input.TransactItems as unknown[]).map((e) => {
        const name = transactKind(e);
        if (name === undefined) return e;
        const inner = ((e as Record<string, unknown>)[name] ?? {}) as Record<string, unknown>;
        return { ...(e as Record<string, unknown>), [name]: { ...inner, TableName: ctx.names.toReal(inner.TableName) } };
      })
    : undefined;
  const request = sdkValue({ ...input, ...(mapped !== undefined ? { TransactItems: mapped } : {}) }) as Record<string, unknown>;
  const entries: Entry[] = [];
  for (const e of Array.isArray(request.TransactItems) ? (request.TransactItems as unknown[]) : []) {
    const name = transactKind(e);
    if (name === undefined) continue; // DynamoDB refuses the request; nothing of it is traced
    const inner = ((e as Record<string, unknown>)[name] ?? {}) as Record<string, unknown>;
    const kind = TRANSACT_KINDS[name]!;
    entries.push({ kind, request: inner, ...itemOn(ctx, inner.TableName, kind === 'put' ? inner.Item : inner.Key), condition: conditionOf(inner) });
  }
  return write(ctx, 'TransactWriteItems', request, entries, transaction);
}

/**
 * BatchWriteItem on the region's real table: each PutRequest and DeleteRequest stamped, read before
 * and after, and observed in request order like a single write; what DynamoDB left unprocessed is
 * passed back (under the scenario's table name) and not observed, since it did not happen.
 */
export async function batchWriteItem(ctx: WriteContext, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const byTable = isObject(input.RequestItems) ? ctx.names.keysToReal(input.RequestItems) : undefined;
  const request = sdkValue({ ...input, ...(byTable !== undefined ? { RequestItems: byTable } : {}) }) as Record<string, unknown>;
  const entries: Entry[] = [];
  for (const [name, requests] of Object.entries(isObject(request.RequestItems) ? request.RequestItems : {})) {
    for (const r of Array.isArray(requests) ? (requests as Record<string, Record<string, unknown> | undefined>[]) : []) {
      if (r?.PutRequest) entries.push({ kind: 'put', request: r.PutRequest, ...itemOn(ctx, name, r.PutRequest.Item), condition: undefined });
      else if (r?.DeleteRequest) entries.push({ kind: 'delete', request: r.DeleteRequest, ...itemOn(ctx, name, r.DeleteRequest.Key), condition: undefined });
    }
  }
  return write(ctx, 'BatchWriteItem', request, entries, undefined);
}

async function write(
  ctx: WriteContext,
  operation: 'TransactWriteItems' | 'BatchWriteItem',
  request: Record<string, unknown>,
  entries: Entry[],
  transaction: string | undefined,
): Promise<Record<string, unknown>> {
  const { host, region, table } = ctx;
  const primary = scenarioName(table);
  const before = await readAll(entries.filter((e) => e.on !== null));
  const writes = entries.filter((e) => e.kind !== 'check' && e.on !== null);
  for (const entry of writes) {
    entry.stamp = host.stamp(region, entry.on!.target.id, entry.on!.target.table);
    // BatchWriteItem's PutRequest holds the item as a put's request does; a delete carries no stamp.
    if (entry.stamp !== undefined) stampRequest(entry.kind as WriteKind, entry.request, entry.stamp);
  }
  let out: Record<string, unknown>;
  try {
    out = await callTable(table, operation, request);
  } catch (error) {
    if (error instanceof DynamoDBError) {
      const named = entries.map((e): NamedWrite | null => {
        const target = e.on?.target ?? e.mistyped;
        return target === undefined ? null : namedWrite(target, primary, e.kind, e.condition);
      });
      traceRefusal(host, region, named, error, (w) => before.get(slot({ table: w.table ?? primary, id: w.itemId })), transaction);
    }
    throw error;
  }
  const skipped = unprocessed(ctx, out);
  const done = writes.filter((e) => !skipped.has(slot(e.on!.target)));
  const after = await readAll(done);
  for (const entry of done) {
    const target = entry.on!.target;
    const item = after.get(slot(target));
    host.observe(region, {
      kind: 'written',
      op: syntheticOp(entry.kind as WriteKind, target.id, item),
      before: before.get(slot(target)) ?? null,
      after: item ?? null,
      stamp: entry.stamp,
      ...(transaction !== undefined ? { transaction } : {}),
      target,
    });
  }
  return ctx.names.toScenario(answer(out)) as Record<string, unknown>;
}

/** The items the entries name, read consistently, table by table, by `slot`. */
async function readAll(entries: readonly Entry[]): Promise<Map<string, Item | undefined>> {
  const byTable = new Map<RegionTable, ItemTarget[]>();
  for (const e of entries) byTable.set(e.on!.table, [...(byTable.get(e.on!.table) ?? []), e.on!.target]);
  const out = new Map<string, Item | undefined>();
  for (const [table, targets] of byTable) for (const [id, item] of await readItems(table, targets)) out.set(slot({ table: scenarioName(table), id }), item);
  return out;
}

/** An item's place among the run's tables: a key string may be the same in two tables. */
function slot(target: Pick<ItemTarget, 'table' | 'id'>): string {
  return `${target.table}\u0000${target.id}`;
}

/** The run's items BatchWriteItem left unprocessed, by `slot` (a batch names each item once). */
function unprocessed(ctx: WriteContext, out: Record<string, unknown>): Set<string> {
  const slots = new Set<string>();
  if (!isObject(out.UnprocessedItems)) return slots;
  for (const [name, left] of Object.entries(out.UnprocessedItems)) {
    for (const r of Array.isArray(left) ? (left as Record<string, Record<string, unknown> | undefined>[]) : []) {
      const { on } = itemOn(ctx, name, r?.PutRequest?.Item ?? r?.DeleteRequest?.Key);
      if (on !== null) slots.add(slot(on.target));
    }
  }
  return slots;
}

/** The run's table (by its real name) and the item an entry's Item or Key names on it, if it names one geosim can key; else what a key of the wrong type names. */
function itemOn(ctx: WriteContext, tableName: unknown, key: unknown): Pick<Entry, 'on' | 'mistyped'> {
  const table = (ctx.tables ?? [ctx.table]).find((t) => t.tableName === tableName);
  const target = table === undefined ? undefined : targetOf(table, key);
  if (table !== undefined && target !== undefined) return { on: { table, target } };
  return { on: null, mistyped: table === undefined ? undefined : mistypedTargetOf(table, key) };
}

function conditionOf(request: Record<string, unknown>): string | undefined {
  return typeof request.ConditionExpression === 'string' ? request.ConditionExpression : undefined;
}

function transactKind(entry: unknown): string | undefined {
  return isObject(entry) ? Object.keys(entry).find((k) => Object.hasOwn(TRANSACT_KINDS, k)) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
