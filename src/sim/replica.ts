import type { Item } from '../app/item.js';
import { DEFAULT_TABLE_NAME, scenarioTableDefinition } from '../backends/dynamodb/schema.js';
import { ModelEndpoint, type ModelEndpointOptions } from '../dynamodb/model-endpoint.js';
import { toPlainItem } from '../dynamodb/plain.js';
import type { Item as WireItem } from '../dynamodb/values.js';
import type { StoredVersion } from './version.js';
import { keyString } from './tables.js';

/**
 * An item's version, on the very object the replica's table stores: a private field, which JSON,
 * spreads, `Object.keys`, `Reflect.ownKeys` and every answer of the endpoint leave out. DynamoDB
 * keeps its replication metadata with each item too; kept here, a write and a replicated write read
 * and record an item's version without a map of their own beside the table's (a lookup and a store
 * per write, and a map as large as the table). A stored item is never changed in place (a write
 * stores a new object), and a replicated write stores the very object its origin stored, so the
 * mark always names the version that wrote it.
 *
 * A class may add its private fields to any object its base constructor returns: `Stamp` returns
 * the item, and `VersionMark`'s field lands on it. Adding a field this way is an ordinary property
 * transition; `Object.defineProperty` with a symbol (what it replaced) went through the runtime,
 * a twentieth of a long run's time.
 */
class Stamp {
  constructor(target: object) {
    return target;
  }
}

class VersionMark extends Stamp {
  #version: StoredVersion;

  private constructor(wire: WireItem, version: StoredVersion) {
    super(wire);
    this.#version = version;
  }

  /** Marks `wire` as written by `version`; a wire item is marked once, when the version is made. */
  static mark(wire: WireItem, version: StoredVersion): void {
    new VersionMark(wire, version);
  }

  static of(wire: WireItem): StoredVersion | undefined {
    return #version in wire ? (wire as unknown as VersionMark).#version : undefined;
  }
}

/** Marks `wire`, the item a version writes, as that version's (once, when the version is made). */
export function markVersion(wire: WireItem, version: StoredVersion): void {
  VersionMark.mark(wire, version);
}

function versionOn(stored: WireItem): StoredVersion | undefined {
  return VersionMark.of(stored);
}

/** A slot of an item outside the primary table (World.slotOf prefixes those with `\u0001`). */
function isOtherTable(slot: string): boolean {
  return slot.charCodeAt(0) === 1;
}

/** The scenario's table: what `infra/template.yaml` deploys (partition key `Id`, the IdempotencyIndex GSI). */
export const SCENARIO_TABLE = DEFAULT_TABLE_NAME;
export const SCENARIO_TABLE_DEFINITION = scenarioTableDefinition(SCENARIO_TABLE);

/**
 * One region's full copy of every table (aws-semantics §1.1: every region holds a full replica):
 * a DynamoDB endpoint of its own, which stores the items and answers the API, and beside it what
 * the service keeps hidden and geosim needs for last-writer-wins: each item's version (timestamp,
 * region, version vector), tombstones included.
 */
export class Replica {
  readonly endpoint: ModelEndpoint;
  /**
   * Versions that do not ride on a stored item (see VERSION): tombstones of the primary table's
   * deleted items, and every version of an item of another table (slots starting with `\u0001`).
   */
  private readonly versions = new Map<string, StoredVersion>();

  constructor(
    readonly region: string,
    /** Position in the scenario's region list; indexes version vectors. */
    readonly index: number,
    options: Omit<ModelEndpointOptions, 'region'>,
    /** The scenario's first table (World.primary): its slots are its encoded keys. */
    private readonly primary: string = SCENARIO_TABLE,
  ) {
    // field by field: V8 builds `{ ...options, region }` on a slow path (about 1.5 µs, twice a run)
    const endpointOptions: ModelEndpointOptions = { now: options.now, region };
    if (options.globalTables !== undefined) endpointOptions.globalTables = options.globalTables;
    if (options.indexLagMs !== undefined) endpointOptions.indexLagMs = options.indexLagMs;
    this.endpoint = new ModelEndpoint(endpointOptions);
  }

  /** The version of an item, by its slot (see World.slotOf: the encoded key, prefixed by its table unless the scenario's). */
  version(slot: string): StoredVersion | undefined {
    if (isOtherTable(slot)) return this.versions.get(slot);
    return this.versionOfStored(slot, this.stored(slot));
  }

  /** The item the scenario's table stores in the slot of one of its items (see `version`), or undefined. */
  stored(slot: string): WireItem | undefined {
    return this.endpoint.database.tableIfExists(this.primary)?.getEncoded(slot);
  }

  /** `version(slot)` of an item of the scenario's table, from what `stored(slot)` returned (no second lookup). */
  versionOfStored(slot: string, stored: WireItem | undefined): StoredVersion | undefined {
    // (`versions` is empty in most runs: tombstones only; no lookup then)
    return stored !== undefined ? versionOn(stored) : this.versions.size === 0 ? undefined : this.versions.get(slot);
  }

  /**
   * The version of an item the replica's database just replaced by a write: `oldImage` is what
   * it stored before (undefined: nothing), so the version is read off it without a lookup.
   */
  versionBefore(slot: string, oldImage: WireItem | undefined): StoredVersion | undefined {
    if (isOtherTable(slot)) return this.versions.get(slot);
    return oldImage !== undefined ? versionOn(oldImage) : this.versions.size === 0 ? undefined : this.versions.get(slot);
  }

  /**
   * Records `version` as the item's: on the stored item itself for the primary table (the item
   * stored is `version.wire`, marked once when the version is made, see `markVersion`), or, for a
   * tombstone or another table's item, in `versions`.
   */
  store(slot: string, version: StoredVersion): void {
    if (isOtherTable(slot) || version.wire == null) this.versions.set(slot, version);
    else if (this.versions.size > 0) this.versions.delete(slot); // a deleted item written again: its tombstone is over
  }

  /** Each version of table `name`'s items here, tombstones included (some perhaps twice). */
  *versionsOf(name: string): Generator<StoredVersion> {
    const table = this.endpoint.database.tableIfExists(name);
    if (table !== undefined) {
      for (const wire of table.allItems()) {
        const version = versionOn(wire);
        if (version !== undefined) yield version;
      }
    }
    const prefix = `\u0001${name}\u0000`; // World.slotOf
    for (const [slot, version] of this.versions) if (name === this.primary ? !isOtherTable(slot) : slot.startsWith(prefix)) yield version;
  }

  /**
   * Forgets the versions a deleted table left here (the primary table's tombstones, another
   * table's every version; its live items' versions went with the items): a table created again
   * under its name is another table, whose items have no history yet.
   */
  forgetTable(name: string): void {
    if (this.versions.size === 0) return;
    const prefix = `\u0001${name}\u0000`; // World.slotOf
    for (const slot of this.versions.keys()) {
      if (name === this.primary ? !isOtherTable(slot) : slot.startsWith(prefix)) this.versions.delete(slot);
    }
  }

  /** An item of the scenario's table by Id, as the application sees it (read directly, no request). */
  item(id: string): Item | undefined {
    const wire = this.endpoint.database.table(SCENARIO_TABLE).get({ Id: { S: id } } as WireItem);
    return wire === undefined ? undefined : (toPlainItem(wire) as Item);
  }

  /**
   * Live items of a table (default the scenario's), keyed by key string (see `keyString`: the `Id`
   * of GlobalEventTable's items) and sorted by it (UTF-16 code units) so output bytes are stable.
   */
  snapshot(tableName: string = SCENARIO_TABLE): Record<string, Item> {
    const table = this.endpoint.database.table(tableName);
    // sorted once, by key string below (not first in the table's key order as well)
    const keyNames = table.keyNames;
    const items: Array<readonly [string, Item]> = [];
    for (const wire of table.allItems()) items.push([keyString(keyNames, wire), toPlainItem(wire) as Item] as const);
    items.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // No prototype: any key is an own key, `__proto__` and `constructor` included.
    const out = Object.create(null) as Record<string, Item>;
    for (const [key, item] of items) out[key] = item;
    return out;
  }
}
