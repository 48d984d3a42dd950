import type { FaultKindName, TraceEvent } from '../../trace/events.js';

/**
 * A fault's window over the regions it hits: a replication pause or an outage, as
 * render/mermaid/fault-spans.ts pairs them (fault-started opens, fault-ended of the same index
 * closes, one still open at the end of what is drawn runs to it), keeping the regions, which the
 * space-time diagram shades. Lambda failures and clock skew are drawn as marks, not windows.
 */
export interface FaultWindow {
  seq: number;
  endSeq?: number;
  fault: FaultKindName;
  description: string;
  regions: string[];
  start: number;
  end: number;
  /** A pause that lets replication continue a while: when it really stops. */
  effectiveAt?: number;
}

export function faultWindows(trace: TraceEvent[], endOfDrawing: number): FaultWindow[] {
  const out: FaultWindow[] = [];
  const open = new Map<number, FaultWindow>();
  for (const e of trace) {
    if (e.kind === 'fault-started' && (e.fault === 'pause-replication' || e.fault === 'outage')) {
      const w: FaultWindow = { seq: e.seq, fault: e.fault, description: e.description, regions: e.regions, start: e.t, end: endOfDrawing };
      if (e.effectiveAt !== undefined && e.effectiveAt > e.t) w.effectiveAt = e.effectiveAt;
      open.set(e.index, w);
      out.push(w);
    } else if (e.kind === 'fault-ended') {
      const w = open.get(e.index);
      if (w) {
        w.end = e.t;
        w.endSeq = e.seq;
        open.delete(e.index);
      }
    }
  }
  return out;
}
