import type { StreamChange, Substrate } from '../substrate.js';
import { STREAM_RETENTION_MS } from './dead-letter-queue.js';
import type { LambdaContext } from './invocation.js';
import { streamRetryDelay } from './stream-source.js';
import { BatchingWindow, type Gathering } from './batching-window.js';

/** The stream handler's event source mapping on the table's stream, as a scenario configures it (aws-semantics §6.1). */
export interface TableStreamSettings {
  /** Records per invocation at most (BatchSize; default 100). */
  batchSize: number;
  /** Retries of a failing batch (MaximumRetryAttempts; -1, the default: until the records expire). */
  maximumRetryAttempts: number;
  /** Split a failing batch in two before retrying it (BisectBatchOnFunctionError); does not use the retry quota. */
  bisectBatchOnFunctionError: boolean;
  /** Ms a record may wait for a successful invocation (MaximumRecordAgeInSeconds); negative: no limit but the stream's 24 h. */
  maximumRecordAge: number;
  /** Ms before the first retry of a batch, doubled per retry up to 1 minute (streamRetryDelay). */
  retryDelay: number;
  /**
   * Ms Lambda gathers records before invoking (MaximumBatchingWindowInSeconds): a batch goes when
   * it is full or its oldest record has waited this long. 0 (the default): at once.
   */
  maximumBatchingWindow?: number;
  /** Filter criteria on `eventName`: records of other kinds never reach the function. Default: all. */
  eventNames?: ('INSERT' | 'MODIFY' | 'REMOVE')[];
}

export const TABLE_STREAM_DEFAULTS: Readonly<TableStreamSettings> = { batchSize: 100, maximumRetryAttempts: -1, bisectBatchOnFunctionError: false, maximumRecordAge: -1, retryDelay: 1000, maximumBatchingWindow: 0 };

/** One record of a region's stream as the function gets it. */
export interface TableStreamRecord {
  change: StreamChange;
  /** Increasing within the region's stream: 21 digits, so string and numeric order agree. */
  sequenceNumber: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** When the change entered the stream (ApproximateCreationDateTime), in the run's time. */
  arrivedAt: number;
}

/**
 * What one invocation with a batch came to: it returned (with `failedFrom`, the smallest
 * SequenceNumber its `batchItemFailures` named, when the mapping reports batch item failures), or
 * it failed as a whole (a throw or rejection, a timeout at `failedAt`, a function error).
 */
export type StreamBatchResult =
  | { ok: true; failedFrom?: string }
  | { ok: false; error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number };

interface PendingRecord {
  record: TableStreamRecord;
  /** `itemId#n`: how the trace names the record (n: its place in the region's stream). */
  label: string;
  attempts: number;
}

interface Batch {
  records: PendingRecord[];
  /** The records' labels, made once per batch: every failure and retry of the batch refers to this one array. */
  labels: string[];
  /** Retries this batch (or the batch it was cut from) has used. */
  retriesUsed: number;
  /** How its last invocation (or that of the batch it was cut from) failed: `throw: bad`. */
  lastError?: string;
}

interface Shard extends Gathering {
  /** Records appended so far: the next one's place in the stream. */
  appended: number;
  pending: PendingRecord[];
  /** Batches to invoke before taking new records: a retried batch, the halves of a bisected one. */
  retrying: Batch[];
  busy: boolean;
}

/** The invocations the batch's records were in (the same for all of them: they were batched together). */
function attemptsOf(batch: Batch): number {
  return batch.records.reduce((n, r) => Math.max(n, r.attempts), 0);
}

type Failure = { error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number };

/** INSERT, MODIFY or REMOVE, from which images the change has (a NEW_AND_OLD_IMAGES stream). */
export function eventNameOf(change: StreamChange): 'INSERT' | 'MODIFY' | 'REMOVE' {
  if (change.oldImage === undefined) return 'INSERT';
  return change.newImage === undefined ? 'REMOVE' : 'MODIFY';
}

/** The sequence number of the nth record of a region's stream: 10^20 + n, 21 digits. */
export function sequenceNumberOf(n: number): string {
  return (10n ** 20n + BigInt(n)).toString();
}

function batchOf(records: PendingRecord[], retriesUsed: number, lastError?: string): Batch {
  return { records, labels: records.map((r) => r.label), retriesUsed, ...(lastError !== undefined ? { lastError } : {}) };
}

/**
 * The application's stream handler on the table's own stream (aws-semantics §6.1): one shard per
 * region, fed by every change the region's replica makes, local and replicated, in the order the
 * replica made them. Records that do not match the filter criteria (`eventNames`) are dropped
 * before batching, as Lambda does. Batches of up to `batchSize` records go to the function one at a
 * time; while a batch fails, the shard is blocked. A failing batch is bisected first (if
 * configured; no retry used), then retried with a doubling wait until `maximumRetryAttempts`, and
 * never past `maximumRecordAge` or the stream's 24 h retention; then its records are discarded
 * (`stream-records-discarded`) and the shard moves on.
 *
 * A returned `failedFrom` (batchItemFailures) checkpoints the records before it and retries from
 * it; with bisection on, that split is free, like a bisection, else it uses a retry. A `failedFrom`
 * that is the batch's first record is a failure of the whole batch; one that is not in the batch
 * too, as Lambda treats an invalid identifier (§6.1).
 */
export class TableStreamSource {
  private readonly shards = new Map<string, Shard>();
  private readonly window: BatchingWindow;

  constructor(
    /** Only the clock and agenda and the trace: how the batch runs is `invokeBatch`'s. */
    private readonly ctx: Pick<LambdaContext, 'world' | 'trace'>,
    private readonly settings: TableStreamSettings,
    private readonly invokeBatch: (region: string, records: TableStreamRecord[]) => Promise<StreamBatchResult>,
  ) {
    this.window = new BatchingWindow(settings.maximumBatchingWindow ?? 0, settings.batchSize, ctx.world);
  }

  /** Subscribes to every region's stream. */
  attach(substrate: Pick<Substrate, 'onStream' | 'regions'>): this {
    for (const region of substrate.regions) substrate.onStream(region, (change) => this.append(region, change));
    return this;
  }

  /** A change reaches the region's stream. */
  append(region: string, change: StreamChange): void {
    const shard = this.shard(region);
    const n = ++shard.appended;
    const eventName = eventNameOf(change);
    if (this.settings.eventNames && !this.settings.eventNames.includes(eventName)) return;
    const record: TableStreamRecord = { change, sequenceNumber: sequenceNumberOf(n), eventName, arrivedAt: change.at ?? this.ctx.world.now };
    shard.pending.push({ record, label: `${change.itemId}#${n}`, attempts: 0 });
    if (shard.busy) return;
    if (this.window.ms > 0) this.gather(region, shard);
    else this.poll(region, this.ctx.world.now);
  }

  /** With a batching window, on a shard with no invocation under way: see BatchingWindow. */
  private gather(region: string, shard: Shard): void {
    this.window.gather(shard, shard.pending.length, shard.pending[0]?.record.arrivedAt ?? 0, () => this.poll(region, this.ctx.world.now));
  }

  private shard(region: string): Shard {
    let shard = this.shards.get(region);
    if (!shard) this.shards.set(region, (shard = { appended: 0, pending: [], retrying: [], busy: false }));
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
      this.trim(region, shard);
      this.expireUnsent(region, shard);
    }
    const batch = shard.retrying.shift() ?? (shard.pending.length ? batchOf(shard.pending.splice(0, this.settings.batchSize), 0) : undefined);
    if (!batch) {
      shard.busy = false;
      return;
    }
    if (batch.lastError !== undefined && this.expired(batch)) {
      this.discard(region, batch, 'record-expired', attemptsOf(batch), batch.lastError);
      return this.moveOn(region, shard);
    }
    for (const r of batch.records) r.attempts++;
    const result = await this.invokeBatch(
      region,
      batch.records.map((r) => r.record),
    );
    const { world } = this.ctx;
    if (result.ok && result.failedFrom === undefined) return this.moveOn(region, shard);
    if (!result.ok) return world.schedule(result.failedAt, () => this.failed(region, batch, result));
    const from = batch.records.findIndex((r) => r.record.sequenceNumber === result.failedFrom);
    const failure: Failure = { error: 'function-error', message: `batchItemFailures from ${result.failedFrom}`, failedAt: world.now };
    if (from <= 0) return this.failed(region, batch, from < 0 ? { ...failure, message: `batchItemFailures named ${result.failedFrom}, not in the batch` } : failure);
    // The records before the first failure are checkpointed; the rest is retried.
    const rest = batchOf(batch.records.slice(from), batch.retriesUsed);
    this.failed(region, rest, failure, this.settings.bisectBatchOnFunctionError);
  }

  /** Records that waited behind a blocked shard past the stream's 24 h have left the stream unread. */
  private trim(region: string, shard: Shard): void {
    const now = this.ctx.world.now;
    let n = 0;
    while (n < shard.pending.length && now - shard.pending[n]!.record.arrivedAt > STREAM_RETENTION_MS) n++;
    if (n === 0) return;
    const gone = shard.pending.splice(0, n);
    this.discard(region, batchOf(gone, 0), 'record-expired', 0, 'trimmed from the stream (24 h retention) before Lambda read it');
  }

  /**
   * Records that waited unsent (behind a blocked shard, or a region that was down) past their
   * maximum age are not sent either: discarded as an expired batch is, after no attempts. The
   * stream is in order, so they are the oldest, at its head; those past the 24 h are gone (trim).
   */
  private expireUnsent(region: string, shard: Shard): void {
    let n = 0;
    while (n < shard.pending.length && this.tooOld(shard.pending[n]!.record.arrivedAt)) n++;
    if (n === 0) return;
    this.discard(region, batchOf(shard.pending.splice(0, n), 0), 'record-expired', 0, 'past its maximum age before Lambda sent it');
  }

  private discard(region: string, batch: Batch, reason: 'RetryAttemptsExhausted' | 'record-expired', attempts: number, error: string): void {
    this.ctx.trace.emit({
      kind: 'stream-records-discarded',
      t: this.ctx.world.now,
      region,
      records: batch.labels,
      firstSequenceNumber: batch.records[0]!.record.sequenceNumber,
      lastSequenceNumber: batch.records[batch.records.length - 1]!.record.sequenceNumber,
      reason,
      attempts,
      error,
    });
  }

  /**
   * The batch failed (now): bisect it, retry it, or discard it. `split`: the batch is already the
   * part after a reported failure, cut at it, which counts as the bisection.
   */
  private failed(region: string, batch: Batch, failure: Failure, split = false): void {
    const { world, trace } = this.ctx;
    const shard = this.shard(region);
    const attempts = attemptsOf(batch);
    trace.emit({ kind: 'lambda-attempt-failed', t: world.now, region, invocation: 'table-stream', eventIds: batch.labels, attempt: attempts, error: failure.error, message: failure.message });
    const at = world.now + streamRetryDelay(this.settings.retryDelay, batch.retriesUsed);
    const lastError = `${failure.error}: ${failure.message}`;
    if (split || (this.settings.bisectBatchOnFunctionError && batch.records.length > 1)) {
      const halves = split ? [batch] : [batch.records.slice(0, Math.ceil(batch.records.length / 2)), batch.records.slice(Math.ceil(batch.records.length / 2))].map((r) => batchOf(r, batch.retriesUsed));
      for (const half of halves) half.lastError = lastError;
      shard.retrying.unshift(...halves);
      trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'table-stream', eventIds: halves[0]!.labels, attempt: attempts + 1, at, bisected: true });
      return this.poll(region, at);
    }
    const retriesLeft = this.settings.maximumRetryAttempts < 0 || batch.retriesUsed < this.settings.maximumRetryAttempts;
    if (!retriesLeft) {
      this.discard(region, batch, 'RetryAttemptsExhausted', attempts, lastError);
      return this.moveOn(region, shard);
    }
    // Retried even if it will be too old by then: the retry finds it expired (see expired).
    batch.retriesUsed++;
    batch.lastError = lastError;
    shard.retrying.unshift(batch);
    trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'table-stream', eventIds: batch.labels, attempt: attempts + 1, at });
    this.poll(region, at);
  }

  /**
   * Whether a batch due for a retry now holds a record too old to send: past its maximum age ("the
   * maximum age of a record that Lambda sends to a function"), or gone from the stream after 24
   * hours (§6.1). Lambda checks when it would send the batch, so a record is never discarded as
   * expired before it is.
   */
  private expired(batch: Batch): boolean {
    const oldest = batch.records.reduce((t, r) => Math.min(t, r.record.arrivedAt), Infinity);
    return this.tooOld(oldest);
  }

  /** Whether a record that entered the stream at `arrivedAt` is now too old to send (see expired). */
  private tooOld(arrivedAt: number): boolean {
    const maxAge = this.settings.maximumRecordAge < 0 ? STREAM_RETENTION_MS : Math.min(this.settings.maximumRecordAge, STREAM_RETENTION_MS);
    return this.ctx.world.now - arrivedAt > maxAge;
  }

  /**
   * A batch is done (returned, or discarded): the next one. With a batching window, the records
   * that came meanwhile wait out their own window unless they fill a batch (a batch cut from a
   * failed one, already due, goes at once).
   */
  private moveOn(region: string, shard: Shard): void {
    const { world } = this.ctx;
    if (this.window.ms === 0 || shard.retrying.length > 0) return this.poll(region, world.now);
    shard.busy = false;
    this.gather(region, shard);
  }
}
