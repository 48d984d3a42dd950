import type { StepFunctionsSpec } from '../../scenario/model.js';
import type { DeadLetterQueues } from '../lambda/dead-letter-queue.js';
import { attempt, traceFailure, type EventJob, type LambdaContext } from '../lambda/invocation.js';
import { canonicalInput, ExecutionRegistry } from './executions.js';

/**
 * The event workflow of infra/statemachine.asl.json, started by the client with StartExecution
 * (name = the event's idempotency key, input = the event). States, each taking `stateDuration`:
 * Validate → ProcessEvent (the processor's conditional write; Retry on States.TaskFailed with
 * interval, max attempts and backoff rate) → on success the execution SUCCEEDS; when retries run
 * out the Catch goes to SendToDeadLetterQueue (the event and its error) → ProcessingFailed.
 * An execution is "running" from its start until it closes: that is the dedupe window (§5).
 */
export class Workflow {
  readonly executions: ExecutionRegistry;

  constructor(
    private readonly ctx: LambdaContext,
    private readonly dlq: DeadLetterQueues,
    private readonly spec: StepFunctionsSpec,
  ) {
    this.executions = new ExecutionRegistry(spec.type);
  }

  /** StartExecution in the job's region. */
  start(job: EventJob): void {
    const { world, trace } = this.ctx;
    const { spec } = job;
    // The client's request body: what a retry of the same event sends again, byte for byte.
    const input = canonicalInput({ eventId: spec.id, idempotencyKey: spec.key, itemId: spec.item, data: spec.data, eventType: spec.type });
    const started = this.executions.start(job.region, spec.key, input, world.now);
    const base = { t: world.now, region: job.region, name: spec.key, executionId: started.executionId, eventId: spec.id };
    if (started.kind === 'deduplicated') return trace.emit({ kind: 'execution-deduplicated', ...base });
    if (started.kind === 'rejected') return trace.emit({ kind: 'execution-rejected', ...base, error: started.error, reason: started.reason });
    trace.emit({ kind: 'execution-started', ...base, workflow: this.spec.type });
    this.enter(job, started.executionId, 'Validate');
    const problem = validate(job);
    this.after(job, () => {
      if (problem) return this.catchToDeadLetterQueue(job, started.executionId, `InvalidEvent: ${problem}`);
      this.enter(job, started.executionId, 'ProcessEvent');
      return this.processEvent(job, started.executionId, 0);
    });
  }

  private async processEvent(job: EventJob, executionId: string, retriesUsed: number): Promise<void> {
    const { world, trace } = this.ctx;
    const outcome = await attempt(this.ctx, job, 'step-functions');
    if (outcome.ok) return this.after(job, () => this.close(job, executionId, 'SUCCEEDED'));
    world.schedule(outcome.failedAt, () => {
      traceFailure(this.ctx, job.region, 'step-functions', [job.spec.id], job.attempts, outcome);
      const { interval, maxAttempts, backoffRate } = this.spec.retry;
      if (retriesUsed < maxAttempts) {
        const at = world.now + retrierDelay(interval, backoffRate, retriesUsed);
        trace.emit({ kind: 'lambda-retry-scheduled', t: world.now, region: job.region, invocation: 'step-functions', eventIds: [job.spec.id], attempt: job.attempts + 1, at });
        world.schedule(at, () => world.whenUp(job.region, () => this.processEvent(job, executionId, retriesUsed + 1)));
        return;
      }
      this.catchToDeadLetterQueue(job, executionId, `States.TaskFailed: ${outcome.error}: ${outcome.message}`);
    });
  }

  private catchToDeadLetterQueue(job: EventJob, executionId: string, error: string): void {
    this.enter(job, executionId, 'SendToDeadLetterQueue');
    this.dlq.send(job, 'step-functions', error, true);
    this.enter(job, executionId, 'ProcessingFailed');
    this.close(job, executionId, 'FAILED');
  }

  private enter(job: EventJob, executionId: string, state: string): void {
    this.ctx.trace.emit({ kind: 'state-entered', t: this.ctx.world.now, region: job.region, executionId, eventId: job.spec.id, state });
  }

  private close(job: EventJob, executionId: string, status: 'SUCCEEDED' | 'FAILED'): void {
    this.executions.close(executionId, this.ctx.world.now);
    this.ctx.trace.emit({ kind: 'execution-closed', t: this.ctx.world.now, region: job.region, executionId, eventId: job.spec.id, status });
  }

  /** The next state runs when this one's time is up, and only while the region is up. */
  private after(job: EventJob, next: () => void | Promise<void>): void {
    const { world } = this.ctx;
    world.schedule(world.now + this.spec.stateDuration, () => world.whenUp(job.region, next));
  }
}

/** The largest MaxDelaySeconds a Retrier accepts (Amazon States Language): no retry waits longer. */
export const MAX_RETRIER_DELAY_MS = 31_622_400_000;

/** IntervalSeconds × BackoffRate^retries, capped so it never overflows to Infinity. */
export function retrierDelay(interval: number, backoffRate: number, retriesUsed: number): number {
  return Math.round(Math.min(interval * backoffRate ** retriesUsed, MAX_RETRIER_DELAY_MS));
}

/** The Validate state: what the processor needs to be present. */
function validate(job: EventJob): string | undefined {
  if (Object.keys(job.spec.data).length === 0) return 'the event carries no data';
  return undefined;
}
