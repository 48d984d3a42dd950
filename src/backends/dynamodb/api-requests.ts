import { DynamoDBError } from '../../dynamodb/errors.js';
import { answer, callTable, COMMANDS, readItem, stampRequest, syntheticOp, type Operation, type WriteKind } from './api-calls.js';
import { sdkValue } from './attribute-codec.js';
import type { ApiRequestHost } from './api-host.js';
import type { RegionTable } from './emulated-replication.js';
import { mistypedTargetOf, scenarioName, targetOf } from './item-keys.js';
import { batchWriteItem, transactWriteItems } from './multi-item-writes.js';
import { TableNames } from './table-names.js';
import { namedWrite, traceRefusal } from './write-refusals.js';
import type { Item } from '../../app/item.js';
import { readableReadRequest } from '../../dynamodb/legacy.js';
import { toPlainItem } from '../../dynamodb/plain.js';
import { canonicalItem } from '../../trace/item.js';
import type { Item as WireItem } from '../../dynamodb/values.js';
import type { SendOptions } from '../../sim/substrate.js';
import { TRACED_READS } from '../../trace/read-request.js';
import { readTraces } from '../../trace/read-traces.js';


/** The single-item writes, by operation. */
const WRITES: Record<string, WriteKind> = { PutItem: 'put', UpdateItem: 'update', DeleteItem: 'delete' };

/** Requests that write nothing: passed on with the table's name mapped both ways. */
const READS = new Set<string>(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems', 'DescribeTable']);

/**
 * Requests of the DynamoDB API sent to a real table: scenario steps in DynamoDB syntax (issue 11
 * item 8) and every request a team's handler makes through its SDK (issue 13). The request goes to
 * the region's table of this run (whatever its name: `GlobalEventTable`, or no name, means it) and
 * its answer names `GlobalEventTable` again; geosim's replication stamp is added to every write the
 * way the port's own writes carry it (a hidden attribute DynamoDB cannot tell from the user's), and
 * the hidden attributes are left out of every answer. Each written item is read before and after
 * (geosim is the only writer, one request at a time), so the trace and the emulated replication see
 * its images as they see the application's writes; refusals are traced as the model traces them.
 */
export class ApiRequests {
  constructor(private readonly host: ApiRequestHost) {}

  async send(region: string, operation: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<Record<string, unknown>> {
    if (!Object.hasOwn(COMMANDS, operation)) {
      throw new DynamoDBError(
        'ValidationException',
        `geosim sends ${operation} only to the model: on DynamoDB it passes on GetItem, Query, Scan, BatchGetItem, TransactGetItems, DescribeTable, PutItem, UpdateItem, DeleteItem, TransactWriteItems and BatchWriteItem`,
      );
    }
    const tables = this.host.tables?.(region) ?? [this.host.table(region)];
    const names = new TableNames(tables);
    const ctx = { host: this.host, region, table: tables[0]!, tables, names };
    if (operation === 'TransactWriteItems') return transactWriteItems(ctx, input);
    if (operation === 'BatchWriteItem') return batchWriteItem(ctx, input);
    if (READS.has(operation)) {
      if (options.traceRead !== true || !TRACED_READS.has(operation)) return this.read(region, tables, names, operation as Operation, input);
      return this.tracedRead(region, tables, names, operation as Operation, input, options);
    }
    return this.writeOne(region, tables, names, operation as Operation, input);
  }

  private async read(region: string, tables: readonly RegionTable[], names: TableNames, operation: Operation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    // Any of the region's tables carries the request: they share one client.
    const out = names.toScenario(answer(await callTable(tables[0]!, operation, sdkValue(readRequest(names, operation, input)) as Record<string, unknown>))) as Record<string, unknown>;
    if (operation === 'DescribeTable' && out.Table !== undefined && tables.some((t) => t.tableName === names.toReal(input.TableName))) {
      const others = this.host.emulatedReplicas?.(region);
      // The model's DescribeTable of a global table (World.describeReplicas): version 2019.11.21, its replicas.
      if (others !== undefined && others.length > 0) {
        out.Table = { ...(out.Table as Record<string, unknown>), GlobalTableVersion: '2019.11.21', Replicas: others.map((r) => ({ RegionName: r, ReplicaStatus: 'ACTIVE' })) };
      }
    }
    return out;
  }

  /** A team's handler's read: answered as any read, and traced with the event it was handling, as the model traces it (readTraces). */
  private async tracedRead(region: string, tables: readonly RegionTable[], names: TableNames, operation: Operation, input: Record<string, unknown>, options: SendOptions): Promise<Record<string, unknown>> {
    const cause = this.host.cause();
    const primary = scenarioName(tables[0]!);
    const name = (tableName: string, keyOrItem: unknown) => {
      const table = tables.find((t) => t.tableName === names.toReal(tableName));
      const target = table === undefined ? undefined : targetOf(table, sdkValue(keyOrItem));
      return target === undefined ? undefined : { itemId: target.id, ...(target.table === primary ? {} : { table: target.table }) };
    };
    // the canonical attribute order, as the model's: DynamoDB answers in an order of its own
    const plain = (item: unknown) => canonicalItem(toPlainItem(item as WireItem) as Item);
    // a request in legacy parameters as the expressions it stands for, as the model shows it
    const shown = readableReadRequest(operation, input);
    const caller = this.host.caller();
    const ctx = { t: this.host.now(), region, ...(cause !== undefined ? { cause } : {}), ...(caller !== undefined ? { caller } : {}), ...(options.readCause ? { causeOf: options.readCause } : {}), name, plain, primary };
    let out: Record<string, unknown>;
    try {
      out = await this.read(region, tables, names, operation, input);
    } catch (error) {
      if (error instanceof DynamoDBError) for (const event of readTraces(operation, shown, error, ctx)) this.host.emit(event);
      throw error;
    }
    for (const event of readTraces(operation, shown, out, ctx)) this.host.emit(event);
    return out;
  }

  private async writeOne(region: string, tables: readonly RegionTable[], names: TableNames, operation: Operation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = sdkValue({ ...input, TableName: names.toReal(input.TableName) }) as Record<string, unknown>;
    const kind = WRITES[operation]!;
    const table = tables.find((t) => t.tableName === request.TableName);
    const target = table === undefined ? undefined : targetOf(table, operation === 'PutItem' ? request.Item : request.Key);
    // A write DynamoDB will refuse for its key (or on another table): nothing to stamp or trace as written.
    if (table === undefined || target === undefined) {
      try {
        return names.toScenario(answer(await callTable(tables[0]!, operation, request))) as Record<string, unknown>;
      } catch (error) {
        // a key of the wrong type (`Id: 42` on a string key) is named as the model names it
        const named = table === undefined ? undefined : mistypedTargetOf(table, operation === 'PutItem' ? request.Item : request.Key);
        if (error instanceof DynamoDBError && named !== undefined) {
          const condition = typeof input.ConditionExpression === 'string' ? input.ConditionExpression : undefined;
          traceRefusal(this.host, region, [namedWrite(named, scenarioName(tables[0]!), kind, condition)], error, () => undefined, undefined);
        }
        throw error;
      }
    }
    const id = target.id;
    const onTable = target.table === scenarioName(tables[0]!) ? {} : { table: target.table };
    const before = await readItem(table, target.key);
    const stamp = this.host.stamp(region, id, target.table);
    if (stamp !== undefined) stampRequest(kind, request, stamp);
    let out: Record<string, unknown>;
    try {
      out = await callTable(table, operation, request);
    } catch (error) {
      if (error instanceof DynamoDBError) {
        const condition = typeof input.ConditionExpression === 'string' ? input.ConditionExpression : undefined;
        traceRefusal(this.host, region, [{ itemId: id, ...onTable, op: kind, condition }], error, () => before, undefined);
      }
      throw error;
    }
    const after = await readItem(table, target.key);
    this.host.observe(region, { kind: 'written', op: syntheticOp(kind, id, after), before: before ?? null, after: after ?? null, stamp, target });
    return names.toScenario(answer(out)) as Record<string, unknown>;
  }
}

/** A read request with every table it names mapped to the real one. */
function readRequest(names: TableNames, operation: Operation, input: Record<string, unknown>): Record<string, unknown> {
  if (operation === 'BatchGetItem') {
    const byTable = input.RequestItems;
    return byTable !== null && typeof byTable === 'object' && !Array.isArray(byTable) ? { ...input, RequestItems: names.keysToReal(byTable as Record<string, unknown>) } : input;
  }
  if (operation === 'TransactGetItems') {
    if (!Array.isArray(input.TransactItems)) return input;
    const items = (input.TransactItems as unknown[]).map((e) => {
      const get = (e as { Get?: Record<string, unknown> } | null)?.Get;
      return get === undefined || get === null ? e : { ...(e as Record<string, unknown>), Get: { ...get, TableName: names.toReal(get.TableName) } };
    });
    return { ...input, TransactItems: items };
  }
  return { ...input, TableName: names.toReal(input.TableName) };
}
