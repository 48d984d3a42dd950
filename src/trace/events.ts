import type { Tmf688Envelope } from '../app/event.js';
import type { Item } from '../app/item.js';

/**
 * The hidden per-item write timestamp the service keeps for last-writer-wins (aws-semantics §1.3):
 * virtual ms of the write in its origin region, plus that region to make ties explicit.
 */
export interface VersionStamp {
  ts: number;
  region: string;
}

interface At {
  /** Position in the trace, from 1. */
  seq: number;
  /** Virtual time, ms since the scenario started. */
  t: number;
}

/** A client sent an event (first attempt or retry) to the application in a region. */
export interface ClientEventTrace extends At {
  kind: 'client-event';
  region: string;
  eventId: string;
  idempotencyKey: string;
  itemId: string;
  attempt: number;
  retryOf?: string;
  clientTime: number;
  envelope: Tmf688Envelope;
}

/** The application finished with an event. */
export interface EventOutcomeTrace extends At {
  kind: 'event-outcome';
  region: string;
  eventId: string;
  idempotencyKey: string;
  itemId: string;
  /**
   * applied: the data change was written; duplicate: the idempotency record already existed in
   * this region; superseded: a newer client write was already there (client-lww); failed: gave up.
   */
  outcome: 'applied' | 'duplicate' | 'superseded' | 'failed';
  /** Conditional-write attempts the processor made (version strategy retries). */
  attempts: number;
  detail?: string;
}

/** A write accepted by one region's replica from a client or the application. */
export interface LocalWriteTrace extends At {
  kind: 'local-write';
  region: string;
  itemId: string;
  op: 'put' | 'update' | 'delete';
  before: Item | null;
  after: Item | null;
  version: VersionStamp;
  /** The event or step that caused it. */
  cause?: string;
  /** Set when the write was part of a TransactWriteItems. */
  transaction?: string;
}

/** A conditional write (or a transaction) rejected by the local replica. */
export interface ConditionFailedTrace extends At {
  kind: 'condition-failed';
  region: string;
  itemId: string;
  condition: string;
  current: Item | null;
  cause?: string;
  transaction?: string;
}

export interface ReplicationSentTrace extends At {
  kind: 'replication-sent';
  from: string;
  to: string;
  itemId: string;
  version: VersionStamp;
  arrivesAt: number;
}

export interface ReplicationAppliedTrace extends At {
  kind: 'replication-applied';
  from: string;
  to: string;
  itemId: string;
  before: Item | null;
  after: Item | null;
  version: VersionStamp;
  /** The receiver's version that this write replaced, if any. */
  replacedVersion?: VersionStamp;
  /** The receiving replica held a version the sender had not seen: a concurrent write was overwritten. */
  conflict: boolean;
}

/** A replicated write older than the receiving replica's item: silently dropped (aws-semantics §1.3). */
export interface ReplicationDiscardedTrace extends At {
  kind: 'replication-discarded';
  from: string;
  to: string;
  itemId: string;
  incoming: Item | null;
  kept: Item | null;
  incomingVersion: VersionStamp;
  keptVersion: VersionStamp;
  reason: 'older' | 'tie-lost';
  /** The two versions were written concurrently (neither saw the other). */
  conflict: boolean;
}

/** Several quick changes to one item merged into one replicated write (aws-semantics §1.2). */
export interface ReplicationCoalescedTrace extends At {
  kind: 'replication-coalesced';
  from: string;
  to: string;
  itemId: string;
  dropped: VersionStamp;
  by: VersionStamp;
}

/** A stream consumer rewrote an item so every region converges on the resolver's winner. */
export interface ConflictRepairedTrace extends At {
  kind: 'conflict-repaired';
  region: string;
  itemId: string;
  winner: Item;
  loser: Item;
}

export interface ReadTrace extends At {
  kind: 'read';
  region: string;
  itemId: string;
  consistency: 'eventual' | 'strong';
  item: Item | null;
}

/** A scenario check at a given time; its result is also in the report's assertions. */
export interface CheckpointTrace extends At {
  kind: 'checkpoint';
  name: string;
  passed: boolean;
}

export type TraceEvent =
  | ClientEventTrace
  | EventOutcomeTrace
  | LocalWriteTrace
  | ConditionFailedTrace
  | ReplicationSentTrace
  | ReplicationAppliedTrace
  | ReplicationDiscardedTrace
  | ReplicationCoalescedTrace
  | ConflictRepairedTrace
  | ReadTrace
  | CheckpointTrace;

export type TraceKind = TraceEvent['kind'];

/** A trace event before the recorder numbers it. */
export type TraceEventInput = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq'> : never) : never;
