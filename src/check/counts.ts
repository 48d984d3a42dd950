import { stampKey, type TraceEvent } from '../trace/events.js';
import { plainMap, sameValue } from '../trace/item.js';
import { COUNT_NAMES, type CountName, type RunCounts } from '../trace/report.js';

/** Counts what happened, from the trace alone (so any backend's trace can be checked the same way). */
export function countTrace(trace: readonly TraceEvent[]): RunCounts {
  const counts = Object.assign({}, ZERO_COUNTS) as RunCounts;
  // Keyed by the user's idempotency keys: no prototype, so `constructor` or `__proto__` is a key like any other.
  counts.effects = plainMap<number>();
  // A conflict is one pair of concurrent versions of an item, however many replicas see them meet.
  const conflictPairs = new Set<string>();
  const notePair = (itemId: string, a: { ts: number; region: string }, b: { ts: number; region: string }) => {
    const [x, y] = [stampKey(a), stampKey(b)].sort();
    conflictPairs.add(`${itemId}|${x}|${y}`);
  };
  for (const e of trace) {
    switch (e.kind) {
      case 'client-event':
        counts.events++;
        break;
      case 'event-outcome':
        if (e.outcome === 'applied') {
          counts.applied++;
          counts.effects[e.idempotencyKey] = (counts.effects[e.idempotencyKey] ?? 0) + 1;
        } else if (e.outcome === 'duplicate') counts.duplicates++;
        else if (e.outcome === 'superseded') counts.superseded++;
        else counts.failed++;
        break;
      case 'condition-failed':
        counts.conditionFailures++;
        break;
      case 'operation-failed':
        counts.operationFailures++;
        // src/sim/mrsc/errors.ts REPLICATED_WRITE_CONFLICT (the checks read the trace only, not the model)
        if (e.error.name === 'ReplicatedWriteConflictException') counts.writeConflicts++;
        break;
      case 'sdk-retry':
        counts.sdkRetries++;
        break;
      case 'replication-applied':
        counts.replicatedWrites++;
        if (e.conflict && e.replacedVersion) notePair(e.itemId, e.version, e.replacedVersion);
        break;
      case 'replication-discarded':
        // discardedWrites are last-writer-wins' losers; a write dropped with its deleted table lost to none
        if (e.reason === 'table-deleted') break;
        counts.discardedWrites++;
        if (e.conflict) notePair(e.itemId, e.incomingVersion, e.keptVersion);
        break;
      case 'conflict-repaired':
        counts.repairs++;
        break;
      case 'conflict-resolved':
        // A merge keeps both versions: its result is neither of them as it was.
        if (e.by === 'application' && !sameValue(e.result, e.versions[0]) && !sameValue(e.result, e.versions[1])) counts.merges++;
        break;
      case 'request-rejected':
        counts.rejected++;
        if (e.failoverTo) counts.failovers++;
        break;
      case 'replication-held':
        counts.heldWrites++;
        break;
      case 'lambda-attempt-failed':
        counts.lambdaFailures++;
        break;
      case 'lambda-retry-scheduled':
        counts.lambdaRetries++;
        break;
      case 'dead-lettered':
        counts.deadLettered++;
        break;
      case 'redriven':
        counts.redriven++;
        break;
      case 'event-lost':
        counts.lost++;
        break;
      case 'execution-started':
        counts.executions++;
        break;
      case 'execution-deduplicated':
        counts.executionsDeduplicated++;
        break;
      case 'execution-rejected':
        counts.executionsRejected++;
        break;
      case 'fault-started':
      case 'fault-ended':
      case 'state-entered':
      case 'execution-closed':
      case 'clock-skew-changed':
      case 'local-write':
      case 'replication-sent':
      case 'replication-coalesced':
      case 'read':
      case 'checkpoint':
        break;
    }
  }
  counts.conflicts = conflictPairs.size;
  return counts;
}

/** Every count at 0, in the report's order: copied for each count (explore counts thousands of runs a second). */
const ZERO_COUNTS: Readonly<Record<CountName, number>> = Object.freeze(Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as Record<CountName, number>);
