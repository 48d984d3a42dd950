import { canonicalJson, type Item } from './item.js';

/** Combines the winner and the loser of a conflict into the item to keep (default: the winner as is). */
export type Merge = (winner: Item, loser: Item) => Item;

/**
 * The seed's conflict resolver: last writer wins on the client `Timestamp`, ties broken by
 * `LastUpdatedRegion` (the higher region name wins) so that every region picks the same winner
 * without talking to the others. A `merge` can keep parts of the loser (e.g. a union of fields).
 *
 * @example
 * const resolver = new ConflictResolver();
 * resolver.resolve(
 *   { Id: 'A', Timestamp: 10, LastUpdatedRegion: 'us-east-1' },
 *   { Id: 'A', Timestamp: 20, LastUpdatedRegion: 'eu-west-1' },
 * ); // the eu-west-1 item: its Timestamp is later
 */
export class ConflictResolver {
  constructor(private readonly merge?: Merge) {}

  resolve(a: Item, b: Item): Item {
    const aWins = compareWriters(a, b) >= 0;
    const winner = aWins ? a : b;
    const loser = aWins ? b : a;
    return this.merge ? this.merge(winner, loser) : winner;
  }
}

/**
 * Order of the client writers of two items: client `Timestamp` (an item without a numeric one is
 * the oldest), then `LastUpdatedRegion` (absent = ''). 0 means the same writer: nothing the
 * application wrote tells the two apart, whatever else differs.
 */
export function compareClientWriters(a: Item, b: Item): number {
  const ta = typeof a.Timestamp === 'number' ? a.Timestamp : -Infinity;
  const tb = typeof b.Timestamp === 'number' ? b.Timestamp : -Infinity;
  if (ta !== tb) return ta > tb ? 1 : -1;
  const ra = String(a.LastUpdatedRegion ?? '');
  const rb = String(b.LastUpdatedRegion ?? '');
  return ra === rb ? 0 : ra > rb ? 1 : -1;
}

/**
 * Total order on writers: the client writer, then the item's content in a canonical form (keys
 * sorted, values typed; `canonicalJson`), so that resolve(a, b) and resolve(b, a) always agree
 * and every backend picks the same item whatever order its attributes come in.
 */
export function compareWriters(a: Item, b: Item): number {
  const byWriter = compareClientWriters(a, b);
  if (byWriter !== 0) return byWriter;
  const ja = canonicalJson(a);
  const jb = canonicalJson(b);
  return ja === jb ? 0 : ja > jb ? 1 : -1;
}
