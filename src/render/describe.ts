import type { TraceEvent, VersionStamp } from '../trace/events.js';
import type { AttributeValue } from '../app/item.js';
import { formatItem, formatValue } from './format-item.js';

/** How a step is coloured and grouped in every view. */
export type Tone =
  | 'event'
  | 'outcome'
  | 'duplicate'
  | 'write'
  | 'condition'
  | 'sent'
  | 'applied'
  | 'discarded'
  | 'coalesced'
  | 'repaired'
  | 'read'
  | 'check-pass'
  | 'check-fail';

/** One trace event as the views show it. Renderers share this so text, ink and JSON agree. */
export interface StepView {
  seq: number;
  t: number;
  /** The region the step happens in; for replication, the receiving region. */
  region: string;
  /** Set for replication steps: where the write comes from. */
  from?: string;
  tone: Tone;
  /** Short verb: EVENT, WRITE, SEND, APPLY, DISCARD... */
  label: string;
  text: string;
  /** The item before and after, for steps that change one. */
  change?: { before: string; after: string };
}

export const stamp = (s: VersionStamp): string => `${s.ts}ms@${s.region}`;

export function describeStep(e: TraceEvent): StepView {
  const base = { seq: e.seq, t: e.t };
  switch (e.kind) {
    case 'client-event':
      return {
        ...base,
        region: e.region,
        tone: 'event',
        label: e.attempt > 1 ? 'RETRY' : 'EVENT',
        text: `${e.eventId} key ${e.idempotencyKey} → ${e.itemId} sets ${formatValue(eventData(e.envelope.event))}${e.attempt > 1 ? ` (attempt ${e.attempt}${e.retryOf ? ` of ${e.retryOf}` : ''})` : ''}`,
      };
    case 'event-outcome':
      return {
        ...base,
        region: e.region,
        tone: e.outcome === 'duplicate' ? 'duplicate' : e.outcome === 'applied' ? 'outcome' : 'condition',
        label: e.outcome === 'applied' ? 'PROCESSED' : e.outcome.toUpperCase(),
        text: `${e.eventId} ${outcomeText(e.outcome)}${e.detail ? ` (${e.detail})` : ''}`,
      };
    case 'local-write':
      return {
        ...base,
        region: e.region,
        tone: 'write',
        label: e.op === 'delete' ? 'DELETE' : 'WRITE',
        text: `${e.itemId} ${stamp(e.version)}${e.transaction ? ` in ${e.transaction}` : ''}${e.cause ? ` for ${e.cause}` : ''}`,
        change: { before: formatItem(e.before), after: formatItem(e.after) },
      };
    case 'condition-failed':
      return {
        ...base,
        region: e.region,
        tone: 'condition',
        label: 'COND FAIL',
        text: `${e.itemId}: ${e.condition} is false${e.transaction ? ` (${e.transaction} cancelled)` : ''}; holds ${formatItem(e.current)}`,
      };
    case 'replication-sent':
      return { ...base, region: e.to, from: e.from, tone: 'sent', label: 'SEND', text: `${e.itemId} ${stamp(e.version)} arrives at ${e.arrivesAt}ms` };
    case 'replication-applied':
      return {
        ...base,
        region: e.to,
        from: e.from,
        tone: 'applied',
        label: 'APPLY',
        text: `${e.itemId} ${stamp(e.version)}${e.conflict ? ' overwrites a concurrent write (conflict)' : ''}`,
        change: { before: formatItem(e.before), after: formatItem(e.after) },
      };
    case 'replication-discarded':
      return {
        ...base,
        region: e.to,
        from: e.from,
        tone: 'discarded',
        label: 'DISCARD',
        text: `${e.itemId} ${stamp(e.incomingVersion)} loses to ${stamp(e.keptVersion)} (${e.reason === 'tie-lost' ? 'same timestamp, tie rule' : 'older'}): ${formatItem(e.incoming)} silently dropped`,
      };
    case 'replication-coalesced':
      return { ...base, region: e.to, from: e.from, tone: 'coalesced', label: 'COALESCE', text: `${e.itemId} ${stamp(e.dropped)} replaced in flight by ${stamp(e.by)}` };
    case 'conflict-repaired':
      return {
        ...base,
        region: e.region,
        tone: 'repaired',
        label: 'REPAIR',
        text: `${e.itemId}: client timestamp winner written back`,
        change: { before: formatItem(e.loser), after: formatItem(e.winner) },
      };
    case 'read':
      return { ...base, region: e.region, tone: 'read', label: 'READ', text: `${e.itemId} (${e.consistency}) → ${formatItem(e.item)}` };
    case 'checkpoint':
      return { ...base, region: '', tone: e.passed ? 'check-pass' : 'check-fail', label: 'CHECK', text: `${e.name}: ${e.passed ? 'passed' : 'FAILED'}` };
  }
}

function outcomeText(outcome: 'applied' | 'duplicate' | 'superseded' | 'failed'): string {
  switch (outcome) {
    case 'applied':
      return 'applied';
    case 'duplicate':
      return 'is a duplicate: idempotency key already recorded here, nothing written';
    case 'superseded':
      return 'superseded: a newer client write is already here';
    case 'failed':
      return 'failed';
  }
}

/** The resource fields an envelope carries, without the resource's own id. */
function eventData(event: Record<string, Record<string, AttributeValue>>): Record<string, AttributeValue> {
  const resource = Object.values(event)[0] ?? {};
  const { id: _id, ...data } = resource;
  return data;
}
