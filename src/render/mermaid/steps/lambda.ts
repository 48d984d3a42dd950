import { coldStartReason, type TraceEvent } from '../../../trace/events.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { CLIENT, dlqId, lambdaId, type Context } from '../sequence-participants.js';
import { redriveEmptyText } from '../../step-view.js';
import { ms } from '../trace-text.js';

/** Lambda's failure path and its effects: a failed attempt, its retry, the dead-letter queue, a lost event, discarded stream records, a redrive, a recorded call to SQS/SNS/EventBridge. */
export type LambdaTrace = Extract<TraceEvent, { kind: 'lambda-attempt-failed' | 'lambda-retry-scheduled' | 'dead-lettered' | 'event-lost' | 'stream-records-discarded' | 'redriven' | 'side-effect' | 'handler-problem' | 'sdk-retry' | 'cold-start' | 'redrive-empty' }>;

export function lambdaStep(e: LambdaTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'lambda-attempt-failed':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `${e.invocation} invocation of ${e.eventIds.join(', ')} attempt ${e.attempt} failed (${e.error}): ${e.message}` }],
        routine: false,
        category: 'failures',
      };
    case 'lambda-retry-scheduled':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `${e.bisected ? 'batch bisected; ' : ''}retry ${e.eventIds.join(', ')} as attempt ${e.attempt} at t=${ms(e.at)}` }],
        routine: true,
        category: 'failures',
      };
    case 'dead-lettered': {
      const dlq = ctx.use(dlqId(e.region));
      return {
        t: e.t,
        arrow: { from: ctx.use(lambdaId(e.region)), to: dlq, arrow: '-)', verb: 'dead-letter', item: e.itemId, detail: `${e.eventId}, key ${e.idempotencyKey}` },
        notes: [
          {
            over: [dlq],
            text: `after ${e.attempts} attempts (${e.source}): ${e.error}${e.metadataOnly ? '; batch metadata only, not the record' : ''}`,
          },
        ],
        routine: false,
        category: 'failures',
      };
    }
    case 'event-lost':
      return { t: e.t, notes: [{ over: [ctx.use(lambdaId(e.region))], text: `event ${e.eventId} lost: ${e.reason}` }], routine: false, category: 'failures' };
    case 'stream-records-discarded':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `stream records ${e.records.join(', ')} discarded after ${e.attempts} attempts (${e.reason}): ${e.error}` }],
        routine: false,
        category: 'failures',
      };
    case 'redriven':
      return {
        t: e.t,
        arrow: { from: ctx.use(dlqId(e.region)), to: ctx.use(lambdaId(e.region)), arrow: '-)', verb: 'redrive', item: e.eventId },
        notes: [],
        routine: true,
        category: 'failures',
        mergeKey: `redrive|${e.region}`,
      };
    case 'side-effect':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `${e.service} ${e.operation} for ${e.eventId} (recorded, not sent)` }],
        routine: true,
        category: 'writes',
      };
    case 'redrive-empty':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(e.region !== undefined ? dlqId(e.region) : CLIENT)], text: redriveEmptyText(e) }],
        routine: false,
        category: 'failures',
      };
    case 'cold-start':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `cold start${e.eventId !== undefined ? ` for ${e.eventId}` : ''}: a new execution environment (${coldStartReason(e)})` }],
        routine: true,
        category: 'cold starts',
      };
    case 'sdk-retry':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `SDK retries the write of ${e.itemId} (${e.error.name}): attempt ${e.attempt} after ${ms(e.delayMs)}` }],
        routine: false,
        category: 'failures',
      };
    case 'handler-problem':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(lambdaId(e.region))], text: `${e.problem === 'refused' ? 'refused' : 'error after its invocation ended'} (${e.eventId}): ${e.message}` }],
        routine: false,
        category: 'failures',
      };
    default:
      return assertNever(e);
  }
}
