import type { Item } from '../app/item.js';
import { DEFAULT_TABLE_NAME, scenarioTableDefinition } from '../backends/dynamodb/schema.js';
import { ModelEndpoint, type ModelEndpointOptions } from '../dynamodb/model-endpoint.js';
import { toPlainItem } from '../dynamodb/plain.js';
import type { Item as WireItem } from '../dynamodb/values.js';
import type { StoredVersion } from './version.js';
import { keyString } from './tables.js';

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
  private readonly versions = new Map<string, StoredVersion>();

  constructor(
    readonly region: string,
    /** Position in the scenario's region list; indexes version vectors. */
    readonly index: number,
    options: Omit<ModelEndpointOptions, 'region'>,
  ) {
    // field by field: V8 builds `{ ...options, region }` on a slow path (about 1.5 µs, twice a run)
    const endpointOptions: ModelEndpointOptions = { now: options.now, region };
    if (options.globalTables !== undefined) endpointOptions.globalTables = options.globalTables;
    if (options.indexLagMs !== undefined) endpointOptions.indexLagMs = options.indexLagMs;
    this.endpoint = new ModelEndpoint(endpointOptions);
  }

  /** The version of an item, by its slot (see World.slotOf: the encoded key, prefixed by its table unless the scenario's). */
  version(slot: string): StoredVersion | undefined {
    return this.versions.get(slot);
  }

  store(slot: string, version: StoredVersion): void {
    this.versions.set(slot, version);
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
