import type { Item } from '../app/item.js';
import type { StoredVersion } from './version.js';

/** One region's full copy of the table (aws-semantics §1.1: every region holds a full replica). */
export class Replica {
  private readonly versions = new Map<string, StoredVersion>();

  constructor(
    readonly region: string,
    /** Position in the scenario's region list; indexes version vectors. */
    readonly index: number,
  ) {}

  version(id: string): StoredVersion | undefined {
    return this.versions.get(id);
  }

  item(id: string): Item | undefined {
    return this.versions.get(id)?.item ?? undefined;
  }

  store(id: string, version: StoredVersion): void {
    this.versions.set(id, version);
  }

  /** Live items (tombstones left out), sorted by Id so output bytes are stable. */
  snapshot(): Record<string, Item> {
    const ids = [...this.versions.keys()].sort();
    // No prototype: any Id is an own key, `__proto__` and `constructor` included.
    const out = Object.create(null) as Record<string, Item>;
    for (const id of ids) {
      const item = this.versions.get(id)!.item;
      if (item) out[id] = item;
    }
    return out;
  }

  /** Linear scan: the GSI query is not on the model's hot path. */
  itemsWhere(attribute: string, value: string): Item[] {
    const out: Item[] = [];
    for (const v of this.versions.values()) if (v.item && v.item[attribute] === value) out.push(v.item);
    return out.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  }
}
