import type { TraceEvent } from '../../trace/events.js';
import { formatItem } from '../format-item.js';
import { isIdempotencyRecordId } from '../../trace/item.js';
import { stepViewOrKind } from '../step-view.js';
import { cut, cutWords } from './svg.js';

/** How one trace event (other than replication, which flights.ts pairs) shows on its region's line. */
export interface MarkKind {
  /** The mark's classes: one of the documented ones (st-write, st-event, ...) first. */
  cls: string;
  /** `line`: on the region's line; `side`: a small mark beside it; `axis`: by the time axis (no region). */
  place: 'line' | 'side' | 'axis';
  shape: Shape;
  /** A short label beside the line, for writes and conflict resolutions only (the rest hover). */
  label?: string;
}

export type Shape = 'dot' | 'small-dot' | 'triangle' | 'square' | 'hollow-square' | 'diamond' | 'ring' | 'x' | 'bar' | 'check' | 'cross-check';

/** Characters of a write's value shown in its label; the full text is in the mark's title. */
export const LABEL_VALUE_CHARS = 28;
const LABEL_ITEM_CHARS = 24;

/** The region a mark belongs to, or '' for a mark of the whole run (a checkpoint). */
export function markRegion(e: TraceEvent): string {
  if ('region' in e && typeof e.region === 'string') return e.region;
  if (e.kind === 'fault-started' || e.kind === 'fault-ended') return e.regions.length === 1 ? e.regions[0]! : '';
  return '';
}

/** The mark of a trace event, or undefined for the events drawn elsewhere (replication, fault windows). */
export function markKind(e: TraceEvent): MarkKind | undefined {
  switch (e.kind) {
    case 'local-write': {
      if (isIdempotencyRecordId(e.itemId)) return { cls: 'st-write st-aux', place: 'line', shape: 'small-dot' };
      const value = e.after ? formatItem(e.after) : 'deleted';
      return { cls: 'st-write', place: 'line', shape: 'dot', label: `${cut(itemName(e), LABEL_ITEM_CHARS)} ${cutWords(value, LABEL_VALUE_CHARS)}` };
    }
    case 'conflict-repaired':
      return { cls: 'st-conflict st-repair', place: 'line', shape: 'diamond', label: `${cut(e.itemId, LABEL_ITEM_CHARS)} repaired` };
    case 'conflict-resolved':
      return { cls: 'st-conflict st-merge', place: 'line', shape: 'diamond', label: `${cut(e.itemId, LABEL_ITEM_CHARS)} merged (${cut(e.strategy, 16)})` };
    case 'client-event':
      return { cls: e.attempt > 1 ? 'st-event st-retry' : 'st-event', place: 'side', shape: 'triangle' };
    case 'event-outcome':
      return { cls: `st-event st-outcome-${e.outcome}`, place: 'side', shape: e.outcome === 'applied' ? 'square' : 'hollow-square' };
    case 'condition-failed':
    case 'operation-failed':
      return { cls: 'st-event st-refused', place: 'side', shape: 'x' };
    case 'request-rejected':
      return { cls: 'st-event st-rejected', place: 'side', shape: 'x' };
    case 'read':
      // a read that found nothing (or was refused) dashed: the stale read of a race shows without hovering
      return { cls: foundNothing(e) ? 'st-read st-read-none' : 'st-read', place: 'side', shape: 'diamond' };
    case 'checkpoint':
      return { cls: `st-event st-check ${e.passed ? 'st-pass' : 'st-fail'}`, place: 'axis', shape: e.passed ? 'check' : 'cross-check' };
    case 'lambda-attempt-failed':
    case 'handler-problem':
      return { cls: 'st-lambda st-failed', place: 'side', shape: 'x' };
    case 'lambda-retry-scheduled':
    case 'redriven':
      return { cls: 'st-lambda st-retry', place: 'side', shape: 'ring' };
    case 'dead-lettered':
    case 'event-lost':
    case 'stream-records-discarded':
      return { cls: 'st-lambda st-dlq', place: 'side', shape: 'bar' };
    case 'sdk-retry':
      return { cls: 'st-event st-retry', place: 'side', shape: 'ring' };
    case 'cold-start':
      return { cls: 'st-cold', place: 'side', shape: 'bar' };
    case 'redrive-empty':
      return { cls: 'st-lambda st-retry', place: markRegion(e) === '' ? 'axis' : 'side', shape: 'ring' };
    case 'execution-started':
    case 'execution-deduplicated':
    case 'execution-rejected':
    case 'state-entered':
    case 'execution-closed':
    case 'side-effect':
      return { cls: 'st-event', place: 'side', shape: 'hollow-square' };
    case 'clock-skew-changed':
      return { cls: 'st-fault st-clock', place: 'side', shape: 'bar' };
    case 'fault-started':
    case 'fault-ended':
      // Pauses and outages are shaded windows; a Lambda failure or a clock skew is a small note.
      if (e.fault === 'pause-replication' || e.fault === 'outage') return undefined;
      return { cls: 'st-fault', place: markRegion(e) === '' ? 'axis' : 'side', shape: 'bar' };
    case 'replication-sent':
    case 'replication-applied':
    case 'replication-discarded':
    case 'replication-coalesced':
    case 'replication-held':
      return undefined;
  }
}

/** A step's words for its hover title: the label, the text, and what changed. */
export function stepWords(e: TraceEvent): string {
  const v = stepViewOrKind(e);
  const change = v.change ? `\n${v.change.before} → ${v.change.after}` : '';
  return `${v.label} ${v.text}${change}`;
}

function itemName(e: { itemId: string; table?: string }): string {
  return e.table !== undefined ? `${e.table} ${e.itemId}` : e.itemId;
}

function foundNothing(e: Extract<TraceEvent, { kind: 'read' }>): boolean {
  if (e.error !== undefined) return true;
  if (e.count !== undefined) return e.count === 0;
  return e.items !== undefined ? e.items.length === 0 : e.item === null;
}
