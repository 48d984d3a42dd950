// stand-in until part STRATEGIES lands: src/trace/conflict-feed.ts `conflictFeed(trace)` replaces
// this file (the integrator swaps the import in metrics.ts and deletes it). It covers only the
// service's own resolutions, which is all a trace holds before that part adds `conflict-resolved`.
import type { TraceEvent } from '../trace/events.js';
import type { Item } from '../trace/item.js';
import { sameValue } from '../trace/item.js';

/** One conflict resolved by the service or the application (design-15.md, "Trace events"). */
export interface ConflictRecord {
  t: number;
  region: string;
  itemId: string;
  table?: string;
  resolvedBy: 'service' | 'application';
  strategy: string;
  versions: [Item | null, Item | null];
  result: Item | null;
  /** The result equals one version and differs from the other: a write whose effect is gone. */
  lost: boolean;
}

/**
 * The service's last-writer-wins resolutions: a replicated write that met a concurrent version
 * (`conflict: true`) and was discarded, or replaced it. One side is gone unless both were equal.
 */
export function conflictFeed(trace: readonly TraceEvent[]): ConflictRecord[] {
  const records: ConflictRecord[] = [];
  for (const e of trace) {
    if (e.kind === 'replication-discarded' && e.conflict) {
      records.push({ t: e.t, region: e.to, itemId: e.itemId, ...(e.table ? { table: e.table } : {}), resolvedBy: 'service', strategy: 'lww-item', versions: [e.incoming, e.kept], result: e.kept, lost: !same(e.incoming, e.kept) });
    } else if (e.kind === 'replication-applied' && e.conflict) {
      records.push({ t: e.t, region: e.to, itemId: e.itemId, ...(e.table ? { table: e.table } : {}), resolvedBy: 'service', strategy: 'lww-item', versions: [e.after, e.before], result: e.after, lost: !same(e.after, e.before) });
    }
  }
  return records;
}

function same(a: Item | null, b: Item | null): boolean {
  return a === null || b === null ? a === b : sameValue(a, b);
}
