import { stampKey, type ReplicationAppliedTrace, type ReplicationDiscardedTrace, type TraceEvent } from '../../trace/events.js';
import { isIdempotencyRecordId } from '../../trace/item.js';

/**
 * One replicated write's journey on one link, as the trace records it in pieces: sent (its
 * `replication-sent`), perhaps held at a paused link (`replication-held`), perhaps merged with
 * later writes of the item while in flight (`replication-coalesced`: the message now carries the
 * newer version), and finally applied or discarded at the destination.
 */
export interface Flight {
  from: string;
  to: string;
  itemId: string;
  table?: string;
  /** The send; absent when the trace has none (MRSC applies synchronously, with no message in flight). */
  send?: { seq: number; t: number; arrivesAt: number };
  /** When the write left: the send's time, else the version's (the write's) time. */
  sentAt: number;
  held?: { seq: number; t: number };
  /** Later writes of the item that joined the message in flight. */
  coalesced: { seq: number; t: number }[];
  arrival?: ReplicationAppliedTrace | ReplicationDiscardedTrace;
  /** An idempotency record's replication: drawn muted, the data's journey is the story. */
  aux: boolean;
}

/** The flights of `trace`, in the order each began (its send, or its arrival when it has no send). */
export function pairFlights(trace: TraceEvent[]): Flight[] {
  const out: Flight[] = [];
  // In flight per link and item; a queue because a paused link can hold several versions of one item.
  const open = new Map<string, { version: string; flight: Flight }[]>();
  const queue = (e: { table?: string; from: string; to: string; itemId: string }): { version: string; flight: Flight }[] => {
    const key = `${e.table ?? ''}\u0000${e.from}\u0000${e.to}\u0000${e.itemId}`;
    let q = open.get(key);
    if (!q) open.set(key, (q = []));
    return q;
  };
  for (const e of trace) {
    switch (e.kind) {
      case 'replication-sent': {
        const flight: Flight = {
          from: e.from,
          to: e.to,
          itemId: e.itemId,
          ...(e.table !== undefined ? { table: e.table } : {}),
          send: { seq: e.seq, t: e.t, arrivesAt: e.arrivesAt },
          sentAt: e.t,
          coalesced: [],
          aux: isIdempotencyRecordId(e.itemId),
        };
        out.push(flight);
        queue(e).push({ version: stampKey(e.version), flight });
        break;
      }
      case 'replication-held': {
        const entry = queue(e).find((x) => x.version === stampKey(e.version));
        if (entry && !entry.flight.held) entry.flight.held = { seq: e.seq, t: e.t };
        break;
      }
      case 'replication-coalesced': {
        const entry = queue(e).find((x) => x.version === stampKey(e.dropped));
        if (entry) {
          entry.version = stampKey(e.by);
          entry.flight.coalesced.push({ seq: e.seq, t: e.t });
        }
        break;
      }
      case 'replication-applied':
      case 'replication-discarded': {
        const version = stampKey(e.kind === 'replication-applied' ? e.version : e.incomingVersion);
        const q = queue(e);
        const at = q.findIndex((x) => x.version === version);
        if (at >= 0) {
          q[at]!.flight.arrival = e;
          q.splice(at, 1);
        } else {
          const ts = e.kind === 'replication-applied' ? e.version.ts : e.incomingVersion.ts;
          out.push({
            from: e.from,
            to: e.to,
            itemId: e.itemId,
            ...(e.table !== undefined ? { table: e.table } : {}),
            sentAt: Math.min(ts, e.t),
            coalesced: [],
            arrival: e,
            aux: isIdempotencyRecordId(e.itemId),
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
