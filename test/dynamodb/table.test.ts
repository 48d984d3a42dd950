import { describe, expect, it } from 'vitest';
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
