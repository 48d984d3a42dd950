import type { RunReport } from '../../trace/report.js';
import { isFunctionCause, type TraceEvent } from '../../trace/events.js';
import { assertNever } from './assert-never.js';
import { escapeLabel, mermaidId } from './escape.js';
import type { SequenceLimits } from './sequence-limits.js';

// The participants of a sequence diagram, and the Context that records which ones the trace uses.

export const CLIENT = 'Client';
export const REPLICATION = 'Replication';

export function lambdaId(region: string): string {
  return `Lambda_${mermaidId(region)}`;
}
export function tableId(region: string): string {
  return `Table_${mermaidId(region)}`;
}
/** Each region has its own dead-letter queue and workflow (the stack deploys per region). */
export function dlqId(region: string): string {
  return `DLQ_${mermaidId(region)}`;
}
export function stepFunctionsId(region: string): string {
  return `StepFunctions_${mermaidId(region)}`;
}

/**
 * A region's participants from the outside in: Step Functions, the dead-letter queue, the Lambda,
 * then the replica next to the replication in the middle. The first region is drawn left of the
 * replication, so its list is reversed.
 */
function regionParticipants(region: string, first: boolean): { id: string; name: string }[] {
  const list = [
    { id: stepFunctionsId(region), name: `Step Functions ${region}` },
    { id: dlqId(region), name: `DLQ ${region}` },
    { id: lambdaId(region), name: `Lambda ${region}` },
    { id: tableId(region), name: `Table replica ${region}` },
  ];
  return first ? list : list.reverse();
}

export class Context {
  readonly regions: string[];
  /** MRSC's witness, drawn (when a fault names it) as one participant: it holds no replica and runs nothing. */
  private readonly witness: string | undefined;
  readonly used = new Set<string>();
  /** Set once a fault bar (an activation) is drawn: the diagram then styles activations. */
  faultBars = false;
  /** Event ids the client sent: a write caused by one of them was made by the Lambda. */
  private readonly clientEventIds = new Set<string>();
  /** Whether a client gets the function's answer (a direct or API Gateway call; not an asynchronous invocation, a stream, a queue). */
  readonly clientWaits: boolean;

  constructor(
    report: RunReport,
    readonly limits: SequenceLimits,
  ) {
    this.clientWaits = report.delivery === undefined;
    this.witness = report.witness;
    // Regions named only in the trace (should not happen) still get a box, after the declared ones.
    const regions = [...report.regions];
    for (const e of report.trace) {
      for (const r of regionsOf(e)) if (!regions.includes(r)) regions.push(r);
      if (e.kind === 'client-event') this.clientEventIds.add(e.eventId);
      if (e.kind === 'conflict-resolved') this.merges.push(e);
    }
    this.regions = regions;
  }

  /** A merge strategy's merges, in trace order: a conflict's note says when one follows it. */
  private readonly merges: Array<Extract<TraceEvent, { kind: 'conflict-resolved' }>> = [];

  /** The strategy of the first merge of an item in a region at or after `t`, if its consumer merges it later. */
  mergedLater(itemId: string, region: string, t: number): string | undefined {
    return this.merges.find((m) => m.itemId === itemId && m.region === region && m.t >= t)?.strategy;
  }

  /** The first earlier application of an idempotency key, recorded as a side effect of the call. */
  appliedBefore(key: string, region: string, t: number): { region: string; t: number } | undefined {
    const first = this.applied.get(key);
    if (!first) this.applied.set(key, { region, t });
    return first;
  }

  private readonly applied = new Map<string, { region: string; t: number }>();

  use(id: string): string {
    this.used.add(id);
    return id;
  }

  isClientEvent(cause: string | undefined): boolean {
    return cause !== undefined && this.clientEventIds.has(cause);
  }

  /**
   * Who made a request of `region`'s table: its Lambda for a client event it processes, a stream
   * record it consumes (a team's handler, the repair, a merge), an SQS batch or its module's init
   * code, else the client (a scenario step, a program through serve).
   */
  requesterOf(cause: string | undefined, region: string, caller?: string): string {
    // a Lambda's request of another region's table (a key's home region) is that Lambda's, in its own region
    return this.isClientEvent(cause) || isFunctionCause(cause) ? lambdaId(caller ?? region) : CLIENT;
  }

  /** Participants in drawing order, with the ones never used left out (table replicas always shown). */
  order(): string[] {
    const ids: string[] = [];
    if (this.used.has(CLIENT)) ids.push(CLIENT);
    this.regions.forEach((r, i) => {
      ids.push(...this.shown(r, i === 0).map((p) => p.id));
      if (i === 0 && this.used.has(REPLICATION)) ids.push(REPLICATION);
    });
    return ids;
  }

  /** The participants drawn in the region (box) `id` belongs to; none for the client and the replication. */
  regionParticipantsOf(id: string): string[] {
    const region = this.regions.find((r) => regionParticipants(r, false).some((p) => p.id === id));
    return region === undefined ? [] : this.participantsOf(region);
  }

  /** A region's participants as drawn, left to right. */
  participantsOf(region: string): string[] {
    const i = this.regions.indexOf(region);
    return i < 0 ? [] : this.shown(region, i === 0).map((p) => p.id);
  }

  /** The replica always shows (every region holds one); the rest only when the trace uses them. */
  private shown(region: string, first: boolean): { id: string; name: string }[] {
    if (region === this.witness) return [{ id: tableId(region), name: `Witness ${region} (no replica)` }];
    return regionParticipants(region, first).filter((p) => p.id === tableId(region) || this.used.has(p.id));
  }

  /** The regions that hold a replica (every drawn region but the witness). */
  replicaRegions(): string[] {
    return this.regions.filter((r) => r !== this.witness);
  }

  leftmost(): string {
    return this.order()[0] ?? CLIENT;
  }
  rightmost(): string {
    const o = this.order();
    return o[o.length - 1] ?? CLIENT;
  }

  declarations(): string[] {
    const out: string[] = [];
    if (this.used.has(CLIENT)) out.push(`  participant ${CLIENT} as Client`);
    this.regions.forEach((r, i) => {
      const fill = REGION_FILLS[i % REGION_FILLS.length];
      out.push(`  box ${fill} ${escapeLabel(r)}`);
      for (const p of this.shown(r, i === 0)) out.push(`    participant ${p.id} as ${escapeLabel(p.name)}`);
      out.push('  end');
      if (i === 0 && this.used.has(REPLICATION)) {
        out.push(`  participant ${REPLICATION} as Global table replication`);
      }
    });
    return out;
  }
}

// Light, distinct region tints; text stays black on each.
const REGION_FILLS = ['rgb(232,241,252)', 'rgb(252,240,228)', 'rgb(234,247,234)', 'rgb(243,236,250)'];

export function regionsOf(e: TraceEvent): string[] {
  switch (e.kind) {
    case 'client-event':
    case 'event-outcome':
    case 'local-write':
    case 'condition-failed':
    case 'operation-failed':
    case 'conflict-repaired':
    case 'conflict-resolved':
    case 'read':
      return [e.region];
    case 'replication-sent':
    case 'replication-applied':
    case 'replication-discarded':
    case 'replication-coalesced':
      return [e.from, e.to];
    case 'checkpoint':
      return [];
    // Faults and failure paths: where they happen, for the participants they involve.
    case 'fault-started':
    case 'fault-ended':
      return e.regions;
    case 'replication-held':
      return [e.from, e.to];
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
      return [e.region];
    case 'redrive-empty':
      return e.region !== undefined ? [e.region] : [];
    default:
      return assertNever(e);
  }
}
