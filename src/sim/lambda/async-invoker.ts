import type { DeadLetterQueues } from './dead-letter-queue.js';
import { attempt, traceFailure, type EventJob, type LambdaContext } from './invocation.js';

/**
 * Lambda asynchronous invocation (aws-semantics §6.2): on a function error Lambda "attempts to run
 * it two more times, with a one-minute wait between the first two attempts, and two minutes
 * between the second and third"; `MaximumRetryAttempts` (0..2) lowers that. Then the event goes to
 * the dead-letter queue with its error, or is dropped without one.
 */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;

export class AsyncInvoker {
  constructor(
    private readonly ctx: LambdaContext,
    private readonly dlq: DeadLetterQueues,
    private readonly maximumRetryAttempts: number,
    private readonly deadLetterQueue: boolean,
  ) {}

  /** The client's invocation is accepted; the first attempt runs at once (when the region is up). */
  invoke(job: EventJob): void | Promise<void> {
    return this.ctx.world.whenUp(job.region, () => this.run(job, 0));
  }

  private async run(job: EventJob, retriesUsed: number): Promise<void> {
    const { world } = this.ctx;
    const outcome = await attempt(this.ctx, job, 'async');
    if (outcome.ok) return;
    world.schedule(outcome.failedAt, () => {
      traceFailure(this.ctx, job.region, 'async', [job.spec.id], job.attempts, outcome);
      if (retriesUsed < this.maximumRetryAttempts) {
        const at = world.now + ASYNC_RETRY_DELAYS_MS[Math.min(retriesUsed, ASYNC_RETRY_DELAYS_MS.length - 1)]!;
        this.ctx.trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region: job.region, invocation: 'async', eventIds: [job.spec.id], attempt: job.attempts + 1, at });
        world.schedule(at, () => world.whenUp(job.region, () => this.run(job, retriesUsed + 1)));
        return;
      }
      this.dlq.send(job, 'async', `${outcome.error}: ${outcome.message}`, this.deadLetterQueue);
    });
  }
}
