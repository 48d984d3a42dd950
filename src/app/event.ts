import type { AttributeValue } from './item.js';

/**
 * The TM Forum TMF688 event envelope (aws-semantics §8). `timeOcurred` is misspelled in the
 * standard itself and kept that way.
 */
export interface Tmf688Envelope {
  eventId: string;
  eventTime: string;
  eventType: string;
  correlationId: string;
  domain: string;
  priority: string;
  timeOcurred: string;
  event: Record<string, Record<string, AttributeValue>>;
}

/** What the application processes: the envelope plus the fields it routes on. */
export interface AppEvent {
  envelope: Tmf688Envelope;
  /** Deduplication key; a retry of the same event carries the same key. */
  idempotencyKey: string;
  /** Partition key of the data item the event changes. */
  itemId: string;
  /** Attributes the event sets inside the item's `Data` map. */
  data: Record<string, AttributeValue>;
  /** Increments of attributes inside `Data` the event asks for (absent: none). */
  add?: Record<string, number> | undefined;
  /** The client's clock when it produced this attempt, in epoch ms (may be skewed). */
  clientTime: number;
}
