import type { AttributeValue } from '../../app/item.js';
import type { TraceEvent } from '../../trace/events.js';
import { assertNever } from './assert-never.js';
import { CLIENT, REPLICATION, dlqId, lambdaId, stepFunctionsId, tableId, type Context } from './sequence-participants.js';
import { ms, stamp, stateOf, summarise, valueText } from './trace-text.js';

// One step per trace event: the arrow and the notes that draw it, whether it is routine (may be
// merged or summarised) and what it merges with. Every kind of the TraceEvent union is handled;
// a new kind fails to compile here (and in regionsOf, faultSpans) until it is drawn.

export type ArrowKind = '->>' | '-->>' | '-)' | '--)' | '-x' | '--x';

export interface Arrow {
  from: string;
  to: string;
  arrow: ArrowKind;
  verb: string;
  item: string;
  /** Appended after `→` (a destination region). */
  target?: string;
  /** Shown in parentheses when the arrow is not merged. */
  detail?: string;
  /** The item's state after the step; merged arrows of a few items list it per item. */
  value?: string;
  /** Replaces `<verb> <item>` in the label, and `<item> (<value>)` in a merged one. */
  text?: string;
}

export interface Note {
  over: string[];
  text: string;
}

export interface Step {
  t: number;
  arrow?: Arrow;
  notes: Note[];
  /** Routine steps carry no note and may be merged or summarised. */
  routine: boolean;
  /** What a summary counts this step as ("writes", "replication", ...). */
  category: string;
  /** Steps with the same key may merge when adjacent (routine ones only). */
  mergeKey?: string;
  /** The item the trace event is about, if any: a step never merges back past another step on it. */
  itemId?: string;
  /**
   * A note-only step that merges like an arrow (held writes): adjacent ones with the same key draw
   * as one note `<time> <head> ×N<mid>: <items><tail>` over `over`.
   */
  group?: { over: string[]; head: string; mid: string; item: string; tail: string };
  /**
   * An outage or a replication pause opens or closes here: meanwhile the participants it stops
   * (the region's, or the replication) carry a bar (a Mermaid activation), resolved when drawn.
   */
  fault?: { phase: 'start' | 'end'; index: number; outage: string[] } | { phase: 'start' | 'end'; index: number; pause: true; effectiveAt?: number };
}

/** A drawn statement: one step, or several merged / summarised ones. */
export interface Statement {
  steps: Step[];
  /** How many trace steps it stands for. */
  count: number;
  summary?: Note;
}

export function stepFor(e: TraceEvent, ctx: Context): Step {
  switch (e.kind) {
    case 'client-event': {
      const retry = e.attempt > 1;
      // What happened, not the TMF688 type: the event id, the item and the change it asks for.
      const change = changeOf(e.envelope.event);
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
      const client = ctx.use(CLIENT);
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
            arrow: { from: lambda, to: client, arrow: '-->>', verb: 'duplicate', item: e.itemId },
            notes: [{ over: [lambda], text: `duplicate idempotency key ${e.idempotencyKey}: not applied again` }],
            routine: false,
            category: 'outcomes',
          };
        case 'superseded':
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '-->>', verb: 'superseded', item: e.itemId },
            notes: [{ over: [lambda], text: `superseded: a newer client write to ${e.itemId} was already there${e.detail ? ` (${e.detail})` : ''}` }],
            routine: false,
            category: 'outcomes',
          };
        case 'failed':
          return {
            t: e.t,
            arrow: { from: lambda, to: client, arrow: '--x', verb: 'failed', item: e.itemId },
            notes: [{ over: [lambda], text: `gave up after ${e.attempts} attempts${e.detail ? `: ${e.detail}` : ''}` }],
            routine: false,
            category: 'outcomes',
          };
        default:
          return assertNever(e.outcome);
      }
    }
    case 'local-write': {
      const by = ctx.isClientEvent(e.cause) ? lambdaId(e.region) : CLIENT;
      // A transaction is one request: its writes draw as one TransactWriteItems arrow.
      const verb = e.transaction ? 'TransactWriteItems' : e.op;
      return {
        t: e.t,
        arrow: {
          from: ctx.use(by),
          to: ctx.use(tableId(e.region)),
          arrow: '->>',
          verb,
          item: e.transaction ? `${e.op} ${e.itemId}` : e.itemId,
          detail: e.after ? summarise(e.after) : 'deleted',
          value: e.after ? summarise(e.after) : 'deleted',
        },
        notes: [],
        routine: true,
        category: 'writes',
        // Writes of one transaction merge with each other only.
        mergeKey: `write|${by}|${e.region}|${verb}|${e.transaction ?? ''}`,
      };
    }
    case 'condition-failed': {
      const by = ctx.isClientEvent(e.cause) ? lambdaId(e.region) : CLIENT;
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        arrow: { from: table, to: ctx.use(by), arrow: '--x', verb: 'condition failed', item: e.itemId },
        notes: [
          {
            over: [table],
            text: `failed condition ${e.condition}${e.transaction ? ` (transaction ${e.transaction} cancelled)` : ''}; replica holds ${stateOf(e.current)}`,
          },
        ],
        routine: false,
        category: 'conditions',
      };
    }
    case 'operation-failed': {
      const by = ctx.isClientEvent(e.cause) ? lambdaId(e.region) : CLIENT;
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        arrow: { from: table, to: ctx.use(by), arrow: '--x', verb: e.error.name, item: e.itemId },
        notes: [{ over: [table], text: `${e.error.message}${e.transaction ? ` (transaction ${e.transaction} cancelled)` : ''}; replica holds ${stateOf(e.current)}` }],
        routine: false,
        category: 'conditions',
      };
    }
    case 'replication-sent':
      return {
        t: e.t,
        arrow: {
          from: ctx.use(tableId(e.from)),
          to: ctx.use(REPLICATION),
          arrow: '-)',
          verb: 'replicate',
          item: e.itemId,
          target: e.to,
          detail: `due t=${ms(e.arrivesAt)}`,
        },
        notes: [],
        routine: true,
        category: 'replication',
        mergeKey: `sent|${e.from}`,
      };
    case 'replication-applied': {
      const table = ctx.use(tableId(e.to));
      return {
        t: e.t,
        arrow: {
          from: ctx.use(REPLICATION),
          to: table,
          arrow: '-)',
          verb: 'apply',
          item: e.itemId,
          detail: [e.after ? summarise(e.after) : 'delete', `from ${e.from}`].filter((x) => x !== '').join(', '),
          value: e.after ? summarise(e.after) : 'deleted',
        },
        notes: e.conflict
          ? [{ over: [table], text: `conflict: ${e.itemId} overwritten by ${stamp(e.version)}; a concurrent local write is lost (LWW, whole item)` }]
          : [],
        routine: !e.conflict,
        category: 'replication',
        mergeKey: `applied|${e.to}`,
      };
    }
    case 'replication-discarded': {
      const table = ctx.use(tableId(e.to));
      return {
        t: e.t,
        arrow: { from: ctx.use(REPLICATION), to: table, arrow: '--x', verb: 'discard', item: e.itemId, detail: `from ${e.from}` },
        notes: [
          {
            over: [table],
            text: `LWW loser discarded: incoming ${stamp(e.incomingVersion)} ${e.reason === 'tie-lost' ? 'lost the tie to' : 'older than'} kept ${stamp(e.keptVersion)}`,
          },
        ],
        routine: false,
        category: 'replication',
      };
    }
    case 'replication-coalesced':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(REPLICATION)], text: `coalesced ${e.itemId} → ${e.to}: ${stamp(e.dropped)} replaced by ${stamp(e.by)}` }],
        routine: false,
        category: 'replication',
      };
    case 'conflict-repaired': {
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        arrow: { from: ctx.use(lambdaId(e.region)), to: table, arrow: '->>', verb: 'repair', item: e.itemId },
        notes: [{ over: [table], text: `conflict repair: keep ${summarise(e.winner)}, drop ${summarise(e.loser)}` }],
        routine: false,
        category: 'repairs',
      };
    }
    case 'read':
      return {
        t: e.t,
        arrow: {
          from: ctx.use(tableId(e.region)),
          to: ctx.use(CLIENT),
          arrow: '-->>',
          verb: `${e.consistency} ${e.request?.operation === 'Query' ? 'query' : 'read'}`,
          item: e.itemId,
          detail: e.error ? e.error.name : e.items !== undefined ? `${e.items.length} item${e.items.length === 1 ? '' : 's'}` : e.item ? summarise(e.item) || 'found' : 'not found',
        },
        notes: [],
        // Routine, but never merged: what a read returned is the point of the read.
        routine: true,
        category: 'reads',
      };
    case 'checkpoint':
      // Spans every participant; resolved when drawn, since later steps may add participants.
      return { t: e.t, notes: [{ over: [SPAN_ALL], text: `check ${e.name}: ${e.passed ? 'passed' : 'FAILED'}` }], routine: false, category: 'checks' };
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
    case 'replication-held': {
      // A write waiting at a paused link (aws-semantics §3): not a delivery, so a note on the
      // replica it waits for, never an arrow; many during a pause, so they merge.
      const table = ctx.use(tableId(e.to));
      return {
        t: e.t,
        notes: [{ over: [table], text: `held, not delivered: ${e.itemId} from ${e.from} (link paused)` }],
        routine: true,
        category: 'replication',
        mergeKey: `held|${e.from}|${e.to}`,
        group: { over: [table], head: 'held', mid: ', not delivered', item: e.itemId, tail: ` from ${e.from} (link paused)` },
      };
    }
    case 'request-rejected': {
      const to = ctx.isClientEvent(e.eventId) ? lambdaId(e.region) : tableId(e.region);
      const failover = e.failoverTo ? `, client fails over to ${e.failoverTo}${e.failoverAt !== undefined ? ` at t=${ms(e.failoverAt)}` : ''}` : '';
      return {
        t: e.t,
        arrow: { from: ctx.use(to), to: ctx.use(CLIENT), arrow: '--x', verb: 'rejected', item: e.eventId, detail: `${e.region} unavailable${failover}` },
        notes: [],
        routine: false,
        category: 'failures',
      };
    }
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
    case 'redriven':
      return {
        t: e.t,
        arrow: { from: ctx.use(dlqId(e.region)), to: ctx.use(lambdaId(e.region)), arrow: '-)', verb: 'redrive', item: e.eventId },
        notes: [],
        routine: true,
        category: 'failures',
        mergeKey: `redrive|${e.region}`,
      };
    case 'execution-started':
      return {
        t: e.t,
        arrow: { from: ctx.use(CLIENT), to: ctx.use(stepFunctionsId(e.region)), arrow: '->>', verb: `StartExecution ${e.workflow}`, item: e.name, detail: `${e.executionId}, event ${e.eventId}` },
        notes: [],
        routine: true,
        category: 'workflow',
      };
    case 'execution-deduplicated': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: ctx.use(CLIENT), arrow: '-->>', verb: 'StartExecution returned running', item: e.executionId, detail: `name ${e.name}, event ${e.eventId}` },
        notes: [{ over: [sfn], text: `deduplicated: execution ${e.name} still runs with the same input (Standard, this region only)` }],
        routine: false,
        category: 'workflow',
      };
    }
    case 'execution-rejected': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: ctx.use(CLIENT), arrow: '--x', verb: e.error, item: e.name, detail: `event ${e.eventId}` },
        notes: [{ over: [sfn], text: e.reason === 'closed' ? `execution ${e.name} has closed: its name is refused` : `execution ${e.name} runs with different input` }],
        routine: false,
        category: 'workflow',
      };
    }
    case 'state-entered': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        arrow: { from: sfn, to: sfn, arrow: '->>', verb: 'state', item: e.state, detail: e.executionId },
        notes: [],
        routine: true,
        category: 'workflow',
        mergeKey: `state|${e.region}|${e.executionId}`,
      };
    }
    case 'execution-closed': {
      const sfn = ctx.use(stepFunctionsId(e.region));
      return {
        t: e.t,
        notes: [{ over: [sfn], text: `execution ${e.executionId} ${e.status}` }],
        routine: e.status === 'SUCCEEDED',
        category: 'workflow',
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

export const SPAN_ALL = '*';

/** The change a client event asks for, from its TMF688 payload: `status=paid` (keys sorted, id left out). */
function changeOf(event: Record<string, Record<string, AttributeValue>>): string {
  const payload = Object.values(event)[0] ?? {};
  const text = Object.keys(payload)
    .filter((k) => k !== 'id')
    .sort()
    .map((k) => `${k}=${valueText(payload[k] ?? null)}`)
    .join(' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}
