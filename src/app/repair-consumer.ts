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
    if (!mayNeedRepair(record)) return undefined;
    const { oldImage, newImage } = record as { oldImage: Item; newImage: Item };
    let winner = resolver.resolve(oldImage, newImage);
    let loser = newImage;
    for (let attempt = 0; attempt < MAX_REPAIR_ATTEMPTS; attempt++) {
      if (sameValue(winner, loser)) return undefined;
      // Only if the item is still the one it was seen as, so a write in between is not lost.
      const outcome = await table.write({ kind: 'put', item: winner, condition: and(sameAs(loser, 'Timestamp'), sameAs(loser, 'LastUpdatedRegion')) });
      if (outcome.ok) return { winner, loser };
      // The item moved on. A later stream record shows that change, but only with the image this
      // write replaced, not the winner: a client-older write landing over the replaced one would
      // erase the winner for good. So the winner is weighed against what the item holds now.
      const current = await table.get(newImage.Id as string, { consistent: true });
      if (!current || typeof current.Timestamp !== 'number' || compareClientWriters(winner, current) <= 0) return undefined;
      winner = resolver.resolve(winner, current);
      loser = current;
    }
    return undefined;
  };
}

/**
 * Whether the consumer can do anything with a record: the change replaced a data item whose client
 * writer is strictly later than the new one's. A function of the record alone (what the consumer
 * decides first, before reading or writing anything), so the model need not invoke the consumer
 * for the records it would drop at once (most of them).
 */
export function mayNeedRepair(record: ChangeRecord): boolean {
  const { oldImage, newImage } = record;
  if (!oldImage || !newImage || isIdempotencyRecordId(newImage.Id)) return false;
  return typeof newImage.Timestamp === 'number' && compareClientWriters(oldImage, newImage) > 0;
}

/** Conditional writes a repair tries before leaving the item to the next stream record. */
const MAX_REPAIR_ATTEMPTS = 3;

/** The attribute still has the image's value, or is still absent as in the image. */
function sameAs(image: Item, attribute: string): Condition {
  return Object.hasOwn(image, attribute) ? equals(attribute, image[attribute]!) : notExists(attribute);
}
