import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import { DynamoDBError } from '../../dynamodb/errors.js';
import type { VersionStamp } from '../../trace/events.js';
import { sdkValue } from './attribute-codec.js';
import { answer, callTable, readItems, stampRequest, syntheticOp, type WriteKind } from './api-calls.js';
import type { ApiRequestHost } from './api-host.js';
import type { RegionTable } from './emulated-replication.js';
import type { TableNames } from './table-names.js';
import { traceRefusal, type NamedWrite } from './write-refusals.js';

/** What a multi-item write needs: the run, the region's table and how its name maps. */
export interface WriteContext {
  host: ApiRequestHost;
  region: string;
  table: RegionTable;
  names: TableNames;
}

/** One entry of a TransactWriteItems or BatchWriteItem, as sent (name mapped, stamped). */
interface Entry {
  kind: WriteKind | 'check';
  /** The entry's request as sent (TransactWriteItems) or its PutRequest / DeleteRequest (BatchWriteItem): stamped in place. */
  request: Record<string, unknown>;
  /** The item's Id when the entry is on the run's table and keyed by a string Id; else null. */
  id: string | null;
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
    entries.push({ kind, request: inner, id: idOf(ctx, inner.TableName, kind === 'put' ? inner.Item : inner.Key), condition: conditionOf(inner) });
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
      if (r?.PutRequest) entries.push({ kind: 'put', request: r.PutRequest, id: idOf(ctx, name, r.PutRequest.Item), condition: undefined });
      else if (r?.DeleteRequest) entries.push({ kind: 'delete', request: r.DeleteRequest, id: idOf(ctx, name, r.DeleteRequest.Key), condition: undefined });
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
  const keyed = entries.filter((e) => e.id !== null).map((e) => e.id!);
  const before = keyed.length > 0 ? await readItems(table, keyed) : new Map<string, Item | undefined>();
  const writes = entries.filter((e) => e.kind !== 'check' && e.id !== null);
  for (const entry of writes) {
    entry.stamp = host.stamp(region, entry.id!);
    // BatchWriteItem's PutRequest holds the item as a put's request does; a delete carries no stamp.
    if (entry.stamp !== undefined) stampRequest(entry.kind as WriteKind, entry.request, entry.stamp);
  }
  let out: Record<string, unknown>;
  try {
    out = await callTable(table, operation, request);
  } catch (error) {
    if (error instanceof DynamoDBError) {
      const named = entries.map((e): NamedWrite | null => (e.id === null ? null : { itemId: e.id, op: e.kind, condition: e.condition }));
      traceRefusal(host, region, named, error, (id) => before.get(id), transaction);
    }
    throw error;
  }
  const skipped = unprocessedIds(ctx, out);
  const done = writes.filter((e) => !skipped.has(e.id!));
  const after = done.length > 0 ? await readItems(table, done.map((e) => e.id!)) : new Map<string, Item | undefined>();
  for (const entry of done) {
    const id = entry.id!;
    const item = after.get(id);
    host.observe(region, {
      kind: 'written',
      op: syntheticOp(entry.kind as WriteKind, id, item),
      before: before.get(id) ?? null,
      after: item ?? null,
      stamp: entry.stamp,
      ...(transaction !== undefined ? { transaction } : {}),
    });
  }
  return ctx.names.toScenario(answer(out)) as Record<string, unknown>;
}

/** The Ids of the run table's items BatchWriteItem left unprocessed (a batch names each item once). */
function unprocessedIds(ctx: WriteContext, out: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  const left = isObject(out.UnprocessedItems) ? out.UnprocessedItems[ctx.table.tableName] : undefined;
  for (const r of Array.isArray(left) ? (left as Record<string, Record<string, unknown> | undefined>[]) : []) {
    const id = idOf(ctx, ctx.table.tableName, r?.PutRequest?.Item ?? r?.DeleteRequest?.Key);
    if (id !== null) ids.add(id);
  }
  return ids;
}

/** The string Id of an item or key on the run's table, if it has one. */
function idOf(ctx: WriteContext, tableName: unknown, key: unknown): string | null {
  if (tableName !== ctx.table.tableName) return null;
  const id = (key as Record<string, SdkAttributeValue> | undefined)?.Id?.S;
  return typeof id === 'string' ? id : null;
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
