import type { TraceSink } from '../../trace/recorder.js';
import type { Timeline } from '../substrate.js';
import type { EventJob } from './invocation.js';

export type DeadLetterSource = 'async' | 'stream' | 'step-functions' | 'sqs';

export interface DeadLetter {
  job: EventJob;
  source: DeadLetterSource;
  error: string;
  /** For a stream record: when it entered the stream, which keeps it 24 hours (aws-semantics §6.1). */
  streamArrivedAt?: number;
}

/** DynamoDB Streams retains records for 24 hours (aws-semantics §6.1). */
export const STREAM_RETENTION_MS = 24 * 3_600_000;

/**
 * One SQS dead-letter queue per region (the function's DLQ is per-region configuration). Entries
 * keep the event: for async invocations and the workflow's catch the message body is the event
 * (aws-semantics §6.2); a stream's on-failure record is batch metadata only (§6.1), so geosim marks
 * it and its redrive stands for re-reading the stream within its 24 hours.
 */
export class DeadLetterQueues {
  private readonly queues = new Map<string, DeadLetter[]>();

  constructor(
    private readonly world: Timeline,
    private readonly trace: TraceSink,
  ) {}

  /** Retries are exhausted: queue the event with its error, or drop it when there is no queue. */
  send(job: EventJob, source: DeadLetterSource, error: string, enabled: boolean, streamArrivedAt?: number): void {
    const t = this.world.now;
    if (!enabled) {
      // "If the message can't be delivered, Lambda drops it" (§6.2); streams discard the records (§6.1).
      this.trace.emit({ kind: 'event-lost', t, region: job.region, eventId: job.spec.id, reason: `retries exhausted and no dead-letter queue (${error})` });
      return;
    }
    let queue = this.queues.get(job.region);
    if (!queue) this.queues.set(job.region, (queue = []));
    queue.push({ job, source, error, ...(streamArrivedAt !== undefined ? { streamArrivedAt } : {}) });
    this.trace.emit({
      kind: 'dead-lettered',
      t,
      region: job.region,
      eventId: job.spec.id,
      idempotencyKey: job.spec.key,
      itemId: job.spec.item,
      source,
      error,
      attempts: job.attempts,
      metadataOnly: source === 'stream',
    });
  }

  /** Takes the matching letters out of the queues, regions in scenario order, oldest first. */
  take(region: string | undefined, events: readonly string[] | undefined): DeadLetter[] {
    const out: DeadLetter[] = [];
    for (const r of this.world.regions) {
      if (region !== undefined && r !== region) continue;
      const queue = this.queues.get(r);
      if (!queue) continue;
      const keep: DeadLetter[] = [];
      for (const letter of queue) (events === undefined || events.includes(letter.job.spec.id) ? out : keep).push(letter);
      this.queues.set(r, keep);
    }
    return out;
  }

  size(region?: string): number {
    let n = 0;
    for (const [r, q] of this.queues) if (region === undefined || r === region) n += q.length;
    return n;
  }
}
