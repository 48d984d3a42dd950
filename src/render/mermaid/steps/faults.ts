import type { TraceEvent } from '../../../trace/events.js';
import { assertNever } from '../assert-never.js';
import { SPAN_ALL, type Step } from '../sequence-model.js';
import { CLIENT, REPLICATION, lambdaId, tableId, type Context } from '../sequence-participants.js';
import { ms } from '../trace-text.js';

/** A fault's window opening or closing, and what a fault does to the client: a refused request, a clock jump. */
export type FaultTrace = Extract<TraceEvent, { kind: 'fault-started' | 'fault-ended' | 'request-rejected' | 'clock-skew-changed' }>;

export function faultStep(e: FaultTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'fault-started':
    case 'fault-ended': {
      const over = e.regions.length > 0 ? e.regions.map((r) => ctx.use(tableId(r))) : [SPAN_ALL];
      // An outage bars its region's lifelines, a replication pause the replication's: the bar
      // shows how long it holds without tinting the other regions.
      const phase = e.kind === 'fault-started' ? ('start' as const) : ('end' as const);
      let fault: Step['fault'];
      if (e.fault === 'outage' && e.regions.length > 0) fault = { phase, index: e.index, outage: e.regions };
      if (e.fault === 'pause-replication') {
        ctx.use(REPLICATION);
        fault = { phase, index: e.index, pause: true, ...(e.kind === 'fault-started' && e.effectiveAt !== undefined ? { effectiveAt: e.effectiveAt } : {}) };
      }
      const bar = fault ? ' (red bar)' : '';
      const text =
        e.kind === 'fault-started'
          ? `fault: ${e.description}${e.effectiveAt !== undefined && e.effectiveAt !== e.t ? `, effective t=${ms(e.effectiveAt)}` : ''}${e.until !== undefined ? `, until t=${ms(e.until)}` : ''}${bar}`
          : `fault over: ${e.description}${e.released ? `; ${e.released} held writes sent on` : ''}`;
      return {
        t: e.t,
        notes: [{ over, text }],
        routine: false,
        category: 'faults',
        ...(fault ? { fault } : {}),
      };
    }
    case 'request-rejected': {
      const to = ctx.isClientEvent(e.eventId) ? lambdaId(e.region) : tableId(e.region);
      const failover = e.failoverTo ? `, client fails over to ${e.failoverTo}${e.failoverAt !== undefined ? ` at t=${ms(e.failoverAt)}` : ''}` : '';
      // a Lambda's request (`from <region>`): the refusal goes back to that Lambda, not to the client
      const lambda = e.request?.startsWith('from ') ? e.request.slice(5) : undefined;
      return {
        t: e.t,
        arrow: { from: ctx.use(to), to: ctx.use(lambda !== undefined ? lambdaId(lambda) : CLIENT), arrow: '--x', verb: 'rejected', item: e.request !== undefined ? `${e.eventId} ${e.request}` : e.eventId, detail: `${e.region} unavailable${failover}` },
        notes: [],
        routine: false,
        category: 'failures',
      };
    }
    case 'clock-skew-changed':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(CLIENT)], text: `client clock in ${e.region}: skew ${ms(e.from)} → ${ms(e.to)}` }],
        routine: false,
        category: 'faults',
      };
    default:
      return assertNever(e);
  }
}
