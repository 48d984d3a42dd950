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
import type { Item } from './values.js';

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

type Operation = (input: Record<string, unknown>) => Record<string, unknown>;

export class ModelEndpoint implements DynamoDBEndpoint {
  readonly database: Database;
  private readonly tokens: TokenStore = new Map();
  private readonly operations: Record<string, Operation>;

  constructor(options: ModelEndpointOptions) {
    const dbOptions: DatabaseOptions = { now: options.now };
    if (options.region !== undefined) dbOptions.region = options.region;
    if (options.globalTables !== undefined) dbOptions.globalTables = options.globalTables;
    if (options.indexLagMs !== undefined) dbOptions.indexLagMs = options.indexLagMs;
    this.database = new Database(dbOptions);
    const db = this.database;
    this.operations = {
      CreateTable: (i) => db.createTable(i),
      DescribeTable: (i) => db.describeTable(i),
      ListTables: (i) => db.listTables(i),
      DeleteTable: (i) => db.deleteTable(i),
      UpdateTimeToLive: (i) => db.updateTimeToLive(i),
      DescribeTimeToLive: (i) => db.describeTimeToLive(i),
      GetItem: (i) => getItem(db, i),
      PutItem: (i) => putItem(db, i),
      UpdateItem: (i) => updateItem(db, i),
      DeleteItem: (i) => deleteItem(db, i),
      Query: (i) => query(db, i),
      Scan: (i) => scan(db, i),
      BatchGetItem: (i) => batchGetItem(db, i),
      BatchWriteItem: (i) => batchWriteItem(db, i),
      TransactWriteItems: (i) => transactWriteItems(db, this.tokens, i),
      TransactGetItems: (i) => transactGetItems(db, i),
      // DynamoDB Streams (their names do not clash with DynamoDB's; wire.ts routes both APIs here)
      ListStreams: (i) => listStreams(db, i),
      DescribeStream: (i) => describeStream(db, i),
      GetShardIterator: (i) => getShardIterator(db, i),
      GetRecords: (i) => getRecords(db, i),
    };
  }

  /** Runs one operation synchronously (the direct path, without the SDK). */
  call(operation: string, input: Record<string, unknown>): Record<string, unknown> {
    const run = Object.hasOwn(this.operations, operation) ? this.operations[operation] : undefined;
    if (run === undefined) throw new DynamoDBError('UnknownOperationException', 'An unknown operation was requested.');
    return run(input);
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call(operation, input);
  }

  /** Listens to every successful item write, in order (see Database.onChange). */
  onChange(listener: ChangeListener): () => void {
    return this.database.onChange(listener);
  }

  /** Stores a replicated write without conditions (`item` undefined = delete). */
  applyReplicated(table: string, item: Item | undefined, key: Item): void {
    this.database.applyReplicated(table, item, key);
  }
}
