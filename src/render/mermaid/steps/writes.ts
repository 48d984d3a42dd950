import { MERGE_FUNCTION_ERROR, type TraceEvent } from '../../../trace/events.js';
import { stateItemKey } from '../../step-state.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { lambdaId, tableId, type Context } from '../sequence-participants.js';
import { ms, stateOf, summarise } from '../trace-text.js';

/** Writes a region's replica accepted or refused. */
export type WriteTrace = Extract<TraceEvent, { kind: 'local-write' | 'condition-failed' | 'operation-failed' }>;

export function writeStep(e: WriteTrace, ctx: Context): Step {
  const by = ctx.requesterOf(e.cause, e.region, e.caller);
  switch (e.kind) {
    case 'local-write': {
      if (e.expired === true) {
        // the service's own delete (Time to Live), no client's: an arrow of the replica to itself
        const table = ctx.use(tableId(e.region));
        return {
          t: e.t,
          arrow: { from: table, to: table, arrow: '->>', verb: 'Time to Live deletes', item: stateItemKey(e), detail: 'expired', value: 'deleted' },
          notes: [],
          routine: true,
          category: 'writes',
          mergeKey: `ttl|${e.region}`,
        };
      }
      // A transaction is one request: its writes draw as one TransactWriteItems arrow.
      const verb = e.transaction ? 'TransactWriteItems' : e.op;
      return {
        t: e.t,
        arrow: {
          from: ctx.use(by),
          to: ctx.use(tableId(e.region)),
          arrow: '->>',
          verb,
          item: e.transaction ? `${e.op} ${stateItemKey(e)}` : stateItemKey(e),
          // (an idempotency record's summary is empty: no empty parentheses around the answer's time)
          // (replication.unchangedWrites: skip: no replication follows, and the arrow says why)
          detail: [e.after ? summarise(e.after) : 'deleted', e.answeredAt !== undefined ? `answered at ${ms(e.answeredAt)}` : '', e.unchanged ? 'unchanged, not replicated' : ''].filter((part) => part !== '').join('; '),
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
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        arrow: { from: table, to: ctx.use(by), arrow: '--x', verb: 'condition failed', item: stateItemKey(e) },
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
      if (e.error.name === MERGE_FUNCTION_ERROR) {
        // the team's merge threw in the region's Lambda: no refusal of the table's, so no arrow from it
        const lambda = ctx.use(lambdaId(e.region));
        return { t: e.t, notes: [{ over: [lambda], text: `merge of ${stateItemKey(e)} failed: ${e.error.message.replace(/\.$/, '')}; replica holds ${stateOf(e.current)}` }], routine: false, category: 'failures' };
      }
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        arrow: { from: table, to: ctx.use(by), arrow: '--x', verb: e.error.name, item: stateItemKey(e) },
        // DynamoDB's messages may end with a period: no '.;' before what the replica holds. A
        // transaction's operation-failed is a request refused before any of it ran, not cancelled.
        notes: [{ over: [table], text: `${e.error.message.replace(/\.$/, '')}${e.transaction ? ` (transaction ${e.transaction} refused as a whole)` : ''}; replica holds ${stateOf(e.current)}` }],
        routine: false,
        category: 'conditions',
      };
    }
    default:
      return assertNever(e);
  }
}
