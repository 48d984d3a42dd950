import type { TraceEvent } from './events.js';
import { canonicalItem, sameValue, type Item } from './item.js';

/**
 * One conflict the service or the application resolved: both versions and what was kept. The
 * record AWS never keeps (Cosmos DB's conflict feed is the model): `geosim run --conflicts FILE`
 * writes one per line.
 */
export interface ConflictRecord {
  t: number;
  /** The replica where it was resolved. */
  region: string;
  itemId: string;
  /** Present for a table other than the scenario's own. */
  table?: string;
  resolvedBy: 'service' | 'application';
  /** The rule that decided: the service's `last-writer-wins`, or the application's strategy. */
  strategy: string;
  versions: [Item | null, Item | null];
  result: Item | null;
  /** The result is one version and differs from the other: a write whose effect is gone. */
  lost: boolean;
}

/** The service's rule, as the feed names it. */
export const SERVICE_RULE = 'last-writer-wins';

/**
 * Every resolved conflict of a trace, in trace order: the service's (a replicated write that
 * replaced, or was discarded against, a concurrent version), and the application's (a client-lww
 * repair, a merge strategy's merge).
 */
export function conflictFeed(trace: readonly TraceEvent[]): ConflictRecord[] {
  const out: ConflictRecord[] = [];
  for (const e of trace) {
    switch (e.kind) {
      case 'replication-applied':
        if (e.conflict) out.push(record(e.t, e.to, e.itemId, e.table, 'service', SERVICE_RULE, [e.before, e.after], e.after));
        break;
      case 'replication-discarded':
        if (e.conflict) out.push(record(e.t, e.to, e.itemId, e.table, 'service', SERVICE_RULE, [e.kept, e.incoming], e.kept));
        break;
      case 'conflict-repaired':
        out.push(record(e.t, e.region, e.itemId, undefined, 'application', 'client-lww', [e.loser, e.winner], e.winner));
        break;
      case 'conflict-resolved':
        out.push(record(e.t, e.region, e.itemId, undefined, e.by, e.strategy, e.versions, e.result));
        break;
      default:
        break;
    }
  }
  return out;
}

function record(t: number, region: string, itemId: string, table: string | undefined, resolvedBy: 'service' | 'application', strategy: string, versions: [Item | null, Item | null], result: Item | null): ConflictRecord {
  const [a, b] = versions;
  const isA = sameValue(result, a);
  const isB = sameValue(result, b);
  return { t, region, itemId, ...(table !== undefined ? { table } : {}), resolvedBy, strategy, versions: [a, b], result, lost: isA !== isB };
}

/** The feed as JSON lines, each record with the scenario's name when several scenarios ran. */
export function conflictLines(records: readonly ConflictRecord[], scenario?: string): string {
  return records
    .map((r) => {
      // items in the one canonical order of every view (Id first, then by name, nested maps too),
      // so a feed from the model and one from DynamoDB are the same bytes
      const ordered = { ...r, versions: [canonicalOrNull(r.versions[0]), canonicalOrNull(r.versions[1])], result: canonicalOrNull(r.result) };
      return JSON.stringify(scenario === undefined ? ordered : { scenario, ...ordered }) + '\n';
    })
    .join('');
}

function canonicalOrNull(item: Item | null): Item | null {
  return item === null ? null : canonicalItem(item);
}
