import { and, equals, notExists, type Condition } from './condition.js';
import { compareClientWriters, type ConflictResolver } from './conflict-resolver.js';
import { isIdempotencyRecordId, sameValue, type Item } from './item.js';
import type { TablePort } from './table-port.js';

/** A stream record as the consumer sees it: images only, no origin region (aws-semantics §1.7). */
export interface ChangeRecord {
  oldImage: Item | undefined;
  newImage: Item | undefined;
}

export interface Repair {
  winner: Item;
  loser: Item;
}

/**
 * The client-lww stream consumer that runs in every region. The table keeps the write with the
 * later *service* timestamp; when that replaced an item whose *client* writer (Timestamp, then
 * LastUpdatedRegion) is strictly later, the consumer writes the resolver's winner back. The repair
 * is an ordinary write, so it replicates and every region converges on the client-timestamp winner.
 *
 * Nothing else is a conflict: a change that keeps the client writer (an update by code outside the
 * application, which does not stamp a newer Timestamp) or carries no client Timestamp at all is the
 * latest write and stands, whatever else it changed.
 */
export function createRepairConsumer(table: TablePort, resolver: ConflictResolver) {
  return async (record: ChangeRecord): Promise<Repair | undefined> => {
    const { oldImage, newImage } = record;
    if (!oldImage || !newImage || isIdempotencyRecordId(newImage.Id)) return undefined;
    if (typeof newImage.Timestamp !== 'number' || compareClientWriters(oldImage, newImage) <= 0) return undefined;
    const winner = resolver.resolve(oldImage, newImage);
    if (sameValue(winner, newImage)) return undefined;
    // Only if the item is still the one this record showed; otherwise a later record decides.
    const outcome = await table.write({ kind: 'put', item: winner, condition: and(sameAs(newImage, 'Timestamp'), sameAs(newImage, 'LastUpdatedRegion')) });
    return outcome.ok ? { winner, loser: newImage } : undefined;
  };
}

/** The attribute still has the image's value, or is still absent as in the image. */
function sameAs(image: Item, attribute: string): Condition {
  return Object.hasOwn(image, attribute) ? equals(attribute, image[attribute]!) : notExists(attribute);
}
