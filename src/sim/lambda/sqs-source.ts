import type { DeadLetterQueues } from './dead-letter-queue.js';
import type { EventJob, LambdaContext } from './invocation.js';

/** The SQS queue and its Lambda event source mapping, as a scenario configures them (aws-semantics §6.4). */
export interface SqsSettings {
  /** Messages per invocation at most (the mapping's BatchSize; default 10). */
  batchSize: number;
  /** Ms a received message stays invisible (the queue's VisibilityTimeout; default 30 s). */
  visibilityTimeout: number;
  /** Receives before SQS moves a message to the dead-letter queue (the redrive policy's maxReceiveCount; default 3). */
  maxReceiveCount: number;
  /** Whether the queue has a redrive policy into a dead-letter queue. */
  deadLetterQueue: boolean;
  /** FunctionResponseTypes: [ReportBatchItemFailures]: only the messages the function names go back (default true). */
  reportBatchItemFailures: boolean;
  /**
   * Batches in flight at once per region (the mapping's ScalingConfig.MaximumConcurrency, 2..1000).
   * Unset: no limit, every batch the poller takes is invoked at once.
   */
  maximumConcurrency?: number;
}

export const SQS_DEFAULTS: Readonly<SqsSettings> = { batchSize: 10, visibilityTimeout: 30_000, maxReceiveCount: 3, deadLetterQueue: true, reportBatchItemFailures: true };

/** SQS keeps a message 4 days by default (MessageRetentionPeriod 345,600 s; aws-semantics §6.4). */
export const SQS_RETENTION_MS = 4 * 24 * 3_600_000;

/**
 * What one invocation of the function with a batch came to: it returned (with, when the mapping
 * reports batch item failures, the messages its `batchItemFailures` named), or it failed as a whole
 * (a throw or rejection, a timeout at `failedAt`, a function error).
 */
export type SqsBatchResult =
  | { ok: true; failed: EventJob[] }
  | { ok: false; error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number };

interface Message {
  job: EventJob;
  /** Place in the order SendMessage delivered the messages: visible messages are received in it. */
  seq: number;
  /** When SendMessage reached the queue: retention counts from here. */
  sentAt: number;
  receiveCount: number;
  /** When it was first received (virtual ms): SQS keeps it through every redelivery. */
  firstReceivedAt?: number;
}

/** A message as a batch invocation gets it: its job, how often it was received, when it reached the queue and was first received (virtual ms). */
export interface SqsReceived {
  job: EventJob;
  receiveCount: number;
  sentAt: number;
  firstReceivedAt: number;
}

interface Queue {
  /** Visible messages, in send order: what the next receive takes from the front. */
  ready: Message[];
  /** Messages not yet deleted, dead-lettered or expired: ready, in flight or invisible. */
  held: number;
  /** Batches invoked and not yet settled. */
  inFlight: number;
  /** Instants a poll is already scheduled at, so many arrivals at one instant poll once. */
  pollsAt: Set<number>;
}

/**
 * One standard SQS queue per region, read by a Lambda event source mapping (aws-semantics §6.4).
 * The poller receives up to `batchSize` visible messages per invocation; a received message is
 * invisible for `visibilityTimeout` ms. A batch that returns deletes its messages, except those it
 * names in `batchItemFailures` (with ReportBatchItemFailures); a batch that throws or times out
 * deletes none. What is not deleted becomes visible again `visibilityTimeout` after it was received
 * and is received again, its receive count one higher.
 *
 * With a dead-letter queue, a message that failed its `maxReceiveCount`th receive is moved there
 * when it would next be received (SQS moves it on the receive that exceeds the count). Without
 * one, SQS has no receive limit: the message is received again and again until its retention (4
 * days from SendMessage) ends, and is then lost (`event-lost`).
 *
 * Order: a standard queue's ordering is best effort, not FIFO; geosim receives visible messages in
 * the order they were sent, so a run is repeatable. Each batch is invoked on its own (batches in
 * one region run concurrently, up to `maximumConcurrency`), so two messages about one item can be
 * handled at the same time, as with a real mapping.
 *
 * The source counts the attempts: it increments `job.attempts` when it receives a message, and
 * `invokeBatch` must not.
 */
export class SqsSource {
  private readonly queues = new Map<string, Queue>();
  private sent = 0;

  constructor(
    /** Only the clock and agenda and the trace: how the batch runs is `invokeBatch`'s. */
    private readonly ctx: Pick<LambdaContext, 'world' | 'trace'>,
    private readonly dlq: DeadLetterQueues,
    private readonly settings: SqsSettings,
    private readonly invokeBatch: (region: string, jobs: SqsReceived[]) => Promise<SqsBatchResult>,
  ) {}

  /** The client's SendMessage reached the region's queue: the message is visible at once. */
  append(job: EventJob): void {
    const queue = this.queue(job.region);
    queue.ready.push({ job, seq: this.sent++, sentAt: this.ctx.world.now, receiveCount: 0 });
    queue.held++;
    this.pollAt(job.region, this.ctx.world.now);
  }

  /** Messages still in the region's queue (visible, in flight or invisible), for tests and reports. */
  size(region: string): number {
    return this.queues.get(region)?.held ?? 0;
  }

  private queue(region: string): Queue {
    let queue = this.queues.get(region);
    if (!queue) this.queues.set(region, (queue = { ready: [], held: 0, inFlight: 0, pollsAt: new Set() }));
    return queue;
  }

  private pollAt(region: string, at: number): void {
    const queue = this.queue(region);
    if (queue.pollsAt.has(at)) return;
    queue.pollsAt.add(at);
    const { world } = this.ctx;
    world.schedule(at, () => {
      queue.pollsAt.delete(at);
      // A region that is down runs no Lambda: its messages wait in the queue for it to return.
      return world.whenUp(region, () => this.poll(region));
    });
  }

  /** Receives what is visible, in batches, and invokes each batch as its own piece of work. */
  private poll(region: string): void {
    const { world, trace } = this.ctx;
    const queue = this.queue(region);
    const now = world.now;
    const limit = this.settings.maximumConcurrency ?? Infinity;
    while (queue.ready.length > 0 && queue.inFlight < limit) {
      const batch: Message[] = [];
      let taken = 0;
      while (taken < queue.ready.length && batch.length < this.settings.batchSize) {
        const m = queue.ready[taken++]!;
        if (now < m.sentAt + SQS_RETENTION_MS) {
          batch.push(m);
          continue;
        }
        // Its retention ended while it waited (a region down for days): it leaves the queue unseen.
        queue.held--;
        trace.emit({ kind: 'event-lost', t: now, region, eventId: m.job.spec.id, reason: 'its SQS retention (4 days) ended before it was processed' });
      }
      queue.ready.splice(0, taken);
      if (batch.length === 0) continue;
      queue.inFlight++;
      for (const m of batch) {
        m.receiveCount++;
        m.firstReceivedAt ??= now;
        m.job.attempts++;
      }
      // Each batch is its own task (its own fiber): batches of one region run concurrently.
      world.schedule(now, () => this.invoke(region, batch, now));
    }
  }

  private async invoke(region: string, batch: Message[], receivedAt: number): Promise<void> {
    const { world } = this.ctx;
    const result = await this.invokeBatch(
      region,
      batch.map((m) => ({ job: m.job, receiveCount: m.receiveCount, sentAt: m.sentAt, firstReceivedAt: m.firstReceivedAt! })),
    );
    if (!result.ok) return this.settle(region, batch, batch, receivedAt, result);
    const named = this.settings.reportBatchItemFailures ? result.failed : [];
    // An identifier that names no message of the batch makes Lambda treat the whole batch as failed
    // (§6.4; a team's handler's answer is read so already, as ok false, with what it named wrong).
    if (named.some((job) => !batch.some((m) => m.job === job))) {
      return this.settle(region, batch, batch, receivedAt, { error: 'function-error', message: 'batchItemFailures named a message that is not in the batch', failedAt: world.now });
    }
    const failed = batch.filter((m) => named.includes(m.job));
    const failure = failed.length ? { error: 'function-error' as const, message: `batchItemFailures named ${failed.length} of ${batch.length} message${batch.length === 1 ? '' : 's'}`, failedAt: world.now } : undefined;
    return this.settle(region, batch, failed, receivedAt, failure);
  }

  /**
   * The invocation is over (at `failure.failedAt` for a timeout): the batch's messages not in
   * `failed` are deleted; the failed ones go back, to the dead-letter queue, or to their end.
   */
  private settle(region: string, batch: Message[], failed: Message[], receivedAt: number, failure: { error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number } | undefined): void {
    const { world } = this.ctx;
    const queue = this.queue(region);
    const done = () => {
      queue.inFlight--;
      queue.held -= batch.length - failed.length;
      if (failure) this.fail(region, failed, receivedAt, failure);
      // A slot is free again: messages left waiting by the concurrency limit can go.
      if (queue.ready.length > 0) this.pollAt(region, world.now);
    };
    if (failure && failure.failedAt > world.now) world.schedule(failure.failedAt, done);
    else done();
  }

  private fail(region: string, failed: Message[], receivedAt: number, failure: { error: 'throw' | 'timeout' | 'function-error'; message: string }): void {
    const { world, trace } = this.ctx;
    const queue = this.queue(region);
    const attempt = failed.reduce((n, m) => Math.max(n, m.job.attempts), 0);
    trace.emit({ kind: 'lambda-attempt-failed', t: world.now, region, invocation: 'sqs', eventIds: failed.map((m) => m.job.spec.id), attempt, error: failure.error, message: failure.message });
    // Visible again a visibility timeout after the receive; never before the invocation ended
    // (Lambda refuses a function timeout longer than the queue's visibility timeout).
    const visibleAt = Math.max(receivedAt + this.settings.visibilityTimeout, world.now);
    const back: Message[] = [];
    for (const m of failed) {
      if (this.settings.deadLetterQueue && m.receiveCount >= this.settings.maxReceiveCount) {
        // SQS moves it on the receive that would exceed maxReceiveCount: when it is visible again.
        this.leaveAt(queue, visibleAt, () =>
          this.dlq.send(m.job, 'sqs', `maxReceiveCount ${this.settings.maxReceiveCount} reached: ${failure.error}: ${failure.message}`, true),
        );
      } else if (visibleAt >= m.sentAt + SQS_RETENTION_MS) {
        this.leaveAt(queue, m.sentAt + SQS_RETENTION_MS, () =>
          trace.emit({ kind: 'event-lost', t: world.now, region, eventId: m.job.spec.id, reason: `its SQS retention (4 days) ended after ${m.receiveCount} receives (${failure.error}: ${failure.message})` }),
        );
      } else back.push(m);
    }
    if (back.length === 0) return;
    trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'sqs', eventIds: back.map((m) => m.job.spec.id), attempt: back.reduce((n, m) => Math.max(n, m.job.attempts), 0) + 1, at: visibleAt });
    // Visible first, then a poll: a poll already due at that instant may run before this task.
    world.schedule(visibleAt, () => {
      for (const m of back) insertInSendOrder(queue.ready, m);
      this.pollAt(region, world.now);
    });
  }

  /** The message leaves the queue at `at`, when SQS would move or drop it; it is never received again. */
  private leaveAt(queue: Queue, at: number, then: () => void): void {
    this.ctx.world.schedule(Math.max(at, this.ctx.world.now), () => {
      queue.held--;
      then();
    });
  }
}

/** Puts a message made visible again among the visible ones, in the order they were sent. */
function insertInSendOrder(ready: Message[], m: Message): void {
  let lo = 0;
  let hi = ready.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ready[mid]!.seq < m.seq) lo = mid + 1;
    else hi = mid;
  }
  ready.splice(lo, 0, m);
}
