import type { TraceEvent } from '../../../trace/events.js';
import { assertNever } from '../assert-never.js';
import { SPAN_ALL, type Step } from '../sequence-model.js';
import { tableId, type Context } from '../sequence-participants.js';
import { readTarget } from '../../step-view.js';
import { ms, summarise } from '../trace-text.js';

/** What the scenario looks at: a read of a replica, a check of its expectations. */
export type ObservationTrace = Extract<TraceEvent, { kind: 'read' | 'checkpoint' }>;

export function observationStep(e: ObservationTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'read':
      return {
        t: e.t,
        arrow: {
          from: ctx.use(tableId(e.region)),
          to: ctx.use(ctx.requesterOf(e.cause, e.region, e.caller)),
          arrow: '-->>',
          verb: `${e.consistency} ${e.request?.operation === 'Query' ? 'query' : e.request?.operation === 'Scan' ? 'scan' : 'read'}`,
          item: readTarget(e),
          detail: [
            e.error ? e.error.name : e.count !== undefined ? `count ${e.count}` : e.items !== undefined ? `${e.items.length} item${e.items.length === 1 ? '' : 's'}` : e.item ? summarise(e.item) || 'found' : 'not found',
            // an MRSC strong read's answer came a round trip after it was asked
            e.askedAt !== undefined ? `asked at ${ms(e.askedAt)}` : '',
          ]
            .filter((part) => part !== '')
            .join('; '),
        },
        notes: [],
        // Routine, but never merged: what a read returned is the point of the read.
        routine: true,
        category: 'reads',
      };
    case 'checkpoint':
      // Spans every participant; resolved when drawn, since later steps may add participants.
      return { t: e.t, notes: [{ over: [SPAN_ALL], text: `check ${e.name}: ${e.passed ? 'passed' : 'FAILED'}` }], routine: false, category: 'checks' };
    default:
      return assertNever(e);
  }
}
