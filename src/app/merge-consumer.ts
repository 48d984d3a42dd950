import { equals, notExists, type Condition } from './condition.js';
import { isIdempotencyRecordId, sameValue, type Item } from './item.js';
import type { ChangeRecord } from './repair-consumer.js';
import type { TablePort } from './table-port.js';
import { concurrent, dominates, versionVector, VERSION_VECTOR } from './version-vector.js';

/** Two concurrent versions and the item the merge kept of both. */
export interface MergeResolution {
  versions: [Item, Item];
  result: Item;
}

/**
 * The stream consumer of a merge strategy (lww-attribute, automerge, counter, custom), one per
 * region. The table keeps the version with the later service timestamp; when that replaced a
 * version it does not include (its version vector lacks a write of the replaced one), the replaced
 * version's writes would be lost, so the consumer writes the merge of both (or, when the replaced
 * version includes its replacement, the replaced version itself). Only a region where a concurrent
 * version was replaced sees such a record, and every region that sees one writes the same merge
 * (the merge orders the pair itself), so the merges never conflict with each other.
 *
 * A merge throws (a team's `custom` function): the error reaches the caller, which traces it.
 */
export function createMergeConsumer(table: TablePort, merge: (a: Item, b: Item) => Promise<Item>) {
  return async (record: ChangeRecord): Promise<MergeResolution | undefined> => {
    const { oldImage, newImage } = record;
    if (!oldImage || !newImage || isIdempotencyRecordId(newImage.Id)) return undefined;
    // Nothing lost when the replacement includes every write the replaced version had.
    if (dominates(versionVector(newImage), versionVector(oldImage))) return undefined;
    const replaced = oldImage;
    let current = newImage;
    for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
      // A replaced version that includes its replacement (an older merge landed over a newer one,
      // by service timestamp) is written back as it is; concurrent versions are merged.
      const result = concurrent(versionVector(replaced), versionVector(current)) ? await merge(replaced, current) : replaced;
      if (sameValue(result, current)) return undefined;
      // Only over the version seen, so a write in between is merged, not overwritten.
      const outcome = await table.write({ kind: 'put', item: result, condition: sameVector(current) });
      if (outcome.ok) return { versions: [replaced, current], result };
      const now = await table.get(newImage.Id as string, { consistent: true });
      // Gone, or someone else's write already includes the replaced version: nothing is lost.
      if (!now || dominates(versionVector(now), versionVector(replaced))) return undefined;
      current = now;
    }
    return undefined;
  };
}

/** Conditional writes a merge tries before leaving the item to the next stream record. */
const MAX_MERGE_ATTEMPTS = 3;

function sameVector(image: Item): Condition {
  return Object.hasOwn(image, VERSION_VECTOR) ? equals(VERSION_VECTOR, image[VERSION_VECTOR]!) : notExists(VERSION_VECTOR);
}
