/**
 * The model's DynamoDB endpoint for one region's database: dispatches each operation of the
 * DynamoDB API to the database and its operations. Deterministic: time only through `now()`.
 *
 * @example
 * const endpoint = new ModelEndpoint({ now: () => clock.now });
 * endpoint.onChange((table, key, oldImage, newImage) => replicate(table, key, newImage));
 * await endpoint.handle('PutItem', { TableName: 'Orders', Item: { Id: { S: 'o-1' } } });
 */
import { Database, type ChangeListener } from './database.js';
import type { DynamoDBEndpoint } from './endpoint.js';
import { DynamoDBError } from './errors.js';
import { batchGetItem, batchWriteItem } from './operations/batch.js';
import { deleteItem, getItem, putItem, updateItem } from './operations/items.js';
import { query, scan } from './operations/query.js';
import { transactGetItems, transactWriteItems, type TokenStore } from './operations/transactions.js';
import type { Item } from './values.js';

export interface ModelEndpointOptions {
  /** Milliseconds of the run's clock (virtual time in the model). */
  now: () => number;
  /** Region in table ARNs; default `us-east-1`. */
  region?: string;
}

type Operation = (input: Record<string, unknown>) => Record<string, unknown>;

export class ModelEndpoint implements DynamoDBEndpoint {
  readonly database: Database;
  private readonly tokens: TokenStore = new Map();
  private readonly operations: Record<string, Operation>;

  constructor(options: ModelEndpointOptions) {
    this.database = new Database(options.region === undefined ? { now: options.now } : { now: options.now, region: options.region });
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
