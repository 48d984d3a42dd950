/**
 * One DynamoDB table of a region's database: its key schema (partition key, optional sort key, each
 * S, N or B), its items ordered as Query returns them, its global secondary indexes, and the
 * capacity units DynamoDB charges for reading and writing them.
 */
import { validation } from './errors.js';
import type { Stream } from './streams.js';
import { expiryOf, TtlIndex } from './ttl-index.js';
import { compareValues, emptyKey, emptyMap, itemSize, normalizeValue, utf8Length, valueSize } from './value-ops.js';
import type { AttributeValue, Item } from './values.js';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface IndexSchema {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: { type: ProjectionType; nonKeyAttributes: string[] };
}

export interface TableSchema {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexSchema[];
}

/** What a Query or Scan reads: the table itself or one of its indexes. */
export interface KeySpace {
  /** Index name, or undefined for the table. */
  index?: IndexSchema | undefined;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute | undefined;
}

const KB = 1024;

/** Write capacity units of writing an item of `size` bytes: 1 per KB started, at least 1. */
export function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / KB));
}

/** Read capacity units of reading `size` bytes: 1 per 4 KB started (at least 1), half when eventually consistent. */
export function readUnits(size: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(size / (4 * KB)));
  return consistent ? units : units / 2;
}

/** A key value as a string that is equal for equal DynamoDB values (numbers are canonical, base64 normalised). */
function encodeValue(value: AttributeValue): string {
  if ('S' in value) return `S${value.S}`;
  if ('N' in value) return `N${value.N}`;
  if ('B' in value) return `B${Buffer.from(value.B, 'base64').toString('base64')}`;
  return `?${JSON.stringify(value)}`;
}

/** A key value of a table keyed by one attribute of `type`, as `Table.encodeKey` gives it. */
function plainKeyString(value: AttributeValue, type: KeyType): string {
  let raw: string | undefined;
  if (type === 'S') raw = (value as { S?: string }).S;
  else if (type === 'N') raw = (value as { N?: string }).N;
  if (raw !== undefined && typeof raw === 'string') {
    const first = raw.charCodeAt(0);
    if (first !== 1 && first !== 2) return raw;
  }
  return `\u0002${encodeValue(value)}`;
}

/** One entry of a partition: the encoded table key and the item (or index entry). */
interface Entry {
  readonly key: string;
  readonly item: Item;
}

/**
 * The entries of one partition, in no order: one entry alone (every partition of an index on a
 * unique attribute such as the idempotency key), a few in an array, more in a Map by encoded table
 * key. A Map per partition was most of the memory of a long run, and making one whenever a second
 * item joined a partition a good part of its writes' time.
 */
type Partition = Entry | Entry[] | Map<string, Item>;

/** Entries a partition holds in an array before it takes a Map. */
const SMALL_PARTITION = 8;

/** The partition without the entry of `key`; undefined when nothing is left. */
function without(partition: Partition, key: string): Partition | undefined {
  if (partition instanceof Map) {
    partition.delete(key);
    return partition.size === 0 ? undefined : partition;
  }
  if (!Array.isArray(partition)) return partition.key === key ? undefined : partition;
  const i = partition.findIndex((e) => e.key === key);
  if (i >= 0) partition.splice(i, 1);
  return partition.length === 0 ? undefined : partition.length === 1 ? partition[0] : partition;
}

/** The partition (undefined: a new one) with `item` as the entry of `key`. */
function withEntry(partition: Partition | undefined, key: string, item: Item): Partition {
  if (partition === undefined) return { key, item };
  if (partition instanceof Map) return partition.set(key, item);
  if (!Array.isArray(partition)) return partition.key === key ? { key, item } : [partition, { key, item }];
  const i = partition.findIndex((e) => e.key === key);
  if (i >= 0) partition[i] = { key, item };
  else if (partition.length < SMALL_PARTITION) partition.push({ key, item });
  else return new Map([...partition.map((e): [string, Item] => [e.key, e.item]), [key, item]]);
  return partition;
}

/** One write as the indexes remember it while it is not yet visible in them (index lag). */
interface PendingWrite {
  at: number;
  key: string;
  old: Item | undefined;
}

export class Table {
  private readonly items = new Map<string, Item>();
  /**
   * Entries by partition, for the table (key '') and each index (its name): encoded partition key
   * value → encoded table key → entry. A Query reads one partition instead of every item.
   */
  private readonly partitions = new Map<string, Map<string, Partition>>();
  /** See keyNames. */
  private readonly names: readonly string[];
  /** The table's own key space and its indexes', as `repartition` walks them. */
  private readonly spaces: { name: string; index?: IndexSchema; partitionKey: KeyAttribute }[];
  private ttlSpec: { attributeName: string } | undefined;
  /** When a request last changed Time to Live (Database.now()): another change within the hour is refused. Undefined: none, or one made before the run (a deployed table's). */
  ttlChangedAt: number | undefined;
  /** Expiry times of the items, while TTL is enabled. */
  private ttlIndex: TtlIndex | undefined;
  /** Writes the partitions do not hold yet, as pairs (encoded key, item before the write); see `unpartitioned`. */
  private unsynced: Array<string | Item | undefined> = [];
  /**
   * The partitions are rebuilt from the items when next read: before the first read (most runs
   * never query an index, and then keep no backlog, nor the items it would hold alive), and once the
   * backlog outgrew the table.
   */
  private partitionsStale = true;
  /** Writes newer than `indexLagMs`, oldest first: what a GSI read does not see yet. */
  private pending: PendingWrite[] = [];
  /** How long a write takes to reach the GSIs (Database option `indexLagMs`); 0 = at once. */
  indexLagMs = 0;
  /** The table's stream, when it has one. */
  stream: Stream | undefined;
  /**
   * Set once DeleteTable removed it from its database: a table created again under its name is
   * another object. (The model reads it for a replicated write of this table still on its way,
   * World.deliver: one flag instead of a lookup by name per delivery.)
   */
  deleted = false;

  constructor(
    readonly schema: TableSchema,
    readonly createdAt: number,
    /** The request that created it, for DescribeTable. */
    readonly description: Record<string, unknown>,
  ) {
    // Without a sort key a partition of the table is one item: `items` already finds it.
    const own = schema.sortKey ? [{ name: '', partitionKey: schema.partitionKey }] : [];
    this.spaces = [...own, ...schema.indexes.map((index) => ({ name: index.name, index, partitionKey: index.partitionKey }))];
    this.names = Object.freeze(schema.sortKey ? [schema.partitionKey.name, schema.sortKey.name] : [schema.partitionKey.name]);
  }

  get name(): string {
    return this.schema.name;
  }

  /** The key attribute names, partition key first (one array per table: read on every request, never changed). */
  get keyNames(): readonly string[] {
    return this.names;
  }

  /** Every item, in no particular order (a caller that sorts its own way skips `entries`' sort). */
  allItems(): IterableIterator<Item> {
    return this.items.values();
  }

  get itemCount(): number {
    return this.items.size;
  }

  get sizeBytes(): number {
    let size = 0;
    for (const item of this.items.values()) size += itemSize(item);
    return size;
  }

  /** The key attributes of an item (which must have them). */
  keyOf(item: Item): Item {
    const key = emptyKey();
    for (const name of this.keyNames) key[name] = item[name]!;
    return key;
  }

  /**
   * The string the table keys an item by: equal for equal keys, distinct for distinct ones. A
   * table with a partition key only (the scenario's table) keys an item by the key's own value
   * string, the very string the item holds: no string is built per request, and its hash, cached
   * in the string, is computed once (a fresh string per lookup in a map of a million idempotency
   * records was a tenth of a long run's time). A value that starts with \u0001 or \u0002, or is
   * not of the key's type, is escaped: `\u0002` and its typed form, which no plain value can be.
   * (World.slotOf prefixes another table's slots with \u0001.)
   */
  encodeKey(key: Item): string {
    const { partitionKey, sortKey } = this.schema;
    if (sortKey === undefined) return plainKeyString(key[partitionKey.name]!, partitionKey.type);
    // the partition key's length first: a value may hold the separator
    const pk = encodeValue(key[partitionKey.name]!);
    return `${pk.length}\u0000${pk}${encodeValue(key[sortKey.name]!)}`;
  }

  get(key: Item): Item | undefined {
    return this.items.get(this.encodeKey(key));
  }

  /** The item stored under an encoded key (see `encodeKey`). */
  getEncoded(encoded: string): Item | undefined {
    return this.items.get(encoded);
  }

  get ttl(): { attributeName: string } | undefined {
    return this.ttlSpec;
  }

  /** Enables (indexing every item's expiry once) or, with undefined, disables Time to Live. */
  set ttl(spec: { attributeName: string } | undefined) {
    this.ttlSpec = spec;
    this.ttlIndex = undefined;
    if (spec === undefined) return;
    const attribute = spec.attributeName;
    const items = this.items;
    const index = new TtlIndex(
      (key) => expiryOf(items.get(key)?.[attribute]),
      function* () {
        for (const [key, item] of items) {
          const at = expiryOf(item[attribute]);
          if (at !== undefined) yield [key, at] as const;
        }
      },
    );
    for (const [key, item] of items) index.set(key, undefined, expiryOf(item[attribute]));
    this.ttlIndex = index;
  }

  /** The earliest item expiry (epoch seconds, encoded key) still indexed, or undefined. */
  peekExpiry(): { at: number; key: string } | undefined {
    return this.ttlIndex?.peek();
  }

  /** `peekExpiry()`'s time alone (no entry object). */
  peekExpiryAt(): number | undefined {
    return this.ttlIndex?.peekAt();
  }

  /** Drops the earliest expiry entry (after `peekExpiry`) and returns the item it names, if any. */
  shiftExpiry(): Item | undefined {
    const entry = this.ttlIndex?.shift();
    return entry === undefined ? undefined : this.items.get(entry.key);
  }

  /**
   * Stores (or, with `item` undefined, removes) the item of `key` at model time `at`; returns the
   * old one. Keeps the partitions, the TTL index and, with an index lag, the writes the GSIs do
   * not see yet. `encoded` is `encodeKey(key)`, when the caller has it; `stored` is what the table
   * holds under it now (null: nothing), when the caller has just read it (a request reads the item
   * to check its condition): one lookup fewer in a map that grows by an item per idempotency record.
   */
  write(key: Item, item: Item | undefined, at = 0, encoded = this.encodeKey(key), stored?: Item | null): Item | undefined {
    const old = stored === undefined ? this.items.get(encoded) : (stored ?? undefined);
    if (item === undefined) this.items.delete(encoded);
    else this.items.set(encoded, item);
    if (this.spaces.length > 0) this.unpartitioned(encoded, old);
    if (this.ttlIndex) {
      const attribute = this.ttlSpec!.attributeName;
      this.ttlIndex.set(encoded, old === undefined ? undefined : expiryOf(old[attribute]), item === undefined ? undefined : expiryOf(item[attribute]));
    }
    if (this.indexLagMs > 0 && this.schema.indexes.length > 0) {
      this.prunePending(at);
      this.pending.push({ at, key: encoded, old });
    }
    return old;
  }

  /** Forgets the writes every GSI read at `now` or later sees. */
  private prunePending(now: number): void {
    let i = 0;
    while (i < this.pending.length && this.pending[i]!.at + this.indexLagMs <= now) i++;
    if (i > 0) this.pending.splice(0, i);
  }

  /** Whether an index read at `now` must see an older state than the table's (writes still on their way). */
  lagsAt(space: KeySpace, now: number): boolean {
    if (space.index === undefined) return false;
    const current = this.indexesCurrentAt();
    return current !== undefined && current > now;
  }

  /**
   * When the GSIs hold every write made so far: the newest write's time plus `indexLagMs` (an
   * index read at that time or later sees the table as it is now), or undefined with no lag or no
   * write. A write is on its way while `at + indexLagMs > now`, always in that form, so a clock
   * set to this very sum finds it arrived (`now - indexLagMs` could round below `at`).
   */
  indexesCurrentAt(): number | undefined {
    // pending writes are in time order: the newest tells when the last of them arrives
    const newest = this.pending[this.pending.length - 1];
    return newest === undefined || this.indexLagMs <= 0 ? undefined : newest.at + this.indexLagMs;
  }

  /**
   * Notes a write the partitions do not hold yet: they are brought up to date when a Query reads
   * one (`syncPartitions`), not on every write (most runs write far more than they query an index).
   * A backlog longer than the table is dropped for a rebuild from the items.
   */
  private unpartitioned(encoded: string, old: Item | undefined): void {
    if (this.partitionsStale) return;
    this.unsynced.push(encoded, old);
    // two entries per write: past about half as many writes as the table has items, a rebuild costs less
    if (this.unsynced.length > this.items.size + 1024) {
      this.partitionsStale = true;
      this.unsynced = [];
    }
  }

  /** Brings the partitions up to date with the items (see `unpartitioned`). */
  private syncPartitions(): void {
    if (this.partitionsStale) {
      this.partitionsStale = false;
      this.unsynced = [];
      this.partitions.clear();
      for (const [key, item] of this.items) this.repartition(key, undefined, item);
      return;
    }
    if (this.unsynced.length === 0) return;
    const log = this.unsynced;
    this.unsynced = [];
    // what the partitions hold of each key is the item before its first write since the last sync
    const held = new Map<string, Item | undefined>();
    for (let i = 0; i < log.length; i += 2) {
      const key = log[i] as string;
      if (!held.has(key)) held.set(key, log[i + 1] as Item | undefined);
    }
    for (const [key, old] of held) this.repartition(key, old, this.items.get(key));
  }

  /** Moves an item's entries between partitions of the table and of every index. */
  private repartition(encoded: string, old: Item | undefined, item: Item | undefined): void {
    for (const space of this.spaces) {
      const before = space.index ? this.indexEntry(space.index, old) : old;
      const after = space.index ? this.indexEntry(space.index, item) : item;
      let byPartition = this.partitions.get(space.name);
      if (byPartition === undefined) this.partitions.set(space.name, (byPartition = new Map()));
      if (before !== undefined) {
        const pk = encodeValue(before[space.partitionKey.name]!);
        const partition = byPartition.get(pk);
        const rest = partition === undefined ? undefined : without(partition, encoded);
        if (rest === undefined) byPartition.delete(pk);
        else if (rest !== partition) byPartition.set(pk, rest);
      }
      if (after !== undefined) {
        const pk = encodeValue(after[space.partitionKey.name]!);
        const partition = byPartition.get(pk);
        const next = withEntry(partition, encoded, after);
        if (next !== partition) byPartition.set(pk, next);
      }
    }
  }

  /** The entries of one partition of a key space (unordered; Query orders what it keeps). */
  partitionEntries(space: KeySpace, partition: AttributeValue): Item[] {
    // normalised: a request may write a key number as 1.0 where the item holds 1
    const normal = normalizeValue(partition);
    if (!space.index && !this.schema.sortKey) {
      const item = this.items.get(plainKeyString(normal, this.schema.partitionKey.type));
      return item === undefined ? [] : [item];
    }
    const encoded = encodeValue(normal);
    this.syncPartitions();
    const entries = this.partitions.get(space.index?.name ?? '')?.get(encoded);
    if (entries === undefined) return [];
    if (entries instanceof Map) return [...entries.values()];
    return Array.isArray(entries) ? entries.map((e) => e.item) : [entries.item];
  }

  /** Orders entries of a key space as Query returns them (partition, then sort key, then the table's key). */
  sortEntries(space: KeySpace, entries: Item[]): Item[] {
    const order: KeyAttribute[] = [space.partitionKey, ...(space.sortKey ? [space.sortKey] : [])];
    if (space.index) order.push(this.schema.partitionKey, ...(this.schema.sortKey ? [this.schema.sortKey] : []));
    return entries.sort((a, b) => {
      for (const k of order) {
        const c = compareValues(a[k.name]!, b[k.name]!) ?? 0;
        if (c !== 0) return c;
      }
      return 0;
    });
  }

  index(name: string): IndexSchema | undefined {
    return this.schema.indexes.find((i) => i.name === name);
  }

  /** The key space of the table or of an index (ValidationException for an unknown index). */
  keySpace(indexName: string | undefined): KeySpace {
    if (indexName === undefined) return { partitionKey: this.schema.partitionKey, sortKey: this.schema.sortKey };
    const index = this.index(indexName);
    if (index === undefined) throw validation(`The table does not have the specified index: ${indexName}`);
    return { index, partitionKey: index.partitionKey, sortKey: index.sortKey };
  }

  /**
   * An index's ItemCount and IndexSizeBytes as DescribeTable reports them: its entries, and the bytes
   * of what each one holds (the whole item for ALL; the table's and the index's keys and the
   * included attributes otherwise). Counted when asked, as `sizeBytes` is, so writes pay nothing;
   * no allocation per item (a table may hold a million).
   */
  indexSize(index: IndexSchema): { itemCount: number; sizeBytes: number } {
    // the projected names once, each once (an index key may be a table key too)
    const names = index.projection.type === 'ALL' ? undefined : [...new Set([...this.keyNames, index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : []), ...(index.projection.type === 'INCLUDE' ? index.projection.nonKeyAttributes : [])])];
    let itemCount = 0;
    let sizeBytes = 0;
    for (const item of this.items.values()) {
      if (!inIndex(index, item)) continue;
      itemCount++;
      if (names === undefined) sizeBytes += itemSize(item);
      else for (const name of names) if (Object.hasOwn(item, name)) sizeBytes += utf8Length(name) + valueSize(item[name]!);
    }
    return { itemCount, sizeBytes };
  }

  /** The attributes an index holds of an item, or undefined when the item lacks the index key. */
  indexEntry(index: IndexSchema, item: Item | undefined): Item | undefined {
    if (item === undefined) return undefined;
    // Called for every item on every index Query: no allocation before the projection needs one.
    if (!inIndex(index, item)) return undefined;
    if (index.projection.type === 'ALL') return item;
    const keys = [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
    const entry = emptyMap();
    const names = [...this.keyNames, ...keys, ...(index.projection.type === 'INCLUDE' ? index.projection.nonKeyAttributes : [])];
    for (const name of names) if (Object.hasOwn(item, name)) entry[name] = item[name]!;
    return entry;
  }

  /**
   * Every item of a key space (those `keep` accepts, when given), ordered as Query orders them
   * (partition, then sort key, then the table's key). `now` (model time) matters for an index with
   * a lag: it holds the items as they were at `now - indexLagMs`.
   */
  entries(space: KeySpace, now?: number, keep?: (entry: Item) => boolean): Item[] {
    const out: Item[] = [];
    const add = (item: Item | undefined) => {
      const entry = space.index ? this.indexEntry(space.index, item) : item;
      if (entry !== undefined && (keep === undefined || keep(entry))) out.push(entry);
    };
    const before = space.index && now !== undefined ? this.itemsBefore(now) : undefined;
    if (before === undefined) for (const item of this.items.values()) add(item);
    else {
      for (const [key, item] of this.items) add(before.has(key) ? before.get(key) : item);
      for (const [key, item] of before) if (!this.items.has(key)) add(item);
    }
    return this.sortEntries(space, out);
  }

  /**
   * The items whose writes an index read at `now` does not see yet (written after `now -
   * indexLagMs`), as they were before them (undefined: absent then), or undefined when there are
   * none. The oldest pending write of a key holds its value then.
   */
  private itemsBefore(now: number): Map<string, Item | undefined> | undefined {
    if (this.indexLagMs <= 0 || this.pending.length === 0) return undefined;
    const out = new Map<string, Item | undefined>();
    for (const write of this.pending) if (write.at + this.indexLagMs > now && !out.has(write.key)) out.set(write.key, write.old);
    return out.size === 0 ? undefined : out;
  }

  /** The key of an entry in a key space: the space's key and, for an index, the table's key. */
  entryKey(space: KeySpace, entry: Item): Item {
    const key = emptyMap();
    const names = [space.partitionKey.name, ...(space.sortKey ? [space.sortKey.name] : [])];
    if (space.index) names.push(...this.keyNames);
    for (const name of names) key[name] = entry[name]!;
    return key;
  }

  /**
   * Write units each index is charged for replacing `oldItem` by `newItem` (either may be
   * undefined): an entry that appears, disappears or changes costs the entry's size; a moved index
   * key costs a delete and a put.
   */
  indexWriteUnits(oldItem: Item | undefined, newItem: Item | undefined): Map<string, number> {
    const out = new Map<string, number>();
    for (const index of this.schema.indexes) {
      const before = this.indexEntry(index, oldItem);
      const after = this.indexEntry(index, newItem);
      let units = 0;
      if (before && after) {
        const sameKey = encodeIndexKey(index, before) === encodeIndexKey(index, after);
        if (!sameKey) units = writeUnits(itemSize(before)) + writeUnits(itemSize(after));
        else if (JSON.stringify(sortedItem(before)) !== JSON.stringify(sortedItem(after))) units = writeUnits(itemSize(after));
      } else if (before) units = writeUnits(itemSize(before));
      else if (after) units = writeUnits(itemSize(after));
      if (units > 0) out.set(index.name, units);
    }
    return out;
  }
}

/** Whether the item has the key attribute with the key's type (a stored value has exactly one type key). */
/** Whether an item has an entry in the index: its key attributes, of their types. */
function inIndex(index: IndexSchema, item: Item): boolean {
  return hasKeyOfType(item, index.partitionKey) && (index.sortKey === undefined || hasKeyOfType(item, index.sortKey));
}

function hasKeyOfType(item: Item, key: KeyAttribute): boolean {
  const value = item[key.name];
  return value !== undefined && Object.hasOwn(value, key.type);
}

function encodeIndexKey(index: IndexSchema, entry: Item): string {
  const pk = encodeValue(entry[index.partitionKey.name]!);
  // the partition key's length first, as in Table.encodeKey: a value may hold the separator
  return index.sortKey ? `${pk.length}\u0000${pk}${encodeValue(entry[index.sortKey.name]!)}` : pk;
}

function sortedItem(item: Item): unknown {
  return Object.keys(item)
    .sort()
    .map((k) => [k, item[k]]);
}
