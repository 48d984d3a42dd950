import type { LambdaSpec } from '../../scenario/model.js';
import type { DeadLetterQueues } from './dead-letter-queue.js';
import { attempt, traceFailure, type AttemptResult, type EventJob, type LambdaContext } from './invocation.js';

interface StreamRecord {
  job: EventJob;
  arrivedAt: number;
}

interface Batch {
  records: StreamRecord[];
  /** Retries this batch (or the batch it was bisected from) has used. */
  retriesUsed: number;
}

interface Shard {
  pending: StreamRecord[];
  /** Batches to invoke before taking new records: a retried batch or the halves of a bisected one. */
  retrying: Batch[];
  busy: boolean;
}

/** The longest wait between stream retries: Lambda's backoff is undocumented, so geosim caps its doubling here. */
const MAX_RETRY_DELAY_MS = 60_000;

/**
 * A DynamoDB Streams event source mapping, one shard per region (aws-semantics §6.1). Records are
 * invoked in order in batches of up to `batchSize`; a failing batch blocks the shard and is retried
 * until `MaximumRetryAttempts` (-1: until the record is older than `MaximumRecordAgeInSeconds`,
 * 24 h by default). With `BisectBatchOnFunctionError` a failing batch is split in two first, which
 * does not use the retry quota. Records processed before the failure inside a batch are processed
 * again on the retry (at least once), so the idempotency check sees them as duplicates. When
 * retries run out, the on-failure destination gets the batch's metadata and the shard moves on.
 */
export class StreamSource {
  private readonly shards = new Map<string, Shard>();

  constructor(
    private readonly ctx: LambdaContext,
    private readonly dlq: DeadLetterQueues,
    private readonly spec: LambdaSpec,
  ) {}

  /** A record reaches the region's stream. */
  append(job: EventJob): void {
    const shard = this.shard(job.region);
    shard.pending.push({ job, arrivedAt: this.ctx.world.now });
    if (!shard.busy) this.poll(job.region, this.ctx.world.now);
  }

  private shard(region: string): Shard {
    let shard = this.shards.get(region);
    if (!shard) this.shards.set(region, (shard = { pending: [], retrying: [], busy: false }));
    return shard;
  }

  private poll(region: string, at: number): void {
    const shard = this.shard(region);
    shard.busy = true;
    this.ctx.world.schedule(at, () => this.ctx.world.whenUp(region, () => this.invokeNext(region)));
  }

  private async invokeNext(region: string): Promise<void> {
    const shard = this.shard(region);
    const batch = shard.retrying.shift() ?? (shard.pending.length ? { records: shard.pending.splice(0, this.spec.batchSize), retriesUsed: 0 } : undefined);
    if (!batch) {
      shard.busy = false;
      return;
    }
    const failure = await this.invoke(batch);
    const { world } = this.ctx;
    if (!failure) return this.poll(region, world.now);
    world.schedule(failure.failedAt, () => {
      const ids = batch.records.map((r) => r.job.spec.id);
      traceFailure(this.ctx, region, 'stream', ids, Math.max(...batch.records.map((r) => r.job.attempts)), failure);
      const delay = Math.min(this.spec.retryDelay * 2 ** batch.retriesUsed, MAX_RETRY_DELAY_MS);
      const at = world.now + delay;
      if (this.spec.bisectBatchOnFunctionError && batch.records.length > 1) {
        const half = Math.ceil(batch.records.length / 2);
        shard.retrying.unshift({ records: batch.records.slice(0, half), retriesUsed: batch.retriesUsed }, { records: batch.records.slice(half), retriesUsed: batch.retriesUsed });
        this.ctx.trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'stream', eventIds: ids.slice(0, half), attempt: batch.records[0]!.job.attempts + 1, at, bisected: true });
        return this.poll(region, at);
      }
      const oldest = Math.min(...batch.records.map((r) => r.arrivedAt));
      const retriesLeft = this.spec.maximumRetryAttempts < 0 || batch.retriesUsed < this.spec.maximumRetryAttempts;
      if (retriesLeft && at - oldest <= this.spec.maximumRecordAge) {
        shard.retrying.unshift({ records: batch.records, retriesUsed: batch.retriesUsed + 1 });
        this.ctx.trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'stream', eventIds: ids, attempt: batch.records[0]!.job.attempts + 1, at });
        return this.poll(region, at);
      }
      const why = retriesLeft ? 'record expired' : 'RetryAttemptsExhausted';
      for (const record of batch.records) this.dlq.send(record.job, 'stream', `${why}: ${failure.error}: ${failure.message}`, this.spec.deadLetterQueue, record.arrivedAt);
      this.poll(region, world.now);
    });
  }

  /**
   * Runs the batch's records in order; the first failure fails the whole invocation and the records
   * after it do not run (a timed-out record has written, then hangs until the function times out).
   */
  private async invoke(batch: Batch): Promise<Extract<AttemptResult, { ok: false }> | undefined> {
    for (const record of batch.records) {
      const outcome = await attempt(this.ctx, record.job, 'stream');
      if (!outcome.ok) return outcome;
    }
    return undefined;
  }
}
