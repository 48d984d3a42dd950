import type { TraceEvent } from '../../trace/events.js';
import { assertNever } from './assert-never.js';
import type { Step } from './sequence-model.js';
import type { Context } from './sequence-participants.js';
import { conflictStep } from './steps/conflicts.js';
import { eventStep } from './steps/events.js';
import { faultStep } from './steps/faults.js';
import { lambdaStep } from './steps/lambda.js';
import { observationStep } from './steps/observations.js';
import { replicationStep } from './steps/replication.js';
import { workflowStep } from './steps/workflow.js';
import { writeStep } from './steps/writes.js';

/**
 * One step per trace event: the arrow and the notes that draw it, whether it is routine (may be
 * merged or summarised) and what it merges with. Each family of trace kinds has its handler in
 * steps/; this switch names every kind of the TraceEvent union, so a new kind fails to compile
 * here (and in regionsOf, faultSpans) until a family draws it, and a family's own switch fails
 * until it has a case for it.
 */
export function stepFor(e: TraceEvent, ctx: Context): Step {
  switch (e.kind) {
    case 'client-event':
    case 'event-outcome':
      return eventStep(e, ctx);
    case 'local-write':
    case 'condition-failed':
    case 'operation-failed':
      return writeStep(e, ctx);
    case 'replication-sent':
    case 'replication-applied':
    case 'replication-coalesced':
    case 'replication-held':
      return replicationStep(e, ctx);
    case 'replication-discarded':
    case 'conflict-repaired':
    case 'conflict-resolved':
      return conflictStep(e, ctx);
    case 'read':
    case 'checkpoint':
      return observationStep(e, ctx);
    case 'lambda-attempt-failed':
    case 'lambda-retry-scheduled':
    case 'dead-lettered':
    case 'event-lost':
    case 'stream-records-discarded':
    case 'redriven':
    case 'side-effect':
    case 'handler-problem':
    case 'sdk-retry':
    case 'cold-start':
    case 'redrive-empty':
      return lambdaStep(e, ctx);
    case 'execution-started':
    case 'execution-deduplicated':
    case 'execution-rejected':
    case 'state-entered':
    case 'execution-closed':
      return workflowStep(e, ctx);
    case 'fault-started':
    case 'fault-ended':
    case 'request-rejected':
    case 'clock-skew-changed':
      return faultStep(e, ctx);
    default:
      return assertNever(e);
  }
}
