import type { ProcessResult } from '../../app/event-processor.js';
import type { Tmf688Envelope } from '../../app/event.js';
import type { EventSpec } from '../../scenario/model.js';
import type { TraceSink } from '../../trace/recorder.js';
import type { FaultSchedule } from '../faults/fault-schedule.js';
import type { Timeline } from '../substrate.js';

/** One event on its way through Lambda: the payload is fixed when the client sends it, so every retry carries the same one. */
export interface EventJob {
  spec: EventSpec;
  /** Where the function runs: the region the client reached. */
  region: string;
  envelope: Tmf688Envelope;
  clientTime: number;
  /** Invocation attempts so far (retries and redrives included; for a stream record, every invocation of a batch it was in). */
  attempts: number;
}

/** How Lambda was invoked; `redrive`: geosim's redrive tool replaying a dead-lettered event (see EventEntry.redrive). */
export type Invocation = 'direct' | 'async' | 'stream' | 'step-functions' | 'sqs' | 'table-stream' | 'redrive';

export type AttemptResult =
  | { ok: true; result: ProcessResult }
  | { ok: false; error: 'throw' | 'timeout' | 'function-error'; message: string; failedAt: number };

/** What the Lambda paths need from the simulation around them. */
export interface LambdaContext {
  world: Timeline;
  trace: TraceSink;
  faults: FaultSchedule;
  /** Function timeout: when a timed-out attempt is reported failed. */
  timeout: number;
  /** Runs the application's processor for the job in its region: its answer, which `processed` then traces. */
  process(job: EventJob): Promise<ProcessResult>;
  /**
   * Told of the answer of `process` as soon as it is there (every attempt ends here): the simulation
   * traces the outcome; no async function of its own around every event's processor.
   */
  processed?(job: EventJob, result: ProcessResult): void;
}

/**
 * One invocation of the processor function. An injected `throw` fails before the handler writes
 * anything; an injected `timeout` lets the handler write and then reports the invocation failed
 * `timeout` ms after it started (the classic at-least-once duplicate: the retry finds the work done). A
 * processor that gives up (`failed`) throws, so Lambda retries it — except when the caller is
 * synchronous (`direct`), who simply gets the result. A redrive's event that fails so goes back to
 * the dead-letter queue, as one that throws does.
 *
 * `failed`, if given, is told of a failed attempt as it ends: a caller with nothing else to do
 * with the outcome (a direct invocation, on every event) needs no async function of its own.
 */
export async function attempt(
  ctx: LambdaContext,
  job: EventJob,
  invocation: Invocation,
  invocationStarted: number = ctx.world.now,
  failed?: (job: EventJob, failure: AttemptFailure) => void,
): Promise<AttemptResult> {
  job.attempts++;
  const injected = ctx.faults.lambdaFailure(job.region, job.spec.id, job.attempts);
  let failure: AttemptFailure | undefined;
  if (injected?.error === 'throw') {
    failure = { ok: false, error: 'throw', message: injected.message, failedAt: ctx.world.now };
    // (told a turn later, as a caller awaiting the attempt was)
    if (failed !== undefined) await undefined;
  } else {
    const result = await ctx.process(job);
    ctx.processed?.(job, result);
    failure = failureOf(ctx, result, injected, invocation, invocationStarted);
    if (failure === undefined) return { ok: true, result };
  }
  failed?.(job, failure);
  return failure;
}

type AttemptFailure = Extract<AttemptResult, { ok: false }>;

/** How an attempt whose processor answered `result` failed, if it did. */
function failureOf(ctx: LambdaContext, result: ProcessResult, injected: ReturnType<FaultSchedule['lambdaFailure']>, invocation: Invocation, invocationStarted: number): AttemptFailure | undefined {
  if (result.failure) return { ok: false, error: result.failure.error, message: result.failure.message, failedAt: ctx.world.now };
  // the function's timeout counts from the invocation's start, not from the end of its work
  // (work that took longer than the timeout still reports when it is done: its writes are made)
  if (injected?.error === 'timeout') return { ok: false, error: 'timeout', message: injected.message, failedAt: timedOutAt(ctx, invocationStarted) };
  if (result.outcome === 'failed' && invocation !== 'direct') {
    return { ok: false, error: 'function-error', message: result.detail ?? 'the processor gave up', failedAt: ctx.world.now };
  }
  return undefined;
}

/** Traces a failed attempt (of one event, or of a stream batch). */
export function traceFailure(ctx: LambdaContext, region: string, invocation: Invocation, eventIds: string[], attemptNo: number, failure: Extract<AttemptResult, { ok: false }>): void {
  ctx.trace.emit({ kind: 'lambda-attempt-failed', t: ctx.world.now, region, invocation, eventIds, attempt: attemptNo, error: failure.error, message: failure.message });
}

/**
 * When an invocation that started at `started` times out: its timeout after its start (a batch's
 * invocation, not its record's), or now when its work ran past that (its writes are made).
 */
export function timedOutAt(ctx: Pick<LambdaContext, 'world' | 'timeout'>, started: number): number {
  return Math.max(ctx.world.now, started + ctx.timeout);
}
