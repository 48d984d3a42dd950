import type { TraceEvent } from '../../../trace/events.js';
import { stateItemKey } from '../../step-state.js';
import { assertNever } from '../assert-never.js';
import type { Step } from '../sequence-model.js';
import { REPLICATION, tableId, type Context } from '../sequence-participants.js';
import { ms, stamp, summarise } from '../trace-text.js';

/** A replicated write on its way: sent, applied, coalesced in flight, or held at a paused link. */
export type ReplicationTrace = Extract<TraceEvent, { kind: 'replication-sent' | 'replication-applied' | 'replication-coalesced' | 'replication-held' }>;

export function replicationStep(e: ReplicationTrace, ctx: Context): Step {
  switch (e.kind) {
    case 'replication-sent':
      return {
        t: e.t,
        arrow: {
          from: ctx.use(tableId(e.from)),
          to: ctx.use(REPLICATION),
          arrow: '-)',
          verb: 'replicate',
          item: stateItemKey(e),
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
          item: stateItemKey(e),
          // MRSC: a write or strong read in the receiving region took it from the quorum before it arrived
          detail: [e.after ? summarise(e.after) : 'delete', `from ${e.from}`, e.fromQuorum ? 'taken from the quorum before it arrived' : ''].filter((x) => x !== '').join(', '),
          value: e.after ? summarise(e.after) : 'deleted',
        },
        notes: e.conflict ? [{ over: [table], text: `conflict: ${stateItemKey(e)} overwritten by ${stamp(e.version)}${lostOrMerged(ctx.mergedLater(e.itemId, e.to, e.t), e.replacedVersion?.region, e.to)}` }] : [],
        routine: !e.conflict,
        category: 'replication',
        mergeKey: `applied|${e.to}`,
      };
    }
    case 'replication-coalesced':
      return {
        t: e.t,
        notes: [{ over: [ctx.use(REPLICATION)], text: `coalesced ${stateItemKey(e)} → ${e.to}: ${stamp(e.dropped)} replaced by ${stamp(e.by)}` }],
        routine: false,
        category: 'replication',
      };
    case 'replication-held': {
      // A write waiting at a paused link (aws-semantics §3): not a delivery, so a note on the
      // replica it waits for, never an arrow; many during a pause, so they merge.
      const table = ctx.use(tableId(e.to));
      return {
        t: e.t,
        notes: [{ over: [table], text: `held, not delivered: ${stateItemKey(e)} from ${e.from} (link paused or region down)` }],
        routine: true,
        category: 'replication',
        mergeKey: `held|${e.from}|${e.to}`,
        group: { over: [table], head: 'held', mid: ', not delivered', item: stateItemKey(e), tail: ` from ${e.from} (link paused or region down)` },
      };
    }
    default:
      return assertNever(e);
  }
}

/** What becomes of the concurrent local write the service overwrote: lost, unless a merge strategy's consumer merges it back later. */
/** What became of the version the arrival replaced: lost (said whose: the region's own, or one it held from another), or merged back. */
function lostOrMerged(strategy: string | undefined, replacedBy: string | undefined, region: string): string {
  if (strategy !== undefined) return ` (LWW, whole item); the ${strategy} merge below combines both versions`;
  // a region that held another region's write made no local one (it read "a concurrent local write is lost")
  const whose = replacedBy === undefined || replacedBy === region ? 'a concurrent local write' : `the concurrent write of ${replacedBy} it held`;
  return `; ${whose} is lost (LWW, whole item)`;
}
