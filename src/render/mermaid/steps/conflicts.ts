import type { TraceEvent } from '../../../trace/events.js';
import { stateItemKey } from '../../step-state.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { REPLICATION, tableId, type Context } from '../sequence-participants.js';
import { stamp, summarise } from '../trace-text.js';

/** A conflict resolved: a last-writer-wins loser discarded, or the application's repair of one; or a write its table's deletion dropped. */
export type ConflictTrace = Extract<TraceEvent, { kind: 'replication-discarded' | 'conflict-repaired' | 'conflict-resolved' }>;

export function conflictStep(e: ConflictTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'replication-discarded': {
      const table = ctx.use(tableId(e.to));
      return {
        t: e.t,
        arrow: { from: ctx.use(REPLICATION), to: table, arrow: '--x', verb: 'discard', item: stateItemKey(e), detail: `from ${e.from}` },
        notes: [
          {
            over: [table],
            text:
              e.reason === 'table-deleted'
                ? `dropped: incoming ${stamp(e.incomingVersion)}, its table was deleted while it was on its way`
                : `LWW loser discarded: incoming ${stamp(e.incomingVersion)} ${e.reason === 'tie-lost' ? 'lost the tie to' : 'older than'} kept ${stamp(e.keptVersion)}`,
          },
        ],
        routine: false,
        category: 'replication',
      };
    }
    // A repair or a merge is the consumer's write, drawn just before as its Lambda's arrow: a note on it here.
    case 'conflict-repaired': {
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        notes: [{ over: [table], text: `conflict repair: keep ${summarise(e.winner)}, drop ${summarise(e.loser)}` }],
        routine: false,
        category: 'repairs',
      };
    }
    case 'conflict-resolved': {
      const table = ctx.use(tableId(e.region));
      return {
        t: e.t,
        notes: [{ over: [table], text: `${e.strategy} merge: ${e.result ? summarise(e.result) : 'deleted'}` }],
        routine: false,
        category: 'repairs',
      };
    }
    default:
      return assertNever(e);
  }
}
