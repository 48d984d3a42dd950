import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Table, type TableSchema } from '../../src/dynamodb/table.js';
import type { Item } from '../../src/dynamodb/values.js';

// A table with a sort key (its own partitions) and a GSI on Group: partitions of one entry, of a
// few and of many, as the table holds them (single entry, array, Map), must answer alike.
const schema: TableSchema = {
  name: 'T',
  partitionKey: { name: 'Pk', type: 'S' },
  sortKey: { name: 'Sk', type: 'N' },
  indexes: [{ name: 'ByGroup', partitionKey: { name: 'Group', type: 'S' }, projection: { type: 'ALL', nonKeyAttributes: [] } }],
};
const item = (pk: string, sk: number, group?: string): Item => ({ Pk: { S: pk }, Sk: { N: String(sk) }, ...(group ? { Group: { S: group } } : {}) });
const keyOf = (i: Item): Item => ({ Pk: i.Pk!, Sk: i.Sk! });
const sks = (entries: Item[]) => entries.map((e) => Number((e.Sk as { N: string }).N)).sort((a, b) => a - b);

describe('Table partitions: one entry, a few, many', () => {
  it('keeps every partition of the table and of an index as the writes leave it', () => {
    const table = new Table(schema, 0, {});
    const space = table.keySpace(undefined);
    const index = table.keySpace('ByGroup');
    // 20 items in partition p (past the array size), each in group g<n % 3>, one alone in q
    for (let n = 0; n < 20; n++) table.write(keyOf(item('p', n)), item('p', n, `g${n % 3}`));
    table.write(keyOf(item('q', 1)), item('q', 1, 'solo'));
    expect(sks(table.partitionEntries(space, { S: 'p' }))).toEqual([...Array(20).keys()]);
    expect(sks(table.partitionEntries(index, { S: 'g1' }))).toEqual([1, 4, 7, 10, 13, 16, 19]);
    // delete most of p (from Map back down to an array, a single entry), move items between groups
    for (let n = 0; n < 19; n++) if (n !== 7) table.write(keyOf(item('p', n)), undefined);
    table.write(keyOf(item('p', 7)), item('p', 7, 'solo'));
    table.write(keyOf(item('p', 19)), item('p', 19, 'g0'));
    expect(sks(table.partitionEntries(space, { S: 'p' }))).toEqual([7, 19]);
    expect(sks(table.partitionEntries(index, { S: 'g1' }))).toEqual([]);
    expect(sks(table.partitionEntries(index, { S: 'g0' }))).toEqual([19]);
    expect(table.partitionEntries(index, { S: 'solo' }).map((e) => (e.Pk as { S: string }).S).sort()).toEqual(['p', 'q']);
    // rewriting an entry in place keeps one entry of it, with the new item
    table.write(keyOf(item('p', 19)), { ...item('p', 19, 'g0'), V: { N: '2' } });
    expect(table.partitionEntries(index, { S: 'g0' })).toEqual([{ ...item('p', 19, 'g0'), V: { N: '2' } }]);
    table.write(keyOf(item('q', 1)), undefined);
    table.write(keyOf(item('p', 7)), undefined);
    expect(table.partitionEntries(index, { S: 'solo' })).toEqual([]);
  });
});

describe('Table partitions are brought up to date when read, whatever the writes since', () => {
  /** What a Query of one partition must see: every stored item of that partition, by brute force. */
  function expected(table: Table, attribute: 'Pk' | 'Group', value: string): string[] {
    return [...table.allItems()].filter((i) => (i[attribute] as { S: string } | undefined)?.S === value).map((i) => `${(i.Pk as { S: string }).S}/${(i.Sk as { N: string }).N}`).sort();
  }
  function readPartition(table: Table, space: ReturnType<Table['keySpace']>, value: string): string[] {
    return table.partitionEntries(space, { S: value }).map((i) => `${(i.Pk as { S: string }).S}/${(i.Sk as { N: string }).N}`).sort();
  }

  const write = fc.record({
    kind: fc.constant('write' as const),
    pk: fc.constantFrom('a', 'b', 'c'),
    sk: fc.integer({ min: 0, max: 5 }),
    group: fc.option(fc.constantFrom('g0', 'g1', 'g2'), { nil: undefined }),
    remove: fc.boolean(),
  });
  // a burst: many writes between two reads, past the backlog's bound (about half as many writes as items, plus 512) when long
  const burst = fc.record({ kind: fc.constant('burst' as const), writes: fc.integer({ min: 1, max: 1500 }), seed: fc.integer() });
  const read = fc.record({ kind: fc.constant('read' as const) });

  it('answers as the items are after any mix of puts, moves and deletes, read often or rarely (a backlog, a rebuild)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: write, weight: 8 }, { arbitrary: read, weight: 2 }, { arbitrary: burst, weight: 1 }), { maxLength: 80 }), (steps) => {
        const table = new Table(schema, 0, {});
        const space = table.keySpace(undefined);
        const index = table.keySpace('ByGroup');
        const put = (pk: string, sk: number, group: string | undefined, remove: boolean) => table.write(keyOf(item(pk, sk)), remove ? undefined : item(pk, sk, group));
        const check = () => {
          for (const pk of ['a', 'b', 'c']) expect(readPartition(table, space, pk)).toEqual(expected(table, 'Pk', pk));
          for (const g of ['g0', 'g1', 'g2']) expect(readPartition(table, index, g)).toEqual(expected(table, 'Group', g));
        };
        for (const step of steps) {
          if (step.kind === 'write') put(step.pk, step.sk, step.group, step.remove);
          else if (step.kind === 'read') check();
          else {
            let x = step.seed >>> 0;
            for (let n = 0; n < step.writes; n++) {
              x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
              put('abc'[x % 3]!, (x >>> 2) % 6, [undefined, 'g0', 'g1', 'g2'][(x >>> 5) % 4], (x >>> 8) % 5 === 0);
            }
          }
        }
        check();
      }),
      { numRuns: 300 },
    );
  });
});
