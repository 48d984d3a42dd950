import type { AttributeValue } from '../../../app/item.js';
import type { TraceEvent } from '../../../trace/events.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { CLIENT, lambdaId, type Context } from '../sequence-participants.js';
import { ms, valueText } from '../trace-text.js';

/** A client's events to a region's application, and what the application made of each. */
export type EventTrace = Extract<TraceEvent, { kind: 'client-event' | 'event-outcome' }>;

export function eventStep(e: EventTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'client-event': {
      const retry = e.attempt > 1;
      // What happened, not the TMF688 type: the event id, the item and the change it asks for.
      const change = changeOf(e.envelope.event, e.add);
      return {
        t: e.t,
        arrow: {
          from: ctx.use(CLIENT),
          to: ctx.use(lambdaId(e.region)),
          arrow: '->>',
          verb: retry ? `retry ${e.attempt}` : 'event',
          item: e.itemId,
          text: `${retry ? `retry ${e.attempt} of ` : ''}${e.eventId}: ${e.itemId}${change ? ` ${change}` : ''}`,
          detail: `key ${e.idempotencyKey}`,
          value: change,
        },
        notes: [],
        routine: !retry,
        category: 'events',
        mergeKey: `client|${e.region}`,
      };
    }
    case 'event-outcome': {
      const lambda = ctx.use(lambdaId(e.region));
      // The outcome goes back to a client that waits for it; an asynchronous caller got its answer
      // when the event was accepted, so the outcome stays with the function that processed it.
      const client = ctx.clientWaits ? ctx.use(CLIENT) : lambda;
      const after = e.attempts > 1 ? `after ${e.attempts} attempts` : undefined;
      switch (e.outcome) {
        case 'applied': {
          // The same key applied again (typically in the other region, inside the lag window
          // before its idempotency record arrived: DESIGN §1): a second effect, worth a note.
          const earlier = ctx.appliedBefore(e.idempotencyKey, e.region, e.t);
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '-->>', verb: 'applied', item: e.itemId, ...(after ? { detail: after } : {}) },
            notes: earlier
              ? [{ over: [lambda], text: `second effect: key ${e.idempotencyKey} was already applied in ${earlier.region} at t=${ms(earlier.t)}` }]
              : [],
            routine: !earlier,
            category: 'outcomes',
            mergeKey: `outcome|${e.region}|applied`,
          };
        }
        case 'duplicate':
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '-->>', verb: e.handler ? 'no change' : 'duplicate', item: e.itemId },
            notes: [{ over: [lambda], text: e.handler ? `${e.handler} made no change for key ${e.idempotencyKey}` : `duplicate idempotency key ${e.idempotencyKey}: not applied again` }],
            routine: false,
            category: 'outcomes',
          };
        case 'superseded':
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '-->>', verb: 'superseded', item: e.itemId },
            notes: [{ over: [lambda], text: `superseded: a client write to ${e.itemId} that wins was already there${e.detail ? ` (${e.detail})` : ''}` }],
            routine: false,
            category: 'outcomes',
          };
        case 'failed':
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '--x', verb: 'failed', item: e.itemId },
            // `attempts` counts the version strategy's conditional writes (0: it failed before one, as an
            // idempotency record the SDK could not write), not the SDK's tries (sdk-retry notes show those)
            notes: [{ over: [lambda], text: `${e.attempts > 1 ? `gave up after ${e.attempts} conditional-write attempts` : 'failed'}${e.detail ? `: ${e.detail}` : ''}` }],
            routine: false,
            category: 'outcomes',
          };
        default:
          return assertNever(e.outcome);
      }
    }
    default:
      return assertNever(e);
  }
}

/** The change a client event asks for, from its TMF688 payload: `status=paid` (keys sorted, id left out). */
function changeOf(event: Record<string, Record<string, AttributeValue>>, add: Record<string, number> | undefined): string {
  const payload = Object.values(event)[0] ?? {};
  const sets = Object.keys(payload)
    .filter((k) => k !== 'id')
    .sort()
    .map((k) => `${k}=${valueText(payload[k] ?? null)}`);
  // increments as the counter strategy applies them: stock+=10, stock-=3
  const adds = Object.keys(add ?? {})
    .sort()
    .map((k) => (add![k]! < 0 ? `${k}-=${-add![k]!}` : `${k}+=${add![k]!}`));
  const text = [...sets, ...adds].join(' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}
