import { coldStartReason, MERGE_FUNCTION_ERROR, MODULE_SCOPE_CAUSE, type TraceEvent, type VersionStamp } from '../trace/events.js';
import type { AttributeValue } from '../trace/item.js';
import { escapeControlChars } from './control-chars.js';
import { formatItem, formatValue } from './format-item.js';
import { formatTime } from './format-time.js';
// an item as a trace line names it, as the steppers key it: its id, after its table when not the scenario's own
import { stateItemKey as itemName } from './step-state.js';

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
  | 'check-fail'
  // Kinds the retry/fault work adds (issue 7); coloured already so new cases only pick a tone.
  | 'retry'
  | 'dead-letter'
  | 'fault';

/** One trace event as the views show it. Renderers share this so text, ink and JSON agree. */
export interface StepView {
  seq: number;
  t: number;
  /** The region the step happens in; for replication, the receiving region. */
  region: string;
  /** Set for replication steps: where the write comes from. */
  from?: string;
  /** A step of more than one region (`region` ''; a fault of a link or of two regions): those it touches. Absent: every region (a check). */
  regions?: string[];
  tone: Tone;
  /** Short verb: EVENT, WRITE, SEND, APPLY, DISCARD... */
  label: string;
  text: string;
  /** The item before and after, for steps that change one. */
  change?: { before: string; after: string };
  /** The step belongs to the replication-in-flight lane (a write leaving `from` for `region`). */
  inFlight?: boolean;
}

/** A write's version stamp: the virtual time of the write and its region, `1.5s@us-east-1`. */
export const stamp = (s: VersionStamp): string => `${formatTime(s.ts)}@${s.region}`;

/**
 * The notation of steps and items (version stamps, Version, writer, client timestamp), explained
 * in one line under the header of the plain and terminal views:
 * `key: 1.5s@us-east-1 = write stamp (virtual time@region) · v2 = Version · by = writer · ts = client timestamp`.
 */
export function notationLegend(regions: string[]): string {
  return `key: ${notationKey(regions).join(' · ')}`;
}

/** The entries of the notation legend, for a view that lays them out itself. */
export function notationKey(regions: string[]): string[] {
  const example = stamp({ ts: 1500, region: escapeControlChars(regions[0] ?? 'us-east-1') });
  return [`${example} = write stamp (virtual time@region)`, 'v2 = Version', 'by = writer', 'ts = client timestamp'];
}

/**
 * How a trace event reads in every view. Text from the scenario (ids, names, values) arrives
 * with its control characters escaped, so no view can print them raw.
 */
export function stepView(e: TraceEvent): StepView {
  return escapeStep(wording(e));
}

function escapeStep(step: StepView): StepView {
  const safe: StepView = { ...step, region: escapeControlChars(step.region), label: escapeControlChars(step.label), text: escapeControlChars(step.text) };
  if (step.from !== undefined) safe.from = escapeControlChars(step.from);
  if (step.change) safe.change = { before: escapeControlChars(step.change.before), after: escapeControlChars(step.change.after) };
  return safe;
}

function wording(e: TraceEvent): StepView {
  const base = { seq: e.seq, t: e.t };
  switch (e.kind) {
    case 'client-event':
      return {
        ...base,
        region: e.region,
        tone: e.attempt > 1 ? 'retry' : 'event',
        label: e.attempt > 1 ? 'RETRY' : 'EVENT',
        text: `${e.eventId} key ${e.idempotencyKey} → ${e.itemId} ${changeText(eventData(e.envelope.event), e.add)}${e.attempt > 1 ? ` (attempt ${e.attempt}${e.retryOf ? ` of ${e.retryOf}` : ''})` : ''}`,
      };
    case 'event-outcome':
      return {
        ...base,
        region: e.region,
        tone: e.outcome === 'duplicate' ? 'duplicate' : e.outcome === 'applied' ? 'outcome' : 'condition',
        label: e.outcome === 'applied' ? 'PROCESSED' : e.outcome.toUpperCase(),
        text: `${e.eventId} ${e.handler && e.outcome === 'duplicate' ? 'made no change' : outcomeText(e.outcome)}${e.detail ? ` (${e.detail})` : ''}`,
      };
    case 'local-write':
      return {
        ...base,
        region: e.region,
        tone: 'write',
        label: e.op === 'delete' ? 'DELETE' : 'WRITE',
        text: `${itemName(e)} ${stamp(e.version)}${e.transaction ? ` in ${e.transaction}` : ''}${e.cause ? ` for ${e.cause}` : ''}${e.caller ? ` from ${e.caller}` : ''}${e.answeredAt !== undefined ? `; answered at ${formatTime(e.answeredAt)} (MRSC round trip)` : ''}${e.unchanged ? '; changed nothing: the same version, not replicated' : ''}`,
        change: { before: formatItem(e.before), after: formatItem(e.after) },
      };
    case 'condition-failed':
      return {
        ...base,
        region: e.region,
        tone: 'condition',
        label: 'COND FAIL',
        text: `${itemName(e)}: ${e.condition} is false${e.transaction ? ` (${e.transaction} cancelled)` : ''}; holds ${formatItem(e.current)}`,
      };
    case 'operation-failed':
      // a team's merge function that threw is no refusal of DynamoDB's
      if (e.error.name === MERGE_FUNCTION_ERROR) return { ...base, region: e.region, tone: 'fault', label: 'MERGE ERR', text: `merge of ${itemName(e)} failed: ${e.error.message}; holds ${formatItem(e.current)}` };
      return {
        ...base,
        region: e.region,
        tone: 'condition',
        label: 'REFUSED',
        // a transaction's operation-failed is a request refused before any of it ran (a cancelled
        // transaction's items are condition-failed events, worded "cancelled" above)
        text: `${e.op} ${itemName(e)}: ${e.error.name}: ${e.error.message}${e.transaction ? ` (${e.transaction} refused as a whole)` : ''}; holds ${formatItem(e.current)}`,
      };
    case 'replication-sent':
      return { ...base, region: e.to, from: e.from, inFlight: true, tone: 'sent', label: 'SEND', text: `${itemName(e)} ${stamp(e.version)} arrives at ${formatTime(e.arrivesAt)}` };
    case 'replication-applied':
      return {
        ...base,
        region: e.to,
        from: e.from,
        tone: 'applied',
        label: 'APPLY',
        text: `${itemName(e)} ${stamp(e.version)}${e.conflict ? ' overwrites a concurrent write (conflict)' : ''}${e.heldSince !== undefined ? ` (${e.fromQuorum ? '' : 'late: '}held since ${formatTime(e.heldSince)})` : ''}${e.fromQuorum ? ' (taken from the quorum before it arrived)' : ''}`,
        change: { before: formatItem(e.before), after: formatItem(e.after) },
      };
    case 'replication-discarded':
      return {
        ...base,
        region: e.to,
        from: e.from,
        tone: 'discarded',
        label: 'DISCARD',
        // The fact first (dropped, and why), the dropped item last: a narrow view cuts from the end.
        text: `${itemName(e)} ${stamp(e.incomingVersion)} ${e.reason === 'table-deleted' ? 'dropped: its table was deleted while it was on its way' : `silently dropped: loses to ${stamp(e.keptVersion)} (${e.reason === 'tie-lost' ? 'same timestamp, tie rule' : 'older'})`}${e.heldSince !== undefined ? `, late: held since ${formatTime(e.heldSince)}` : ''}${e.reason !== 'table-deleted' && e.fromQuorum ? ', taken from the quorum before it arrived' : ''}; was ${formatItem(e.incoming)}`,
      };
    case 'replication-coalesced':
      return { ...base, region: e.to, from: e.from, inFlight: true, tone: 'coalesced', label: 'COALESCE', text: `${itemName(e)} ${stamp(e.dropped)} replaced in flight by ${stamp(e.by)}` };
    case 'conflict-repaired':
      return {
        ...base,
        region: e.region,
        tone: 'repaired',
        label: 'REPAIR',
        text: `${e.itemId}: client timestamp winner written back`,
        change: { before: formatItem(e.loser), after: formatItem(e.winner) },
      };
    case 'conflict-resolved':
      return {
        ...base,
        region: e.region,
        tone: 'repaired',
        label: 'MERGE',
        text: `${e.itemId}: ${e.strategy} merged two concurrent versions`,
        change: { before: e.versions.map((v) => (v ? formatItem(v) : 'none')).join(' | '), after: e.result ? formatItem(e.result) : 'none' },
      };
    case 'read':
      return { ...base, region: e.region, tone: 'read', label: e.request?.operation === 'Query' ? 'QUERY' : e.request?.operation === 'Scan' ? 'SCAN' : 'READ', text: `${readTarget(e)} (${e.consistency}${e.askedAt !== undefined ? `, asked at ${formatTime(e.askedAt)}: MRSC round trip` : ''})${e.cause ? ` for ${e.cause}` : ''}${e.caller ? ` from ${e.caller}` : ''} → ${readResult(e)}` };
    case 'checkpoint':
      return { ...base, region: '', tone: e.passed ? 'check-pass' : 'check-fail', label: 'CHECK', text: `${e.name}: ${e.passed ? 'passed' : 'FAILED'}` };
    // ---- faults and failure paths (issue 7) ----
    case 'fault-started':
      return {
        ...base,
        ...faultRegions(e.regions),
        tone: 'fault',
        label: 'FAULT',
        text: `${e.description}${e.until !== undefined ? ` until ${formatTime(e.until)}` : ''}${e.effectiveAt !== undefined && e.effectiveAt > e.t ? ` (replication continues until ${formatTime(e.effectiveAt)})` : ''}`,
      };
    case 'fault-ended':
      return {
        ...base,
        ...faultRegions(e.regions),
        tone: 'fault',
        label: 'RECOVER',
        text: `${e.description} ends${e.released ? `; ${e.released} held replicated write${e.released === 1 ? '' : 's'} sent on` : ''}`,
      };
    case 'replication-held':
      return { ...base, region: e.to, from: e.from, tone: 'fault', label: 'HELD', text: `${itemName(e)} ${stamp(e.version)} waits: link paused or region down` };
    case 'request-rejected':
      return {
        ...base,
        region: e.region,
        tone: 'fault',
        label: 'REJECTED',
        text: `${e.eventId}${e.request !== undefined ? `, ${e.request}` : ''}: region unavailable${e.failoverTo ? `; client fails over to ${e.failoverTo} at ${e.failoverAt !== undefined ? formatTime(e.failoverAt) : '?'}` : e.request?.startsWith('from ') ? `; the Lambda in ${e.request.slice(5)} gets the error` : '; the client gets the error'}`,
      };
    case 'lambda-attempt-failed':
      return {
        ...base,
        region: e.region,
        tone: 'fault',
        label: 'LAMBDA ERR',
        text: `${e.eventIds.join(', ')} attempt ${e.attempt} ${e.error === 'timeout' ? 'timed out' : 'failed'} (${e.invocation}): ${e.message}`,
      };
    case 'lambda-retry-scheduled':
      return {
        ...base,
        region: e.region,
        tone: 'retry',
        label: 'RETRY AT',
        text: `${e.eventIds.join(', ')} attempt ${e.attempt} at ${formatTime(e.at)}${e.bisected ? ' (batch bisected; no retry used)' : ''}`,
      };
    case 'dead-lettered':
      return {
        ...base,
        region: e.region,
        tone: 'dead-letter',
        label: 'DLQ',
        text: `${e.eventId} → dead-letter queue after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'} (${e.source}): ${e.error}${e.metadataOnly ? ' [batch metadata only]' : ''}`,
      };
    case 'event-lost':
      return { ...base, region: e.region, tone: 'check-fail', label: 'LOST', text: `${e.eventId} dropped: ${e.reason}` };
    case 'stream-records-discarded':
      return {
        ...base,
        region: e.region,
        tone: 'dead-letter',
        label: 'DISCARDED',
        text: `stream records ${e.records.join(', ')} discarded after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'} (${e.reason}): ${e.error}`,
      };
    case 'redriven':
      return { ...base, region: e.region, tone: 'retry', label: 'REDRIVE', text: `${e.eventId} taken from the dead-letter queue and processed again` };
    case 'redrive-empty':
      return { ...base, region: e.region ?? '', tone: 'dead-letter', label: 'REDRIVE', text: redriveEmptyText(e) };
    case 'execution-started':
      return { ...base, region: e.region, tone: 'event', label: 'START EXEC', text: `${e.executionId} (${e.workflow}) name ${e.name} for ${e.eventId}` };
    case 'execution-deduplicated':
      return { ...base, region: e.region, tone: 'duplicate', label: 'SAME EXEC', text: `${e.eventId}: ${e.name} is running with the same input, StartExecution returns ${e.executionId}` };
    case 'execution-rejected':
      return {
        ...base,
        region: e.region,
        tone: 'duplicate',
        label: 'EXEC EXISTS',
        text: `${e.eventId}: ExecutionAlreadyExists, ${e.name} ${e.reason === 'closed' ? 'has already closed' : 'runs with a different input'} (${e.executionId})`,
      };
    case 'state-entered':
      return { ...base, region: e.region, tone: 'outcome', label: 'STATE', text: `${e.executionId} enters ${e.state} (${e.eventId})` };
    case 'execution-closed':
      return { ...base, region: e.region, tone: e.status === 'SUCCEEDED' ? 'outcome' : 'dead-letter', label: 'END EXEC', text: `${e.executionId} ${e.status} (${e.eventId})` };
    case 'clock-skew-changed':
      return { ...base, region: e.region, tone: 'fault', label: 'CLOCK', text: `client clock skew ${formatTime(e.from)} → ${formatTime(e.to)}` };
    case 'handler-problem':
      return { ...base, region: e.region, tone: 'check-fail', label: e.problem === 'refused' ? 'REFUSED' : 'LATE ERROR', text: `${e.eventId}: ${e.message}${e.problem === 'late-error' ? (e.eventId === MODULE_SCOPE_CAUSE ? ' (thrown outside any invocation)' : ' (thrown after its invocation ended)') : ''}` };
    case 'sdk-retry':
      return { ...base, region: e.region, tone: 'retry', label: 'SDK RETRY', text: `${e.itemId}: ${e.error.name}; the SDK sends attempt ${e.attempt} after ${formatTime(e.delayMs)}` };
    case 'side-effect':
      return { ...base, region: e.region, tone: 'write', label: 'EFFECT', text: `${e.service} ${e.operation} for ${e.eventId} (recorded, not sent)` };
    case 'cold-start':
      return { ...base, region: e.region, tone: 'event', label: 'COLD START', text: `${e.function}: a new execution environment${e.eventId !== undefined ? ` for ${e.eventId}` : ''} (${coldStartReason(e)}); its module scope runs` };
  }
}

/** What a redrive that took nothing says: which events were not there, or that the queue was empty. */
export function redriveEmptyText(e: Extract<TraceEvent, { kind: 'redrive-empty' }>): string {
  const queue = `the dead-letter queue${e.region !== undefined ? ` of ${e.region}` : 's'}`;
  return e.eventIds.length > 0 ? `nothing to redrive for ${e.eventIds.join(', ')}: not in ${queue} (never dead-lettered, or redriven already)` : `nothing to redrive: ${queue} ${e.region !== undefined ? 'is' : 'are'} empty`;
}

function outcomeText(outcome: 'applied' | 'duplicate' | 'superseded' | 'failed'): string {
  switch (outcome) {
    case 'applied':
      return 'applied';
    case 'duplicate':
      return 'is a duplicate: its idempotency key is already recorded, nothing written';
    case 'superseded':
      return 'superseded: a client write that wins is already here';
    case 'failed':
      return 'failed';
  }
}

/** What an event asks: the fields it sets and the increments it adds (`add:`); an event of increments only does not say `sets {}`. */
function changeText(data: Record<string, AttributeValue>, add: Record<string, number> | undefined): string {
  if (add === undefined) return `sets ${formatValue(data)}`;
  const adds = `adds ${formatValue(add)}`;
  return Object.keys(data).length === 0 ? adds : `sets ${formatValue(data)} ${adds}`;
}

/** The resource fields an envelope carries, without the resource's own id. */
function eventData(event: Record<string, Record<string, AttributeValue>>): Record<string, AttributeValue> {
  const resource = Object.values(event)[0] ?? {};
  const { id: _id, ...data } = resource;
  return data;
}

/**
 * stepView for views: a trace kind that has no case yet (new kinds land before their wording)
 * still shows as its kind name in its region instead of breaking the view.
 */
export function stepViewOrKind(e: TraceEvent): StepView {
  const worded = wording(e) as StepView | undefined;
  if (worded) return escapeStep(worded);
  const loose = e as unknown as { kind: string; region?: string; to?: string };
  return escapeStep({ seq: e.seq, t: e.t, region: loose.region ?? loose.to ?? '', tone: 'read', label: loose.kind.toUpperCase(), text: '' });
}

/** What a read asked for: an item (after its table when not the scenario's), or a query's condition with the values it gave. */
export function readTarget(e: Extract<TraceEvent, { kind: 'read' }>): string {
  if (e.items === undefined) return itemName(e);
  const values = e.request?.values;
  return values === undefined ? e.itemId : `${e.itemId} [${Object.entries(values).map(([k, v]) => `${k} = ${formatValue(v)}`).join(', ')}]`;
}

/** What a read returned: the item, a query's items (each), or DynamoDB's refusal. */
function readResult(e: Extract<TraceEvent, { kind: 'read' }>): string {
  if (e.error) return `${e.error.name}: ${e.error.message}`;
  if (e.items === undefined) return formatItem(e.item);
  if (e.count !== undefined) return `count ${e.count}`;
  // each named by its Id (formatItem leaves the key out: a query's items are told apart by it)
  return `${e.items.length} item${e.items.length === 1 ? '' : 's'}${e.items.length > 0 ? ': ' + e.items.map((i) => (typeof i.Id === 'string' ? `${i.Id} ${formatItem(i)}` : formatItem(i))).join('; ') : ''}`;
}

/** Where a fault's step sits: its one region, or (a link, two regions) the regions it touches; none named: every region. */
function faultRegions(regions: string[]): { region: string; regions?: string[] } {
  if (regions.length === 1) return { region: regions[0]! };
  return regions.length === 0 ? { region: '' } : { region: '', regions };
}
