import type { Item } from '../trace/item.js';
import type { TraceEvent, VersionStamp } from '../trace/events.js';

/** A replicated write that has left its region and not yet been applied or dropped. */
export interface Flight {
  from: string;
  to: string;
  itemId: string;
  version: VersionStamp;
  arrivesAt: number;
}

/** What every region holds, and what is in flight, right after one step of the trace. */
export interface StepState {
  /** Items per region (tombstones left out), as the trace's after images show them. */
  items: Record<string, Record<string, Item>>;
  inFlight: Flight[];
  /** The region and item the step changed, if it changed one. */
  changed?: { region: string; itemId: string };
}

/**
 * Replays a trace into the state after each step: `states[i]` is the state after `trace[i]`.
 * Only the trace is read (local-write and replication-applied after images, sends and their
 * arrivals), never the model, so any backend's trace can be stepped through.
 */
/**
 * The key of an item in a step's state: its id, after its table's name when that is not the
 * scenario's own (as every view names it), so two tables' items of one id stay apart.
 */
export function stateItemKey(e: { itemId: string; table?: string | undefined }): string {
  return e.table !== undefined ? `${e.table} ${e.itemId}` : e.itemId;
}

export function statesByStep(regions: string[], trace: TraceEvent[]): StepState[] {
  let items: Record<string, Record<string, Item>> = Object.fromEntries(regions.map((r) => [r, Object.create(null) as Record<string, Item>]));
  let inFlight: Flight[] = [];
  const states: StepState[] = [];
  const same = (a: VersionStamp, b: VersionStamp): boolean => a.ts === b.ts && a.region === b.region;
  const land = (from: string, to: string, itemId: string, version: VersionStamp): void => {
    const i = inFlight.findIndex((f) => f.from === from && f.to === to && f.itemId === itemId && same(f.version, version));
    if (i >= 0) inFlight = [...inFlight.slice(0, i), ...inFlight.slice(i + 1)];
  };
  const put = (region: string, itemId: string, after: Item | null): void => {
    // Maps keyed by item Id have no prototype: `__proto__` or `constructor` is an Id like any other.
    const next = Object.assign(Object.create(null) as Record<string, Item>, Object.hasOwn(items, region) ? items[region] : {});
    if (after) next[itemId] = after;
    else delete next[itemId];
    // Keys sorted as the report's final items are, so the last state reads like the final table.
    const sorted = Object.create(null) as Record<string, Item>;
    for (const id of Object.keys(next).sort()) sorted[id] = next[id]!;
    items = { ...items, [region]: sorted };
  };
  for (const e of trace) {
    let changed: StepState['changed'];
    switch (e.kind) {
      case 'local-write':
        put(e.region, stateItemKey(e), e.after);
        changed = { region: e.region, itemId: stateItemKey(e) };
        break;
      case 'replication-sent':
        inFlight = [...inFlight, { from: e.from, to: e.to, itemId: stateItemKey(e), version: e.version, arrivesAt: e.arrivesAt }];
        break;
      case 'replication-applied':
        land(e.from, e.to, stateItemKey(e), e.version);
        put(e.to, stateItemKey(e), e.after);
        changed = { region: e.to, itemId: stateItemKey(e) };
        break;
      case 'replication-discarded':
        land(e.from, e.to, stateItemKey(e), e.incomingVersion);
        break;
      case 'replication-coalesced':
        land(e.from, e.to, stateItemKey(e), e.dropped);
        break;
      default:
        break;
    }
    states.push(changed ? { items, inFlight, changed } : { items, inFlight });
  }
  return states;
}
