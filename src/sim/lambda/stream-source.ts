import type { LambdaSpec } from '../../scenario/model.js';
import { STREAM_RETENTION_MS, type DeadLetterQueues } from './dead-letter-queue.js';
import { attempt, traceFailure, type AttemptResult, type EventJob, type LambdaContext } from './invocation.js';
import { BatchingWindow, type Gathering } from './batching-window.js';

interface PendingRecord {
  job: EventJob;
  arrivedAt: number;
}

interface Batch {
  records: PendingRecord[];
  /**
   * The records' event ids, made once per batch: every failure and retry of the batch refers to
   * this one array, so a batch retried thousands of times costs the trace a few fields per attempt,
   * not a copy of its ids.
   */
  eventIds: string[];
  /** Retries this batch (or the batch it was bisected from) has used. */
  retriesUsed: number;
  /** How its last invocation (or that of the batch it was bisected from) failed: `throw: bad`. */
  lastError?: string;
}

interface Shard extends Gathering {
  pending: PendingRecord[];
  /** Batches to invoke before taking new records: a retried batch or the halves of a bisected one. */
  retrying: Batch[];
  busy: boolean;
}

/** The longest wait between stream retries: Lambda's backoff is undocumented, so geosim caps its doubling here. */
export const MAX_RETRY_DELAY_MS = 60_000;

/**
 * The wait before a batch's next retry: `retryDelay` doubled per retry already used, capped at
 * MAX_RETRY_DELAY_MS. The exponent stops growing once the cap is reached, so the arithmetic never
 * overflows to Infinity (nor to NaN, 0 × Infinity) however many retries a batch has used.
 */
export function streamRetryDelay(retryDelay: number, retriesUsed: number): number {
  let delay = retryDelay;
  for (let i = 0; i < retriesUsed && delay < MAX_RETRY_DELAY_MS; i++) delay *= 2;
  return Math.min(delay, MAX_RETRY_DELAY_MS);
}

/**
 * The records after a failing one were in the failed invocation too, though the function never got
 * to them: Lambda counts it as an attempt of each record of the batch, and so do their dead-letter
 * records and the attempt numbers a `lambdaFailure` matches (a record bisected into a smaller batch
 * has been attempted once per batch it was part of).
 */
function countUnrun(records: PendingRecord[]): void {
  for (const record of records) record.job.attempts++;
}

function batchOf(records: PendingRecord[], retriesUsed: number, lastError?: string): Batch {
  return { records, eventIds: records.map((r) => r.job.spec.id), retriesUsed, ...(lastError !== undefined ? { lastError } : {}) };
}

/**
 * A DynamoDB Streams event source mapping, one shard per region (aws-semantics §6.1). Records are
 * invoked in order in batches of up to `batchSize`; a failing batch blocks the shard and is retried
 * until `MaximumRetryAttempts` (-1: until the record is older than `MaximumRecordAgeInSeconds`),
 * and never past the stream's 24 h retention: a record that has left the stream cannot be retried.
 * With `BisectBatchOnFunctionError` a failing batch is split in two first, which does not use the
 * retry quota. Records processed before the failure inside a batch are processed
 * again on the retry (at least once), so the idempotency check sees them as duplicates. When
 * retries run out, the on-failure destination gets the batch's metadata and the shard moves on.
 */
export class StreamSource {
  private readonly shards = new Map<string, Shard>();
  private readonly window: BatchingWindow;

  constructor(
    private readonly ctx: LambdaContext,
    private readonly dlq: DeadLetterQueues,
    private readonly spec: LambdaSpec,
  ) {
    this.window = new BatchingWindow(spec.maximumBatchingWindow ?? 0, spec.batchSize, ctx.world);
  }

  /** A record reaches the region's stream. */
  append(job: EventJob): void {
    const shard = this.shard(job.region);
    shard.pending.push({ job, arrivedAt: this.ctx.world.now });
    if (shard.busy) return;
    if (this.window.ms > 0) this.gather(job.region, shard);
    else this.poll(job.region, this.ctx.world.now);
  }

  /** With a batching window, on a shard with no invocation under way: see BatchingWindow. */
  private gather(region: string, shard: Shard): void {
    this.window.gather(shard, shard.pending.length, shard.pending[0]?.arrivedAt ?? 0, () => this.poll(region, this.ctx.world.now));
  }

  /** A batch is done (returned, or discarded): the next one, or, with a batching window, the next gathered (see TableStreamSource.moveOn). */
  private moveOn(region: string, shard: Shard): void {
    if (this.window.ms === 0 || shard.retrying.length > 0) return this.poll(region, this.ctx.world.now);
    shard.busy = false;
    this.gather(region, shard);
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
    if (shard.retrying.length === 0) {
      this.trim(shard);
      this.expireUnsent(shard);
    }
    const batch = shard.retrying.shift() ?? (shard.pending.length ? batchOf(shard.pending.splice(0, this.spec.batchSize), 0) : undefined);
    if (!batch) {
      shard.busy = false;
      return;
    }
    if (batch.lastError !== undefined && this.expired(batch)) return this.discard(region, shard, batch, `record expired: ${batch.lastError}`);
    const failure = await this.invoke(batch);
    const { world } = this.ctx;
    if (!failure) return this.moveOn(region, shard);
    world.schedule(failure.failedAt, () => {
      const ids = batch.eventIds;
      traceFailure(this.ctx, region, 'stream', ids, batch.records.reduce((n, r) => Math.max(n, r.job.attempts), 0), failure);
      const at = world.now + streamRetryDelay(this.spec.retryDelay, batch.retriesUsed);
      const lastError = `${failure.error}: ${failure.message}`;
      if (this.spec.bisectBatchOnFunctionError && batch.records.length > 1) {
        const half = Math.ceil(batch.records.length / 2);
        const first = batchOf(batch.records.slice(0, half), batch.retriesUsed, lastError);
        shard.retrying.unshift(first, batchOf(batch.records.slice(half), batch.retriesUsed, lastError));
        this.ctx.trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'stream', eventIds: first.eventIds, attempt: batch.records[0]!.job.attempts + 1, at, bisected: true });
        return this.poll(region, at);
      }
      const retriesLeft = this.spec.maximumRetryAttempts < 0 || batch.retriesUsed < this.spec.maximumRetryAttempts;
      if (!retriesLeft) return this.discard(region, shard, batch, `RetryAttemptsExhausted: ${lastError}`);
      // Retried even if it will be too old by then: the retry finds it expired (see expired).
      batch.retriesUsed++;
      batch.lastError = lastError;
      shard.retrying.unshift(batch);
      this.ctx.trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'stream', eventIds: ids, attempt: batch.records[0]!.job.attempts + 1, at });
      this.poll(region, at);
    });
  }

  /**
   * Whether a batch due for a retry now holds a record too old to send: past its maximum age ("the
   * maximum age of a record that Lambda sends to a function"), or gone from the stream after 24
   * hours (§6.1). Lambda checks when it would send the batch, so a record is never discarded as
   * expired before it is.
   */
  private expired(batch: Batch): boolean {
    const oldest = batch.records.reduce((t, r) => Math.min(t, r.arrivedAt), Infinity);
    return this.tooOld(oldest);
  }

  /** Whether a record that entered the stream at `arrivedAt` is now too old to send (see expired). */
  private tooOld(arrivedAt: number): boolean {
    return this.ctx.world.now - arrivedAt > Math.min(this.spec.maximumRecordAge, STREAM_RETENTION_MS);
  }

  /**
   * Records that waited unsent (behind a blocked shard, or a region that was down) past their
   * maximum age are not sent either: they go to the on-failure destination as an expired batch's
   * do, with the attempts they were in (none). Records enter the stream in order, so the expired
   * ones are the oldest, at its head; those past the 24 h are gone already (trim).
   */
  private expireUnsent(shard: Shard): void {
    let n = 0;
    while (n < shard.pending.length && this.tooOld(shard.pending[n]!.arrivedAt)) n++;
    for (const record of shard.pending.splice(0, n)) this.toDestination(record, 'record expired: past its maximum age before Lambda sent it');
  }

  /**
   * Records that waited behind a blocked shard past the stream's 24 h have left the stream unread:
   * Lambda never invoked them, so no on-failure destination hears of them; their events are lost.
   */
  private trim(shard: Shard): void {
    const now = this.ctx.world.now;
    let n = 0;
    while (n < shard.pending.length && now - shard.pending[n]!.arrivedAt > STREAM_RETENTION_MS) n++;
    for (const { job } of shard.pending.splice(0, n)) {
      this.ctx.trace.emit({ kind: 'event-lost', t: now, region: job.region, eventId: job.spec.id, reason: 'trimmed from the stream (24 h retention) before Lambda read it' });
    }
  }

  /** The batch's records go to the on-failure destination (metadata only) and the shard moves on. */
  private discard(region: string, shard: Shard, batch: Batch, error: string): void {
    for (const record of batch.records) this.toDestination(record, error);
    this.moveOn(region, shard);
  }

  /** The record's metadata goes to the on-failure destination (or, with none, its event is lost). */
  private toDestination(record: PendingRecord, error: string): void {
    this.dlq.send(record.job, 'stream', error, this.spec.deadLetterQueue, record.arrivedAt);
  }

  /**
   * Runs the batch's records in order; the first failure fails the whole invocation and the records
   * after it do not run (a timed-out record has written, then hangs until the function times out).
   */
  private async invoke(batch: Batch): Promise<Extract<AttemptResult, { ok: false }> | undefined> {
    // one invocation for the batch: its timeout counts from the batch's start
    const started = this.ctx.world.now;
    for (const [i, record] of batch.records.entries()) {
      const outcome = await attempt(this.ctx, record.job, 'stream', started);
      if (outcome.ok) continue;
      countUnrun(batch.records.slice(i + 1));
      return outcome;
    }
    return undefined;
  }
}
