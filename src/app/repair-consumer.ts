import { and, equals } from './condition.js';
import type { ConflictResolver } from './conflict-resolver.js';
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
 * later *service* timestamp; when that replaced an item whose *client* Timestamp is later, the
 * consumer writes the resolver's winner back. The repair is an ordinary write, so it replicates and
 * every region converges on the client-timestamp winner.
 */
export function createRepairConsumer(table: TablePort, resolver: ConflictResolver) {
  return async (record: ChangeRecord): Promise<Repair | undefined> => {
    const { oldImage, newImage } = record;
    if (!oldImage || !newImage || isIdempotencyRecordId(newImage.Id)) return undefined;
    const winner = resolver.resolve(oldImage, newImage);
    if (sameValue(winner, newImage)) return undefined;
    // Only if the item is still the one this record showed; otherwise a later record decides.
    const outcome = await table.write({
      kind: 'put',
      item: winner,
      condition: and(equals('Timestamp', newImage.Timestamp ?? null), equals('LastUpdatedRegion', newImage.LastUpdatedRegion ?? null)),
    });
    return outcome.ok ? { winner, loser: newImage } : undefined;
  };
}
