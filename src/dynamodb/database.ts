/**
 * One region's DynamoDB database: tables by name, the control plane (CreateTable, DescribeTable,
 * ListTables, DeleteTable, UpdateTimeToLive, DescribeTimeToLive, validated and worded as DynamoDB
 * Local does), every item write in one place (`writeItem`), each table's stream, Time to Live in
 * the run's time (`nextExpiry`, `expireDue`), and the hooks the global-table layer builds on:
 * `onChange` listeners called for every successful write in order, and `applyReplicated` to store
 * a replicated write without conditions.
 */
import { DynamoDBError, validation } from './errors.js';
import { Stream, STREAM_VIEW_TYPES, type ChangeOrigin, type StreamViewType } from './streams.js';
import { Table, type IndexSchema, type KeyAttribute, type KeyType, type ProjectionType, type TableSchema } from './table.js';
import { TTL_MAX_AGE_SECONDS } from './ttl-index.js';
import { wholeNumber } from './parameters.js';
import { equalValues } from './value-ops.js';
import type { Item } from './values.js';
import { INVALID_ARN, isArn, parseTableArn } from './table-arn.js';

// Declared with the stream, whose records tell a TTL deletion apart, so streams.ts need not import this file.
export type { ChangeOrigin } from './streams.js';

/** Called after every successful item write: `newImage` undefined = deleted, `oldImage` undefined = created. */
/** `encoded` is the table's string for the item's key (Table.encodeKey): made once per write, for whoever keys maps by item. */
/** `kind`: the request's operation on this item (a transaction's entry), for a change a request made. */
/** `source`: the table object written (what `table` names), so a listener need not look it up by name. */
export type ChangeListener = (table: string, key: Item, oldImage: Item | undefined, newImage: Item | undefined, origin: ChangeOrigin, encoded: string, kind: WriteKind | undefined, source: Table) => void;

/** The kinds of operation on one item that write it. */
export type WriteKind = 'Put' | 'Update' | 'Delete';

export interface DatabaseOptions {
  /** Milliseconds of the run's clock (virtual time in the model). */
  now: () => number;
  /** Region in ARNs; default `us-east-1`. */
  region?: string;
  /**
   * Every table is a global table's replica: it has a NEW_AND_OLD_IMAGES stream whether or not
   * CreateTable asked for one (as DynamoDB requires of global tables). Default false.
   */
  globalTables?: boolean;
  /**
   * Milliseconds a write takes to reach the global secondary indexes: a Query or Scan on a GSI sees
   * the items as they were `indexLagMs` ago (the table itself at once). Default 0.
   */
  indexLagMs?: number;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const INVALID_NAME = "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";
export const NO_TABLE = 'Cannot do operations on a non-existent table';

interface RawKeyElement {
  AttributeName?: unknown;
  KeyType?: unknown;
}

/** How long after a Time to Live change another is refused (API reference, UpdateTimeToLive). */
const TTL_CHANGE_COOLDOWN_MS = 3_600_000;

export class Database {
  private readonly tables = new Map<string, Table>();
  /** Replaced, never changed in place, so a write can call the listeners of its moment without copying them. */
  private listeners: readonly ChangeListener[] = [];
  /** Every stream ever created here, the closed ones (of deleted tables) included, oldest first. */
  private readonly allStreams: Stream[] = [];
  private sequence = 0;
  readonly now: () => number;
  readonly region: string;
  readonly globalTables: boolean;
  readonly indexLagMs: number;

  constructor(options: DatabaseOptions) {
    this.now = options.now;
    this.region = options.region ?? 'us-east-1';
    this.globalTables = options.globalTables === true;
    this.indexLagMs = options.indexLagMs ?? 0;
    if (!(Number.isFinite(this.indexLagMs) && this.indexLagMs >= 0)) throw new RangeError(`indexLagMs must be a number >= 0, got ${String(options.indexLagMs)}`);
  }

  /** The streams of this database, oldest first (closed ones included, as DynamoDB keeps them 24 h). */
  streams(): readonly Stream[] {
    return this.allStreams;
  }

  /** The last sequence number given to a stream record (0 before the first). */
  get lastSequence(): number {
    return this.sequence;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners = this.listeners.filter((_, j) => j !== i);
    };
  }

  /** The table of a request's `TableName` (checked as DynamoDB checks it), or ResourceNotFoundException. */
  table(name: unknown): Table {
    // only valid names are ever stored: a hit needs no check (this runs on every request)
    const known = typeof name === 'string' ? this.tables.get(name) : undefined;
    if (known !== undefined) return known;
    if (isArn(name)) return this.tableOfArn(name);
    checkTableName(name);
    const table = this.tables.get(name as string);
    if (table === undefined) throw new DynamoDBError('ResourceNotFoundException', NO_TABLE);
    return table;
  }

  /**
   * The table a request names by its ARN (see table-arn.ts). An ARN of another region names a
   * table this regional endpoint does not serve: not found here (AWS does not say how it answers).
   */
  private tableOfArn(name: string): Table {
    const arn = parseTableArn(name);
    if (arn === undefined) throw validation(INVALID_ARN);
    const table = arn.region === this.region ? this.tables.get(arn.table) : undefined;
    if (table === undefined) throw new DynamoDBError('ResourceNotFoundException', NO_TABLE);
    return table;
  }

  /** The table named `name`, or undefined (no checks, no error: for the model's own bookkeeping). */
  tableIfExists(name: string): Table | undefined {
    return this.tables.get(name);
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  /** Stores a write (item undefined = delete), records it in the table's stream and tells the listeners. */
  /**
   * `encoded` is `table.encodeKey(key)`, when the caller made it already (it read the item by it);
   * `stored`, the item it read (null: none; see Table.write).
   */
  writeItem(table: Table, key: Item, item: Item | undefined, origin: ChangeOrigin = 'request', encoded = table.encodeKey(key), kind?: WriteKind, stored?: Item | null): Item | undefined {
    const now = this.now();
    // encoded once: the table's maps and the listeners' key the item by the same string (its hash computed once)
    const old = table.write(key, item, now, encoded, stored);
    if (old === undefined && item === undefined) return undefined;
    // DynamoDB writes no stream record for a write that changes nothing (a put of the same item, or
    // the same item replicated from another region); a Time to Live delete always changes it
    const unchanged = () => origin !== 'ttl' && old !== undefined && item !== undefined && equalValues({ M: old }, { M: item });
    if (table.stream && !unchanged()) table.stream.append(++this.sequence, now, this.region, key, old, item, origin);
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(table.name, key, old, item, origin, encoded, kind, table);
    return old;
  }

  /**
   * A replicated write: stored as is, no conditions (for the global-table layer); listeners are told.
   * `target`: the table named `tableName`, when the caller has just looked it up.
   */
  applyReplicated(tableName: string, item: Item | undefined, key: Item, encoded?: string, stored?: Item | null, target?: Table): Item | undefined {
    const table = target ?? this.table(tableName);
    return this.writeItem(table, key, item, 'replication', encoded ?? table.encodeKey(key), undefined, stored);
  }

  /**
   * Model time (ms) from which every table's global secondary indexes hold every write made so far
   * (the latest of the tables', see Table.indexesCurrentAt), or undefined with no lag or no write.
   */
  indexesCurrentAt(): number | undefined {
    let last: number | undefined;
    for (const table of this.tables.values()) {
      const at = table.indexesCurrentAt();
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
    return last;
  }

  /**
   * Model time (ms) at which the earliest item of a table with TTL enabled is due to expire, or
   * undefined when none is. Items TTL would never delete (an expiry more than five years before
   * now) are not counted.
   */
  nextExpiry(): number | undefined {
    const oldest = this.now() / 1000 - TTL_MAX_AGE_SECONDS;
    let next: number | undefined;
    for (const table of this.tables.values()) {
      let at = table.peekExpiryAt();
      while (at !== undefined && at < oldest) {
        table.shiftExpiry();
        at = table.peekExpiryAt();
      }
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next === undefined ? undefined : Math.max(0, Math.ceil(next * 1000));
  }

  /**
   * Deletes every item whose TTL attribute (a Number, epoch seconds) is <= now - `delayMs`, through the normal
   * write path with origin 'ttl' (stream records carry the service's userIdentity). Items whose
   * expiry is more than five years in the past are left, as DynamoDB leaves them. Returns how many
   * items were deleted. Cost: log(n) per due item, nothing per item not due.
   */
  expireDue(delayMs = 0): number {
    const nowSeconds = this.now() / 1000;
    const oldest = nowSeconds - TTL_MAX_AGE_SECONDS;
    // an item is deleted `delayMs` after its expiry (the service: within a few days of it)
    const dueSeconds = (this.now() - delayMs) / 1000;
    let deleted = 0;
    for (const table of [...this.tables.values()]) {
      for (let entry = table.peekExpiry(); entry !== undefined && entry.at <= dueSeconds; entry = table.peekExpiry()) {
        const item = table.shiftExpiry();
        if (item === undefined || entry.at < oldest) continue;
        this.writeItem(table, table.keyOf(item), undefined, 'ttl');
        deleted++;
      }
    }
    return deleted;
  }

  createTable(input: Record<string, unknown>): Record<string, unknown> {
    checkTableName(input.TableName);
    const name = input.TableName as string;
    const definitions = asArray(input.AttributeDefinitions) as { AttributeName?: unknown; AttributeType?: unknown }[];
    if (definitions.length === 0) throw validation('No Attribute Schema Defined');
    for (const d of definitions) {
      if (d.AttributeType !== 'S' && d.AttributeType !== 'N' && d.AttributeType !== 'B') throw validation('Member must satisfy enum value set: [B, N, S]');
    }
    // Refused in words of its own, before the key checks would count the index's attributes as unused
    // and say the definitions do not match, which would read as the client's mistake.
    if (asArray(input.LocalSecondaryIndexes).length > 0) throw validation('geosim does not model LocalSecondaryIndexes: create the table without them (a global secondary index with the same keys answers the same Query, eventually consistent only)');
    const types = new Map<string, KeyType>(definitions.map((d) => [String(d.AttributeName), d.AttributeType as KeyType]));
    const keySchema = asArray(input.KeySchema) as RawKeyElement[];
    const { partitionKey, sortKey } = parseKeySchema(keySchema, types, 'table');
    const indexes: IndexSchema[] = [];
    const used = new Set<string>([partitionKey.name, ...(sortKey ? [sortKey.name] : [])]);
    for (const raw of asArray(input.GlobalSecondaryIndexes) as Record<string, unknown>[]) {
      checkIndexName(raw.IndexName);
      if (indexes.some((i) => i.name === raw.IndexName)) throw validation('Two global secondary indices have the same name');
      const keys = parseKeySchema(asArray(raw.KeySchema) as RawKeyElement[], types, 'index');
      const projection = (raw.Projection ?? {}) as { ProjectionType?: unknown; NonKeyAttributes?: unknown };
      const type = (projection.ProjectionType ?? 'ALL') as ProjectionType;
      if (!['ALL', 'KEYS_ONLY', 'INCLUDE'].includes(type)) throw validation('Member must satisfy enum value set: [INCLUDE, ALL, KEYS_ONLY]');
      const included = asArray(projection.NonKeyAttributes);
      if (type === 'INCLUDE' && included.length === 0) throw validation('If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well');
      if (type !== 'INCLUDE' && projection.NonKeyAttributes !== undefined) throw validation('No attributes should be specified to be projected unless projection type is INCLUDE');
      if (input.BillingMode !== 'PAY_PER_REQUEST' && raw.ProvisionedThroughput === undefined) throw validation('No provisioned throughput specified for the global secondary index');
      const index: IndexSchema = { name: raw.IndexName as string, partitionKey: keys.partitionKey, projection: { type, nonKeyAttributes: type === 'INCLUDE' ? (asArray(projection.NonKeyAttributes) as string[]) : [] } };
      if (keys.sortKey) index.sortKey = keys.sortKey;
      indexes.push(index);
      used.add(keys.partitionKey.name);
      if (keys.sortKey) used.add(keys.sortKey.name);
    }
    if (used.size !== types.size) {
      throw validation('The number of attributes in key schema must match the number of attributes defined in attribute definitions.');
    }
    if (input.BillingMode !== 'PAY_PER_REQUEST' && input.ProvisionedThroughput === undefined) throw validation('No provisioned throughput specified for the table');
    if (this.tables.has(name)) throw new DynamoDBError('ResourceInUseException', 'Cannot create preexisting table');
    const viewType = this.streamViewType(input.StreamSpecification);
    const schema: TableSchema = { name, partitionKey, indexes };
    if (sortKey) schema.sortKey = sortKey;
    const table = new Table(schema, this.now(), input);
    table.indexLagMs = this.indexLagMs;
    if (viewType !== undefined) {
      // a stream's label is its creation time in ms; a table re-created in the same ms of model time
      // (virtual time may stand still) takes the next free one, so every stream ARN stays unique
      let created = table.createdAt;
      while (this.allStreams.some((st) => st.tableName === name && st.createdAt === created)) created++;
      table.stream = new Stream(name, this.tableArn(name), input.KeySchema, viewType, created, this.sequence + 1);
      this.allStreams.push(table.stream);
    }
    this.tables.set(name, table);
    return { TableDescription: this.describe(table) };
  }

  describeTable(input: Record<string, unknown>): Record<string, unknown> {
    return { Table: this.describe(this.table(input.TableName)) };
  }

  deleteTable(input: Record<string, unknown>): Record<string, unknown> {
    const table = this.table(input.TableName);
    if (table.description.DeletionProtectionEnabled === true) throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    // The service answers DELETING (the table goes away in the background); DynamoDB Local says
    // ACTIVE (docs/dynamodb-local-deviations.md). Here it is gone at once either way.
    const description = { ...this.describe(table), TableStatus: 'DELETING' };
    this.tables.delete(table.name);
    table.deleted = true;
    table.stream?.close(this.sequence);
    return { TableDescription: description };
  }

  listTables(input: Record<string, unknown>): Record<string, unknown> {
    const limit = input.Limit === undefined ? 100 : wholeNumber(input.Limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw validation(`1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
    }
    const start = input.ExclusiveStartTableName as string | undefined;
    if (start !== undefined) checkTableName(start);
    const names = this.tableNames().filter((n) => start === undefined || n > start);
    const page = names.slice(0, limit);
    const out: Record<string, unknown> = { TableNames: page };
    if (names.length > limit || (page.length === limit && input.Limit !== undefined)) out.LastEvaluatedTableName = page[page.length - 1];
    return out;
  }

  updateTimeToLive(input: Record<string, unknown>): Record<string, unknown> {
    const table = this.table(input.TableName);
    const spec = (input.TimeToLiveSpecification ?? {}) as { Enabled?: unknown; AttributeName?: unknown };
    const attributeName = String(spec.AttributeName ?? '');
    if (spec.Enabled === true) {
      if (table.ttl !== undefined) throw validation('TimeToLive is already enabled');
    } else {
      if (table.ttl === undefined) throw validation('TimeToLive is already disabled');
      if (table.ttl.attributeName !== attributeName) throw validation('TimeToLive is active on a different AttributeName');
    }
    // "It can take up to one hour for the change to fully process. Any additional UpdateTimeToLive
    // calls for the same table during this one hour duration result in a ValidationException."
    const now = this.now();
    if (table.ttlChangedAt !== undefined && now < table.ttlChangedAt + TTL_CHANGE_COOLDOWN_MS) throw validation('Time to live has been modified multiple times within a fixed interval');
    table.ttl = spec.Enabled === true ? { attributeName } : undefined;
    table.ttlChangedAt = now;
    return { TimeToLiveSpecification: { Enabled: spec.Enabled === true, AttributeName: attributeName } };
  }

  describeTimeToLive(input: Record<string, unknown>): Record<string, unknown> {
    const table = this.table(input.TableName);
    return {
      TimeToLiveDescription: table.ttl === undefined ? { TimeToLiveStatus: 'DISABLED' } : { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttl.attributeName },
    };
  }

  /**
   * The view type of a table's stream (checked as DynamoDB Local checks StreamSpecification), or
   * undefined for none. A global table's replica always streams NEW_AND_OLD_IMAGES.
   */
  private streamViewType(raw: unknown): StreamViewType | undefined {
    const spec = (raw ?? {}) as { StreamEnabled?: unknown; StreamViewType?: unknown };
    if (raw !== undefined) {
      if (spec.StreamViewType !== undefined && !STREAM_VIEW_TYPES.includes(spec.StreamViewType as StreamViewType)) {
        throw validation(`1 validation error detected: Value '${String(spec.StreamViewType)}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]`);
      }
      if (spec.StreamEnabled === true && spec.StreamViewType === undefined) throw validation('Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.');
      if (spec.StreamEnabled !== true && spec.StreamViewType !== undefined) throw validation('Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present.');
    }
    if (this.globalTables) return 'NEW_AND_OLD_IMAGES';
    return spec.StreamEnabled === true ? (spec.StreamViewType as StreamViewType) : undefined;
  }

  private tableArn(name: string): string {
    return `arn:aws:dynamodb:${this.region}:000000000000:table/${name}`;
  }

  private describe(table: Table): Record<string, unknown> {
    const input = table.description;
    const arn = this.tableArn(table.name);
    const created = table.createdAt / 1000;
    const provisioned = (input.ProvisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }) as Record<string, unknown>;
    const out: Record<string, unknown> = {
      AttributeDefinitions: input.AttributeDefinitions,
      TableName: table.name,
      KeySchema: input.KeySchema,
      TableStatus: 'ACTIVE',
      CreationDateTime: created,
      ProvisionedThroughput: { LastIncreaseDateTime: 0, LastDecreaseDateTime: 0, NumberOfDecreasesToday: 0, ReadCapacityUnits: provisioned.ReadCapacityUnits, WriteCapacityUnits: provisioned.WriteCapacityUnits },
      TableSizeBytes: table.sizeBytes,
      ItemCount: table.itemCount,
      TableArn: arn,
    };
    if (input.BillingMode === 'PAY_PER_REQUEST') out.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created };
    if (table.schema.indexes.length > 0) {
      out.GlobalSecondaryIndexes = (input.GlobalSecondaryIndexes as Record<string, unknown>[]).map((raw) => {
        const { itemCount, sizeBytes } = table.indexSize(table.index(raw.IndexName as string)!);
        const entry: Record<string, unknown> = { IndexName: raw.IndexName, KeySchema: raw.KeySchema, Projection: raw.Projection, IndexStatus: 'ACTIVE' };
        // the index's throughput as CreateTable gave it (a provisioned table's index must have one),
        // as DynamoDB Local answers; none for an on-demand index given none
        const throughput = raw.ProvisionedThroughput as Record<string, unknown> | undefined;
        if (throughput !== undefined) entry.ProvisionedThroughput = { ReadCapacityUnits: throughput.ReadCapacityUnits, WriteCapacityUnits: throughput.WriteCapacityUnits };
        entry.IndexSizeBytes = sizeBytes;
        entry.ItemCount = itemCount;
        entry.IndexArn = `${arn}/index/${String(raw.IndexName)}`;
        return entry;
      });
    }
    if (table.stream) {
      out.StreamSpecification = { StreamEnabled: true, StreamViewType: table.stream.viewType };
      out.LatestStreamLabel = table.stream.label;
      out.LatestStreamArn = table.stream.arn;
    }
    out.DeletionProtectionEnabled = input.DeletionProtectionEnabled === true;
    return out;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function checkTableName(name: unknown): void {
  if (typeof name !== 'string' || !TABLE_NAME.test(name)) throw validation(INVALID_NAME);
}

function checkIndexName(name: unknown): void {
  if (typeof name !== 'string' || !TABLE_NAME.test(name)) throw validation(INVALID_NAME);
}

function parseKeySchema(elements: RawKeyElement[], types: Map<string, KeyType>, what: 'table' | 'index'): { partitionKey: KeyAttribute; sortKey?: KeyAttribute } {
  const hash = elements.filter((e) => e.KeyType === 'HASH');
  const range = elements.filter((e) => e.KeyType === 'RANGE');
  if (hash.length > 1 && what === 'table') throw validation('Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key');
  if (hash.length !== 1 || range.length > 1 || elements.length !== hash.length + range.length) {
    throw validation('Invalid KeySchema: Some index key attribute have no definition');
  }
  if (elements[0]!.KeyType !== 'HASH') throw validation('Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second');
  const attribute = (e: RawKeyElement, role: 'Hash' | 'Range'): KeyAttribute => {
    const name = String(e.AttributeName);
    const type = types.get(name);
    if (type === undefined) {
      throw validation(what === 'table' ? `${role} Key not specified in Attribute Definitions.  Type unknown.` : `Attribute ${name} is not defined in AttributeDefinitions`);
    }
    return { name, type };
  };
  const out: { partitionKey: KeyAttribute; sortKey?: KeyAttribute } = { partitionKey: attribute(hash[0]!, 'Hash') };
  if (range[0]) out.sortKey = attribute(range[0], 'Range');
  return out;
}
