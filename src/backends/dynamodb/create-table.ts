import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableNotExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { EnvironmentError } from '../../errors.js';
import { mapAwsError, notLikeDynamoDb, type RequestContext } from './errors.js';
import type { TableSpec } from '../../scenario/model.js';
import { DEFAULT_TABLES } from '../../sim/tables.js';

/** A table geosim may use; `created` says whether geosim made it (and so may delete it). */
export interface TableHandle {
  client: DynamoDBClient;
  tableName: string;
  region: string;
  endpoint?: string;
  created: boolean;
  streamArn: string | undefined;
  /** Regions of the global table's replicas (empty for a single-region table). */
  replicaRegions: string[];
}

/**
 * Creates a table in one region and waits until it is ACTIVE: by default the seed table (`Id` (S)
 * partition key, GSI `IdempotencyIndex` on `IdempotencyKey` (S) projecting ALL, TTL on
 * `ExpiresAt`), or the `shape` a scenario declares (its keys and indexes, TTL if it declares one);
 * always on demand and with a NEW_AND_OLD_IMAGES stream (what global tables replicate from,
 * aws-semantics §1.7). An existing table is used as is after checking it has the key, indexes and
 * stream geosim needs. `ttl: false` leaves TTL off (scenario runs on GlobalEventTable: their expiry
 * times are virtual, while DynamoDB expires on the wall clock).
 */
export async function ensureTable(
  client: DynamoDBClient,
  where: { tableName: string; region: string; endpoint?: string },
  options: { requireStream?: boolean; waitSeconds?: number; create?: boolean; ttl?: boolean; shape?: TableSpec } = {},
): Promise<TableHandle> {
  const shape = options.shape ?? DEFAULT_TABLES[0]!;
  const ctx = (operation: string): RequestContext => ({ operation, ...where });
  let created = false;
  let description = await describe(client, where.tableName, ctx('DescribeTable'));
  if (description === undefined && options.create === false) {
    throw mapAwsError(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }), ctx('DescribeTable'));
  }
  if (description === undefined) {
    try {
      const answer = await client.send(
        new CreateTableCommand({
          ...(onDemand(shape.definition) as object),
          TableName: where.tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      created = true;
      if (!isDescription(answer.TableDescription, where.tableName)) throw notLikeDynamoDb(ctx('CreateTable'), 'HTTP 200 without the new table\'s description');
    } catch (error) {
      // Someone else created it between our describe and create: use theirs, never delete it.
      if (!(error instanceof ResourceInUseException)) throw mapAwsError(error, ctx('CreateTable'));
    }
    await waitUntilActive(client, where, options.waitSeconds ?? 120, ctx('DescribeTable'));
    if (created && options.ttl !== false && shape.ttlAttribute !== undefined) {
      try {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: where.tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: shape.ttlAttribute } }),
        );
      } catch (error) {
        throw mapAwsError(error, ctx('UpdateTimeToLive'));
      }
    }
    description = await describe(client, where.tableName, ctx('DescribeTable'));
  }
  if (description === undefined) throw new EnvironmentError(`table ${where.tableName} in ${where.region} vanished right after it was created`);
  checkSchema(description, where, options.requireStream ?? false, shape);
  return {
    client,
    tableName: where.tableName,
    region: where.region,
    ...(where.endpoint !== undefined ? { endpoint: where.endpoint } : {}),
    created,
    streamArn: description.LatestStreamArn,
    replicaRegions: (description.Replicas ?? []).map((r) => r.RegionName ?? '').filter((r) => r !== ''),
  };
}

/** Deletes a table only if geosim created it in this run; a table it found is left alone. */
export async function dropCreatedTable(handle: TableHandle): Promise<boolean> {
  if (!handle.created) return false;
  try {
    await handle.client.send(new DeleteTableCommand({ TableName: handle.tableName }));
    await waitUntilTableNotExists({ client: handle.client, maxWaitTime: 60, minDelay: 1, maxDelay: 5 }, { TableName: handle.tableName });
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return true;
    throw mapAwsError(error, { operation: 'DeleteTable', tableName: handle.tableName, region: handle.region, ...(handle.endpoint !== undefined ? { endpoint: handle.endpoint } : {}) });
  }
  return true;
}

/**
 * The table's description; undefined if there is no such table. An answer without a description
 * of that table is refused at once: DynamoDB never gives one (the SDK's waiter would poll it for
 * minutes and end with its internal state as the message).
 */
async function describe(client: DynamoDBClient, tableName: string, ctx: RequestContext): Promise<TableDescription | undefined> {
  let table: unknown;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw mapAwsError(error, ctx);
  }
  if (!isDescription(table, tableName)) throw notLikeDynamoDb(ctx, 'HTTP 200 without the table\'s description');
  return table;
}

const TABLE_STATUSES = new Set(['CREATING', 'UPDATING', 'DELETING', 'ACTIVE', 'INACCESSIBLE_ENCRYPTION_CREDENTIALS', 'ARCHIVING', 'ARCHIVED', 'REPLICATION_NOT_AUTHORIZED']);

/** Whether `value` reads like DynamoDB's description of table `tableName`. */
function isDescription(value: unknown, tableName: string): value is TableDescription {
  if (value === null || typeof value !== 'object') return false;
  const { TableName, TableStatus } = value as TableDescription;
  return TableName === tableName && typeof TableStatus === 'string' && TABLE_STATUSES.has(TableStatus);
}

/** Polls DescribeTable (1 s, then up to 5 s apart) until the new table is ACTIVE, for at most `seconds`. */
async function waitUntilActive(client: DynamoDBClient, where: { tableName: string; region: string }, seconds: number, ctx: RequestContext): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 5000)) {
    const table = await describe(client, where.tableName, ctx);
    if (table?.TableStatus === 'ACTIVE') return;
    if (Date.now() + delay > deadline) {
      throw new EnvironmentError(`table ${where.tableName} in ${where.region} did not become ACTIVE within ${seconds} s (${table ? `still ${table.TableStatus}` : 'not found after CreateTable'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * The CreateTable request for a run's table: on demand, whatever the declaration says. Capacity is
 * not modeled, so a run must never be throttled where the model is not; a throwaway table should
 * not hold provisioned capacity either.
 */
function onDemand(definition: Record<string, unknown>): Record<string, unknown> {
  const { ProvisionedThroughput: _table, ...rest } = definition;
  const indexes = rest.GlobalSecondaryIndexes;
  return {
    ...rest,
    BillingMode: 'PAY_PER_REQUEST',
    ...(Array.isArray(indexes) ? { GlobalSecondaryIndexes: indexes.map(({ ProvisionedThroughput: _index, ...index }: Record<string, unknown>) => index) } : {}),
  };
}

/** The key and indexes geosim expects (the shape's), the stream it needs: what an existing table must have. */
function checkSchema(table: TableDescription, where: { tableName: string; region: string }, requireStream: boolean, shape: TableSpec): void {
  const problems: string[] = [];
  const [partition, sort] = shape.keyNames;
  const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH');
  const range = table.KeySchema?.find((k) => k.KeyType === 'RANGE');
  if (hash?.AttributeName !== partition || range?.AttributeName !== sort) {
    problems.push(`partition key must be ${partition} ${sort === undefined ? 'with no sort key' : `with sort key ${sort}`}`);
  }
  const indexes = (shape.definition.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string }>;
  for (const index of indexes) {
    if (!table.GlobalSecondaryIndexes?.some((i) => i.IndexName === index.IndexName)) problems.push(`GSI ${index.IndexName} is missing`);
  }
  const stream = table.StreamSpecification;
  if (requireStream && (stream?.StreamEnabled !== true || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES')) {
    problems.push('a NEW_AND_OLD_IMAGES stream is required');
  }
  if (problems.length > 0) {
    throw new EnvironmentError(`table ${where.tableName} in ${where.region} does not fit geosim's schema: ${problems.join('; ')}`);
  }
}
