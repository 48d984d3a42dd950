import type { Scenario } from '../../scenario/model.js';
import type { TraceSink } from '../../trace/recorder.js';
import { Workflow } from '../step-functions/workflow.js';
import type { FaultSchedule } from '../faults/fault-schedule.js';
import type { Timeline } from '../substrate.js';
import { AsyncInvoker } from './async-invoker.js';
import { DeadLetterQueues, STREAM_RETENTION_MS } from './dead-letter-queue.js';
import { attempt, timedOutAt, traceFailure, type AttemptResult, type EventJob, type LambdaContext } from './invocation.js';
import { StreamSource } from './stream-source.js';
import { SqsSource, type SqsBatchResult } from './sqs-source.js';
import type { SqsReceived } from './sqs-source.js';

/** Runs one batch of SQS messages (see SqsSource); `ctx` gives the run's clock, trace, faults and timeout. */
export type SqsBatchInvoker = (region: string, messages: SqsReceived[], ctx: LambdaContext) => Promise<SqsBatchResult>;

/**
 * How a client's event reaches the processor, as the scenario sets it up: directly (the caller
 * sees the result, no retries), as a Lambda asynchronous invocation, through a DynamoDB Streams
 * event source mapping, or through the Step Functions workflow. Owns the dead-letter queues all
 * of these end in, and geosim's redrive out of them.
 */
export class EventEntry {
  readonly dlq: DeadLetterQueues;
  private readonly ctx: LambdaContext;
  private readonly asyncInvoker?: AsyncInvoker;
  private readonly stream?: StreamSource;
  private readonly workflow?: Workflow;
  private readonly sqs?: SqsSource;

  constructor(
    scenario: Scenario,
    world: Timeline,
    trace: TraceSink,
    faults: FaultSchedule,
    /** How an attempt runs the processor (LambdaContext's `process` and `processed`). */
    processor: Pick<LambdaContext, 'process' | 'processed'>,
    /** How a batch from the SQS queue runs (a team's handler gets the batch at once); default: the built-in processor, message by message. */
    invokeSqsBatch?: SqsBatchInvoker,
  ) {
    const lambda = scenario.lambda;
    this.ctx = { world, trace, faults, timeout: lambda?.timeout ?? 3000, process: processor.process };
    if (processor.processed !== undefined) this.ctx.processed = processor.processed;
    this.dlq = new DeadLetterQueues(world, trace);
    if (scenario.stepFunctions) this.workflow = new Workflow(this.ctx, this.dlq, scenario.stepFunctions);
    else if (lambda?.invocation === 'async') this.asyncInvoker = new AsyncInvoker(this.ctx, this.dlq, lambda.maximumRetryAttempts, lambda.deadLetterQueue);
    else if (lambda?.invocation === 'stream') this.stream = new StreamSource(this.ctx, this.dlq, lambda);
    else if (lambda?.invocation === 'sqs') {
      const settings = { batchSize: lambda.batchSize, visibilityTimeout: lambda.visibilityTimeout, maxReceiveCount: lambda.maxReceiveCount, deadLetterQueue: lambda.deadLetterQueue, reportBatchItemFailures: lambda.reportBatchItemFailures };
      this.sqs = new SqsSource(this.ctx, this.dlq, settings, invokeSqsBatch ? (region, messages) => invokeSqsBatch(region, messages, this.ctx) : (_region, messages) => this.builtInSqsBatch(messages, settings.reportBatchItemFailures));
    }
  }

  /**
   * The built-in processor as an SQS consumer: the batch's messages in order, each one's failure
   * reported as a batch item failure (or failing the batch without ReportBatchItemFailures). An
   * injected throw or timeout fails the whole invocation, as a crash of the function does.
   */
  private async builtInSqsBatch(messages: { job: EventJob; receiveCount: number }[], reportItems: boolean): Promise<SqsBatchResult> {
    const { world, faults } = this.ctx;
    const failed: EventJob[] = [];
    const started = world.now;
    for (const { job } of messages) {
      const injected = faults.lambdaFailure(job.region, job.spec.id, job.attempts);
      if (injected?.error === 'throw') return { ok: false, error: 'throw', message: injected.message, failedAt: world.now };
      const result = await this.ctx.process(job);
      this.ctx.processed?.(job, result);
      if (injected?.error === 'timeout') return { ok: false, error: 'timeout', message: injected.message, failedAt: timedOutAt(this.ctx, started) };
      if (result.failure || result.outcome === 'failed') {
        if (!reportItems) return { ok: false, error: result.failure?.error ?? 'function-error', message: result.failure?.message ?? result.detail ?? 'the processor gave up', failedAt: world.now };
        failed.push(job);
      }
    }
    return { ok: true, failed };
  }

  /** The client's request reached a region that is up. */
  submit(job: EventJob): void | Promise<void> {
    if (this.workflow) return this.workflow.start(job);
    if (this.asyncInvoker) return this.asyncInvoker.invoke(job);
    if (this.stream) return this.stream.append(job);
    if (this.sqs) return this.sqs.append(job);
    return this.direct(job);
  }

  /**
   * A synchronous call: the caller gets the error; Lambda does not retry (aws-semantics §6). The
   * attempt itself, told of a failure (`directFailed`): no async function of its own per event.
   */
  private direct(job: EventJob): Promise<void> {
    // (it resolves with the outcome, which the caller, awaiting the step, does not read)
    return attempt(this.ctx, job, 'direct', this.ctx.world.now, this.directFailed) as Promise<unknown> as Promise<void>;
  }

  private readonly directFailed = (job: EventJob, failure: Extract<AttemptResult, { ok: false }>): void => {
    this.ctx.world.schedule(failure.failedAt, () => traceFailure(this.ctx, job.region, 'direct', [job.spec.id], job.attempts, failure));
  };

  /**
   * geosim's redrive: SQS StartMessageMoveTask cannot move messages out of a queue fed by Lambda or
   * Step Functions (aws-semantics §6.3), so the application's own tool replays each dead-lettered
   * event through the processor in the region whose queue held it, oldest first. An event that
   * fails again goes back to the queue.
   */
  async redrive(region: string | undefined, events: readonly string[] | undefined): Promise<void> {
    const { world, trace } = this.ctx;
    const letters = this.dlq.take(region, events);
    // a step that takes nothing (or not every event it names) says so: a silent no-op read as a redrive that worked
    const taken = new Set(letters.map((l) => l.job.spec.id));
    const missing = events === undefined ? [] : events.filter((id) => !taken.has(id));
    if (letters.length === 0 || missing.length > 0) trace.emit({ kind: 'redrive-empty', t: world.now, ...(region !== undefined ? { region } : {}), eventIds: missing });
    for (const letter of letters) {
      const { job } = letter;
      await world.whenUp(job.region, async () => {
        // A stream's on-failure record is metadata only: the redrive re-reads the record from the
        // stream, which is possible only within its 24 hours of retention (§6.1, §6.3).
        if (letter.streamArrivedAt !== undefined && world.now - letter.streamArrivedAt > STREAM_RETENTION_MS) {
          trace.emit({ kind: 'event-lost', t: world.now, region: job.region, eventId: job.spec.id, reason: 'the stream record expired (24 h retention) and the on-failure destination held only its metadata' });
          return;
        }
        trace.emit({ kind: 'redriven', t: world.now, region: job.region, eventId: job.spec.id });
        // An SQS dead-letter queue of an SQS queue can be redriven into its source queue
        // (StartMessageMoveTask, aws-semantics §6.4): the message is received afresh from there.
        if (letter.source === 'sqs' && this.sqs) return this.sqs.append(job);
        const outcome = await attempt(this.ctx, job, 'redrive');
        if (outcome.ok) return;
        traceFailure(this.ctx, job.region, 'redrive', [job.spec.id], job.attempts, outcome);
        this.dlq.send(job, letter.source, `${outcome.error}: ${outcome.message}`, true, letter.streamArrivedAt);
      });
    }
  }
}
