import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/app/item.js';
import { conflictStep } from '../../../../src/render/mermaid/steps/conflicts.js';
import { E, W, only, traced } from './context.js';

const a: Item = { Id: 'ORDER#1', Version: 2, Data: { status: 'paid' } };
const b: Item = { Id: 'ORDER#1', Version: 2, Data: { status: 'cancelled' } };

describe('conflictStep (a conflict resolved)', () => {
  it.each([
    ['older', 'older than'],
    ['tie-lost', 'lost the tie to'],
  ] as const)('draws a discarded LWW loser (%s) as a lost arrow with a note naming both stamps', (reason, words) => {
    const { ctx, events } = traced([
      { kind: 'replication-discarded', t: 650, from: E, to: W, itemId: 'ORDER#1', incoming: a, kept: b, incomingVersion: { ts: 0, region: E }, keptVersion: { ts: 100, region: W }, reason, conflict: true },
    ]);
    expect(conflictStep(only(events, 'replication-discarded'), ctx)).toEqual({
      t: 650,
      arrow: { from: 'Replication', to: 'Table_eu_west_1', arrow: '--x', verb: 'discard', item: 'ORDER#1', detail: 'from us-east-1' },
      notes: [{ over: ['Table_eu_west_1'], text: `LWW loser discarded: incoming 0ms@us-east-1 ${words} kept 100ms@eu-west-1` }],
      routine: false,
      category: 'replication',
    });
  });

  // the repair's write itself is the local-write just before, drawn from the Lambda (writes.ts)
  it('notes a repair over the replica, without a second arrow for its write', () => {
    const { ctx, events } = traced([{ kind: 'conflict-repaired', t: 800, region: E, itemId: 'ORDER#1', winner: b, loser: a }]);
    expect(conflictStep(only(events, 'conflict-repaired'), ctx)).toEqual({
      t: 800,
      notes: [{ over: ['Table_us_east_1'], text: 'conflict repair: keep v2 status=cancelled, drop v2 status=paid' }],
      routine: false,
      category: 'repairs',
    });
  });
});
