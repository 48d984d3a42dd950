import type { TraceEvent } from '../../trace/events.js';
import { assertNever } from './assert-never.js';

/**
 * A stretch of virtual time while a fault held (replication paused, a region out). Steps drawn in
 * it sit inside a tinted `rect`; the fault-started note inside names the fault.
 */
export interface FaultSpan {
  start: number;
  end: number;
  label: string;
}

/**
 * The fault spans a trace records: a `fault-started` of a replication pause or a region outage
 * opens one (keyed by the fault's index), its `fault-ended` closes it; a fault still open when
 * the trace ends runs to the end. Lambda failures and clock skew draw as notes, not spans.
 */
export function faultSpans(trace: TraceEvent[]): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open = new Map<number, { start: number; label: string }>();
  const end = trace.length ? trace[trace.length - 1]!.t + 1 : 0;
  for (const e of trace) {
    switch (e.kind) {
      case 'fault-started':
        if (e.fault === 'pause-replication' || e.fault === 'outage') open.set(e.index, { start: e.t, label: e.description });
        break;
      case 'fault-ended': {
        const started = open.get(e.index);
        if (started) spans.push({ start: started.start, end: e.t, label: started.label });
        open.delete(e.index);
        break;
      }
      case 'replication-held':
      case 'request-rejected':
      case 'lambda-attempt-failed':
      case 'lambda-retry-scheduled':
      case 'dead-lettered':
      case 'event-lost':
      case 'stream-records-discarded':
      case 'redriven':
      case 'execution-started':
      case 'execution-deduplicated':
      case 'execution-rejected':
      case 'state-entered':
      case 'execution-closed':
      case 'clock-skew-changed':
      case 'side-effect':
      case 'handler-problem':
      case 'sdk-retry':
      case 'cold-start':
      case 'redrive-empty':
        break;
      case 'client-event':
      case 'event-outcome':
      case 'local-write':
      case 'condition-failed':
      case 'operation-failed':
      case 'replication-sent':
      case 'replication-applied':
      case 'replication-discarded':
      case 'replication-coalesced':
      case 'conflict-repaired':
      case 'conflict-resolved':
      case 'read':
      case 'checkpoint':
        break;
      default:
        assertNever(e);
    }
  }
  for (const started of open.values()) spans.push({ start: started.start, end, label: started.label });
  return spans;
}

/** Overlapping spans draw as one rect (Mermaid rects nest, but overlapping ones cannot). */
export function mergeSpans(spans: FaultSpan[]): FaultSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: FaultSpan[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, f.end), label: `${last.label}; ${f.label}` };
    else out.push({ ...f });
  }
  return out;
}
