import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/app/item.js';
import { replicationStep } from '../../../../src/render/mermaid/steps/replication.js';
import { E, W, only, traced } from './context.js';

const paid: Item = { Id: 'ORDER#1', Version: 2, Data: { status: 'paid' } };

describe('replicationStep (a replicated write on its way)', () => {
  it('draws a send as a routine arrow from the replica to the replication, due at its arrival', () => {
    const { ctx, events } = traced([{ kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'ORDER#1', version: { ts: 0, region: E }, arrivesAt: 650 }]);
    expect(replicationStep(only(events, 'replication-sent'), ctx)).toEqual({
      t: 0,
      arrow: { from: 'Table_us_east_1', to: 'Replication', arrow: '-)', verb: 'replicate', item: 'ORDER#1', target: W, detail: 'due t=650ms' },
      notes: [],
      routine: true,
      category: 'replication',
      mergeKey: 'sent|us-east-1',
    });
  });

  it('draws an apply as routine, and one that overwrote a concurrent write with a conflict note', () => {
    const { ctx, events } = traced([
      { kind: 'replication-applied', t: 650, from: E, to: W, itemId: 'ORDER#1', before: null, after: paid, version: { ts: 0, region: E }, conflict: false },
      { kind: 'replication-applied', t: 700, from: E, to: W, itemId: 'ORDER#1', before: paid, after: null, version: { ts: 50, region: E }, conflict: true },
    ]);
    const plain = replicationStep(only(events, 'replication-applied', 0), ctx);
    expect(plain).toMatchObject({ routine: true, notes: [], mergeKey: 'applied|eu-west-1' });
    expect(plain.arrow).toEqual({ from: 'Replication', to: 'Table_eu_west_1', arrow: '-)', verb: 'apply', item: 'ORDER#1', detail: 'v2 status=paid, from us-east-1', value: 'v2 status=paid' });
    const conflict = replicationStep(only(events, 'replication-applied', 1), ctx);
    expect(conflict.routine).toBe(false);
    expect(conflict.arrow).toMatchObject({ detail: 'delete, from us-east-1', value: 'deleted' });
    expect(conflict.notes).toEqual([{ over: ['Table_eu_west_1'], text: 'conflict: ORDER#1 overwritten by 50ms@us-east-1; a concurrent local write is lost (LWW, whole item)' }]);
  });

  it('says whose write a conflict overwrote: one the region held from another made no local write (it read "a concurrent local write is lost")', () => {
    const { ctx, events } = traced([
      { kind: 'replication-applied', t: 700, from: E, to: W, itemId: 'ORDER#1', before: paid, after: null, version: { ts: 50, region: E }, conflict: true, replacedVersion: { ts: 40, region: 'us-west-2' } },
    ]);
    expect(replicationStep(only(events, 'replication-applied', 0), ctx).notes[0]!.text).toBe('conflict: ORDER#1 overwritten by 50ms@us-east-1; the concurrent write of us-west-2 it held is lost (LWW, whole item)');
  });

  it('says a conflict’s overwritten write is merged back when a merge strategy’s consumer merges that item there later', () => {
    const merged = { ...paid, Data: { status: 'paid', note: 'x' } };
    const { ctx, events } = traced([
      { kind: 'replication-applied', t: 700, from: E, to: W, itemId: 'ORDER#1', before: paid, after: merged, version: { ts: 50, region: E }, conflict: true },
      // a merge of another item, and of this one in the other region, say nothing of this conflict
      { kind: 'conflict-resolved', t: 750, region: W, itemId: 'ORDER#2', by: 'application', strategy: 'automerge', versions: [paid, merged], result: merged },
      { kind: 'conflict-resolved', t: 760, region: E, itemId: 'ORDER#1', by: 'application', strategy: 'automerge', versions: [paid, merged], result: merged },
      { kind: 'replication-applied', t: 780, from: E, to: W, itemId: 'ORDER#2', before: paid, after: merged, version: { ts: 60, region: E }, conflict: true },
      { kind: 'conflict-resolved', t: 800, region: W, itemId: 'ORDER#1', by: 'application', strategy: 'counter', versions: [paid, merged], result: merged },
    ]);
    expect(replicationStep(only(events, 'replication-applied', 0), ctx).notes[0]!.text).toBe('conflict: ORDER#1 overwritten by 50ms@us-east-1 (LWW, whole item); the counter merge below combines both versions');
    // ORDER#2's only merge in eu-west-1 came before its conflict
    expect(replicationStep(only(events, 'replication-applied', 1), ctx).notes[0]!.text).toBe('conflict: ORDER#2 overwritten by 60ms@us-east-1; a concurrent local write is lost (LWW, whole item)');
  });

  it('notes a coalesced write on the replication, without an arrow', () => {
    const { ctx, events } = traced([{ kind: 'replication-coalesced', t: 800, from: E, to: W, itemId: 'ORDER#1', dropped: { ts: 790, region: E }, by: { ts: 800, region: E } }]);
    expect(replicationStep(only(events, 'replication-coalesced'), ctx)).toEqual({
      t: 800,
      notes: [{ over: ['Replication'], text: 'coalesced ORDER#1 → eu-west-1: 790ms@us-east-1 replaced by 800ms@us-east-1' }],
      routine: false,
      category: 'replication',
    });
  });

  it('notes a held write on the replica it waits for, as a group that merges with the next held ones', () => {
    const { ctx, events } = traced([{ kind: 'replication-held', t: 900, from: E, to: W, itemId: 'ORDER#1', version: { ts: 900, region: E } }]);
    const step = replicationStep(only(events, 'replication-held'), ctx);
    expect(step.arrow).toBeUndefined();
    expect(step).toMatchObject({ routine: true, category: 'replication', mergeKey: 'held|us-east-1|eu-west-1' });
    expect(step.notes).toEqual([{ over: ['Table_eu_west_1'], text: 'held, not delivered: ORDER#1 from us-east-1 (link paused or region down)' }]);
    expect(step.group).toEqual({ over: ['Table_eu_west_1'], head: 'held', mid: ', not delivered', item: 'ORDER#1', tail: ' from us-east-1 (link paused or region down)' });
  });
});
