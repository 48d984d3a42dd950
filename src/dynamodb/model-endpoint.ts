/**
 * The model's DynamoDB endpoint for one region's database: dispatches each operation of the
 * DynamoDB API and of the DynamoDB Streams API to the database and its operations.
 * Deterministic: time only through `now()`.
 *
 * @example
 * const endpoint = new ModelEndpoint({ now: () => clock.now, globalTables: true });
 * endpoint.onChange((table, key, oldImage, newImage, origin) => {
 *   if (origin !== 'replication') replicate(table, key, newImage);
 * });
 * await endpoint.handle('PutItem', { TableName: 'Orders', Item: { Id: { S: 'o-1' } } });
 */
import { Database, type ChangeListener, type DatabaseOptions } from './database.js';
import type { DynamoDBEndpoint } from './endpoint.js';
import { DynamoDBError } from './errors.js';
import { batchGetItem, batchWriteItem } from './operations/batch.js';
import { deleteItem, getItem, putItem, updateItem } from './operations/items.js';
import { query, scan } from './operations/query.js';
import { transactGetItems, transactWriteItems, type TokenStore } from './operations/transactions.js';
import { describeStream, getRecords, getShardIterator, listStreams } from './streams-api.js';
import { runRewritten, usesLegacy, withoutLegacy } from './legacy.js';
import type { Item } from './values.js';
import type { Table } from './table.js';

export interface ModelEndpointOptions {
  /** Milliseconds of the run's clock (virtual time in the model). */
  now: () => number;
  /** Region in table ARNs; default `us-east-1`. */
  region?: string;
  /** Every table is a global table's replica with a NEW_AND_OLD_IMAGES stream (see DatabaseOptions). */
  globalTables?: boolean;
  /** Milliseconds before a write is visible in the GSIs; default 0 (see DatabaseOptions). */
  indexLagMs?: number;
}

type Operation = (db: Database, tokens: TokenStore, input: Record<string, unknown>) => Record<string, unknown>;

/** The operations, by name: one table for every endpoint (a run builds an endpoint per region, explore thousands a second). */
const OPERATIONS: Record<string, Operation> = {
  CreateTable: (db, _t, i) => db.createTable(i),
  DescribeTable: (db, _t, i) => db.describeTable(i),
  ListTables: (db, _t, i) => db.listTables(i),
  DeleteTable: (db, _t, i) => db.deleteTable(i),
  UpdateTimeToLive: (db, _t, i) => db.updateTimeToLive(i),
  DescribeTimeToLive: (db, _t, i) => db.describeTimeToLive(i),
  GetItem: (db, _t, i) => getItem(db, i),
  PutItem: (db, _t, i) => putItem(db, i),
  UpdateItem: (db, _t, i) => updateItem(db, i),
  DeleteItem: (db, _t, i) => deleteItem(db, i),
  Query: (db, _t, i) => query(db, i),
  Scan: (db, _t, i) => scan(db, i),
  BatchGetItem: (db, _t, i) => batchGetItem(db, i),
  BatchWriteItem: (db, _t, i) => batchWriteItem(db, i),
  TransactWriteItems: (db, tokens, i) => transactWriteItems(db, tokens, i),
  TransactGetItems: (db, _t, i) => transactGetItems(db, i),
  // DynamoDB Streams (their names do not clash with DynamoDB's; wire.ts routes both APIs here)
  ListStreams: (db, _t, i) => listStreams(db, i),
  DescribeStream: (db, _t, i) => describeStream(db, i),
  GetShardIterator: (db, _t, i) => getShardIterator(db, i),
  GetRecords: (db, _t, i) => getRecords(db, i),
};

export class ModelEndpoint implements DynamoDBEndpoint {
  readonly database: Database;
  private readonly tokens: TokenStore = new Map();

  constructor(options: ModelEndpointOptions) {
    const dbOptions: DatabaseOptions = { now: options.now };
    if (options.region !== undefined) dbOptions.region = options.region;
    if (options.globalTables !== undefined) dbOptions.globalTables = options.globalTables;
    if (options.indexLagMs !== undefined) dbOptions.indexLagMs = options.indexLagMs;
    this.database = new Database(dbOptions);
  }

  /** Runs one operation synchronously (the direct path, without the SDK). */
  call(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (run === undefined) throw new DynamoDBError('UnknownOperationException', 'An unknown operation was requested.');
    if (!usesLegacy(operation, input)) return run(this.database, this.tokens, input);
    return runRewritten(() => run(this.database, this.tokens, withoutLegacy(operation, input)), operation);
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call(operation, input);
  }

  /** Listens to every successful item write, in order (see Database.onChange). */
  onChange(listener: ChangeListener): () => void {
    return this.database.onChange(listener);
  }

  /**
   * Stores a replicated write without conditions (`item` undefined = delete); `encoded`: the
   * table's string for `key`, if known; `stored`: what the table holds under it (null: nothing), if just read;
   * `target`: the table named `table`, if just looked up.
   */
  applyReplicated(table: string, item: Item | undefined, key: Item, encoded?: string, stored?: Item | null, target?: Table): void {
    this.database.applyReplicated(table, item, key, encoded, stored, target);
  }
}
