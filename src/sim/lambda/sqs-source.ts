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
  /** When SendMessage reached the queue: retention counts from here. */
  sentAt: number;
  receiveCount: number;
  /** When the message can be received (again); meaningless while in flight. */
  visibleAt: number;
  inFlight: boolean;
  /** Failed for the last time: waiting to be moved to the dead-letter queue or dropped, never received again. */
  leaving: boolean;
}

interface Queue {
  /** Every message not yet deleted, dead-lettered or expired, in the order SendMessage delivered them. */
  messages: Message[];
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

  constructor(
    /** Only the clock and agenda and the trace: how the batch runs is `invokeBatch`'s. */
    private readonly ctx: Pick<LambdaContext, 'world' | 'trace'>,
    private readonly dlq: DeadLetterQueues,
    private readonly settings: SqsSettings,
    private readonly invokeBatch: (region: string, jobs: { job: EventJob; receiveCount: number }[]) => Promise<SqsBatchResult>,
  ) {}

  /** The client's SendMessage reached the region's queue: the message is visible at once. */
  append(job: EventJob): void {
    const now = this.ctx.world.now;
    this.queue(job.region).messages.push({ job, sentAt: now, receiveCount: 0, visibleAt: now, inFlight: false, leaving: false });
    this.pollAt(job.region, now);
  }

  /** Messages still in the region's queue (visible or in flight), for tests and reports. */
  size(region: string): number {
    return this.queues.get(region)?.messages.length ?? 0;
  }

  private queue(region: string): Queue {
    let queue = this.queues.get(region);
    if (!queue) this.queues.set(region, (queue = { messages: [], inFlight: 0, pollsAt: new Set() }));
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
    // Messages whose retention ended while they waited (a region down for days) leave the queue unseen.
    queue.messages = queue.messages.filter((m) => {
      if (m.inFlight || m.leaving || now < m.sentAt + SQS_RETENTION_MS) return true;
      trace.emit({ kind: 'event-lost', t: now, region, eventId: m.job.spec.id, reason: 'its SQS retention (4 days) ended before it was processed' });
      return false;
    });
    let visible = queue.messages.filter((m) => receivable(m, now));
    while (visible.length > 0 && queue.inFlight < limit) {
      const batch = visible.slice(0, this.settings.batchSize);
      visible = visible.slice(batch.length);
      queue.inFlight++;
      for (const m of batch) {
        m.inFlight = true;
        m.receiveCount++;
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
      batch.map((m) => ({ job: m.job, receiveCount: m.receiveCount })),
    );
    if (result.ok) {
      const named = this.settings.reportBatchItemFailures ? result.failed : [];
      const failed = batch.filter((m) => named.includes(m.job));
      // An identifier that names no message of the batch makes Lambda treat the whole batch as failed (§6.4).
      if (named.some((job) => !batch.some((m) => m.job === job))) {
        return this.settle(region, batch, receivedAt, { error: 'function-error', message: 'batchItemFailures named a message that is not in the batch', failedAt: world.now });
      }
      return this.settle(region, failed, receivedAt, failed.length ? { error: 'function-error', message: `batchItemFailures named ${failed.length} of ${batch.length} message${batch.length === 1 ? '' : 's'}`, failedAt: world.now } : undefined, batch);
    }
    return this.settle(region, batch, receivedAt, result);
  }

  /**
   * The invocation is over (at `failure.failedAt` for a timeout): deletes the messages that
   * succeeded, and sends the failed ones back, to the dead-letter queue, or to their end.
   */
  private settle(
    region: string,
    failed: Message[],
    receivedAt: number,
    failure: { error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number } | undefined,
    batch: Message[] = failed,
  ): void {
    const { world } = this.ctx;
    const queue = this.queue(region);
    const done = () => {
      queue.inFlight--;
      const deleted = new Set(batch.filter((m) => !failed.includes(m)));
      if (deleted.size) queue.messages = queue.messages.filter((m) => !deleted.has(m));
      if (failure) this.fail(region, failed, receivedAt, failure);
      // A slot is free again: messages left waiting by the concurrency limit can go.
      if (queue.messages.some((m) => receivable(m, world.now))) this.pollAt(region, world.now);
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
      m.inFlight = false;
      m.visibleAt = visibleAt;
      if (this.settings.deadLetterQueue && m.receiveCount >= this.settings.maxReceiveCount) {
        // SQS moves it on the receive that would exceed maxReceiveCount: when it is visible again.
        this.removeAt(queue, m, visibleAt, () =>
          this.dlq.send(m.job, 'sqs', `maxReceiveCount ${this.settings.maxReceiveCount} reached: ${failure.error}: ${failure.message}`, true),
        );
      } else if (visibleAt >= m.sentAt + SQS_RETENTION_MS) {
        this.removeAt(queue, m, m.sentAt + SQS_RETENTION_MS, () =>
          trace.emit({ kind: 'event-lost', t: world.now, region, eventId: m.job.spec.id, reason: `its SQS retention (4 days) ended after ${m.receiveCount} receives (${failure.error}: ${failure.message})` }),
        );
      } else back.push(m);
    }
    if (back.length === 0) return;
    trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region, invocation: 'sqs', eventIds: back.map((m) => m.job.spec.id), attempt: back.reduce((n, m) => Math.max(n, m.job.attempts), 0) + 1, at: visibleAt });
    this.pollAt(region, visibleAt);
  }

  /** Takes the message out of the queue at `at`, when SQS would move or drop it; it is never received again. */
  private removeAt(queue: Queue, message: Message, at: number, then: () => void): void {
    message.leaving = true;
    this.ctx.world.schedule(Math.max(at, this.ctx.world.now), () => {
      queue.messages = queue.messages.filter((m) => m !== message);
      then();
    });
  }
}

function receivable(m: Message, now: number): boolean {
  return !m.inFlight && !m.leaving && m.visibleAt <= now;
}
