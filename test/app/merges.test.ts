import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/app/item.js';
import { createMergeConsumer } from '../../src/app/merge-consumer.js';
import { automerge, mergeItems, strategyWrite } from '../../src/app/merges.js';
import type { TablePort, WriteOp } from '../../src/app/table-port.js';
import { concurrent, dominates, joinVectors } from '../../src/app/version-vector.js';

const A = 'us-east-1';
const B = 'us-west-2';

/** A version written by an event in `region` on top of `base`. */
function write(strategy: 'lww-attribute' | 'automerge' | 'counter' | 'custom', base: Item | undefined, region: string, clientTime: number, data: Record<string, string | number> = {}, add: Record<string, number> = {}): Item {
  return { Id: 'X', ...base, ...strategyWrite(strategy, base, { data, add, clientTime, region }), Timestamp: clientTime, LastUpdatedRegion: region };
}

describe('version vectors', () => {
  it('tell concurrent versions from an ancestor and its descendant', () => {
    expect(concurrent({ a: 1 }, { b: 1 })).toBe(true);
    expect(concurrent({ a: 1 }, { a: 1, b: 1 })).toBe(false);
    expect(dominates({ a: 2, b: 1 }, { a: 1 })).toBe(true);
    expect(joinVectors({ b: 1, a: 3 }, { a: 2, c: 1 })).toEqual({ a: 3, b: 1, c: 1 });
  });
});

describe('counter', () => {
  it('keeps every region\'s increments and decrements: value = sum', async () => {
    const base = write('counter', undefined, A, 1, {}, { n: 10 });
    const a = write('counter', base, A, 2, {}, { n: -3 });
    const b = write('counter', base, B, 3, {}, { n: 5 });
    const merged = await mergeItems('counter', a, b);
    expect((merged.Data as Record<string, number>).n).toBe(12);
    expect(merged).toEqual(await mergeItems('counter', b, a));
    expect(merged.VersionVector).toEqual({ [A]: 2, [B]: 1 });
  });
});

describe('lww-attribute', () => {
  it('keeps each attribute\'s latest client write: an update of x and one of y both survive', async () => {
    const base = write('lww-attribute', undefined, A, 1, { x: 'x0', y: 'y0' });
    const a = write('lww-attribute', base, A, 5, { x: 'x1' });
    const b = write('lww-attribute', base, B, 6, { y: 'y1' });
    const merged = await mergeItems('lww-attribute', a, b);
    expect(merged.Data).toEqual({ x: 'x1', y: 'y1' });
    expect(await mergeItems('lww-attribute', b, a)).toEqual(merged);
  });
  it('the later client write of the same attribute wins', async () => {
    const a = write('lww-attribute', undefined, A, 9, { x: 'late' });
    const b = write('lww-attribute', undefined, B, 4, { x: 'early' });
    expect((await mergeItems('lww-attribute', a, b)).Data).toEqual({ x: 'late' });
  });
});

describe('automerge (AppSync AUTOMERGE rules)', () => {
  it('scalars keep the stored value, new or null attributes are taken, lists concatenate, sets unite, maps recurse', () => {
    const stored = { name: 'Nadia', jersey: 5, tags: ['a'], pets: { $SS: ['cat', 'dog'] }, nick: null, address: { city: 'Lyon', zip: '69001' } };
    const incoming = { name: 'Nadia', jersey: 55, tags: ['b', 'a'], pets: { $SS: ['ant', 'cat'] }, nick: 'N', team: 'red', address: { city: 'Paris', street: 'Rue' } };
    expect(automerge(stored, incoming)).toEqual({
      name: 'Nadia',
      jersey: 5,
      tags: ['a', 'b', 'a'],
      pets: { $SS: ['ant', 'cat', 'dog'] },
      nick: 'N',
      team: 'red',
      address: { city: 'Lyon', zip: '69001', street: 'Rue' },
    });
  });
  it('orders the pair itself: the earlier client writer is the stored version', async () => {
    const early = write('automerge', undefined, A, 1, { s: 'early' });
    const late = write('automerge', undefined, B, 2, { s: 'late' });
    expect((await mergeItems('automerge', late, early)).Data).toEqual({ s: 'early' });
    expect(await mergeItems('automerge', early, late)).toEqual(await mergeItems('automerge', late, early));
  });
});

describe('custom', () => {
  it('runs the given merge on copies of the two Data maps, stored first', async () => {
    const early = write('custom', undefined, A, 1, { s: 'early' });
    const late = write('custom', undefined, B, 2, { s: 'late' });
    const seen: unknown[] = [];
    const merged = await mergeItems('custom', late, early, (stored, incoming, info) => {
      seen.push(stored.s, incoming.s, info.itemId);
      stored.s = 'mutated';
      return { s: `${String(incoming.s)}+${String(early.Data && (early.Data as Record<string, string>).s)}` };
    });
    expect(seen).toEqual(['early', 'late', 'X']);
    expect(merged.Data).toEqual({ s: 'late+early' });
    expect((early.Data as Record<string, string>).s).toBe('early'); // the function got copies
  });
  it('refuses a merge that returns no map', async () => {
    await expect(mergeItems('custom', write('custom', undefined, A, 1), write('custom', undefined, B, 2), () => null as never)).rejects.toThrow('the merge function returned null, not the merged Data map');
  });
});

/** A one-region table over a map: enough for the consumer's conditional put and its re-read. */
function memoryTable(items: Map<string, Item>): TablePort & { writes: WriteOp[] } {
  const writes: WriteOp[] = [];
  return {
    region: A,
    writes,
    get: async (id) => items.get(id),
    write: async (op) => {
      writes.push(op);
      if (op.kind !== 'put') throw new Error('unexpected');
      const current = items.get(op.item.Id);
      const { evaluateCondition } = await import('../../src/app/condition.js');
      if (op.condition && !evaluateCondition(op.condition, current)) return { ok: false, reason: 'condition-failed', current };
      items.set(op.item.Id, op.item);
      return { ok: true, item: op.item };
    },
    transactWrite: async () => ({ ok: true }),
    queryByIdempotencyKey: async () => [],
  };
}

describe('merge consumer', () => {
  const merge = (a: Item, b: Item) => mergeItems('counter', a, b);
  const base = write('counter', undefined, A, 1, {}, { n: 1 });
  const a = write('counter', base, A, 2, {}, { n: 1 });
  const b = write('counter', base, B, 3, {}, { n: 1 });

  it('merges a replaced concurrent version back in, over the version seen only', async () => {
    const items = new Map([['X', b]]);
    const table = memoryTable(items);
    const out = await createMergeConsumer(table, merge)({ oldImage: a, newImage: b });
    expect(out?.versions).toEqual([a, b]);
    expect((items.get('X')!.Data as Record<string, number>).n).toBe(3);
  });

  it('leaves a descendant replacing its ancestor alone (nothing was lost)', async () => {
    const table = memoryTable(new Map([['X', a]]));
    expect(await createMergeConsumer(table, merge)({ oldImage: base, newImage: a })).toBeUndefined();
    expect(table.writes).toEqual([]);
  });

  it('when the item moved on, merges the replaced version into what it holds now', async () => {
    const later = write('counter', b, B, 4, {}, { n: 1 });
    const items = new Map([['X', later]]);
    const out = await createMergeConsumer(memoryTable(items), merge)({ oldImage: a, newImage: b });
    expect(out?.versions).toEqual([a, later]);
    expect((items.get('X')!.Data as Record<string, number>).n).toBe(4);
  });
});
