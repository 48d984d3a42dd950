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

describe('Table keys: distinct keys are distinct items, equal keys one item', () => {
  // the model keys a table of one key attribute by the value itself, escaping what could be read as
  // another (World.slotOf marks another table's items with a leading \u0001); a composite key
  // leads with its partition key's length, as a value may hold the separator
  const text = fc.string({ unit: fc.constantFrom('a', 'S', 'N', '1', '\u0000', '\u0001', '\u0002', '?'), minLength: 1, maxLength: 5 });
  const tableOf = (partitionKey: TableSchema['partitionKey'], sortKey?: TableSchema['sortKey']): Table => new Table({ name: 'K', partitionKey, ...(sortKey ? { sortKey } : {}), indexes: [] }, 0, {});

  it('keeps apart every string key of a table keyed by one attribute, and never keys one with a leading \\u0001', () => {
    fc.assert(
      fc.property(fc.uniqueArray(text, { minLength: 1, maxLength: 12 }), (ids) => {
        const table = tableOf({ name: 'Id', type: 'S' });
        ids.forEach((id, n) => table.write({ Id: { S: id } }, { Id: { S: id }, N: { N: String(n) } }));
        expect(table.itemCount).toBe(ids.length);
        ids.forEach((id, n) => expect(table.get({ Id: { S: id } })).toEqual({ Id: { S: id }, N: { N: String(n) } }));
        // a Query of the table reads the item by the same key
        ids.forEach((id, n) => expect(table.partitionEntries(table.keySpace(undefined), { S: id })).toEqual([{ Id: { S: id }, N: { N: String(n) } }]));
        for (const id of ids) expect(table.encodeKey({ Id: { S: id } }).charCodeAt(0)).not.toBe(1);
      }),
    );
  });

  it('keeps apart composite keys whose partition key holds the separator (a\\u0000Sb + c, a + b\\u0000Sc)', () => {
    const table = tableOf({ name: 'Pk', type: 'S' }, { name: 'Sk', type: 'S' });
    table.write({ Pk: { S: 'a\u0000Sb' }, Sk: { S: 'c' } }, { Pk: { S: 'a\u0000Sb' }, Sk: { S: 'c' }, V: { N: '1' } });
    table.write({ Pk: { S: 'a' }, Sk: { S: 'b\u0000Sc' } }, { Pk: { S: 'a' }, Sk: { S: 'b\u0000Sc' }, V: { N: '2' } });
    expect(table.itemCount).toBe(2);
    expect(table.get({ Pk: { S: 'a\u0000Sb' }, Sk: { S: 'c' } })?.V).toEqual({ N: '1' });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(text, text), { minLength: 1, maxLength: 12, selector: ([p, s]) => `${p.length}:${p}${s}` }), (keys) => {
        const t = tableOf({ name: 'Pk', type: 'S' }, { name: 'Sk', type: 'S' });
        for (const [p, s] of keys) t.write({ Pk: { S: p }, Sk: { S: s } }, { Pk: { S: p }, Sk: { S: s } });
        expect(t.itemCount).toBe(keys.length);
      }),
    );
  });

  it('keys numbers and binaries by their values: 1 and 1.0 are one item, a string "1" no number', () => {
    const numbers = tableOf({ name: 'Id', type: 'N' });
    numbers.write({ Id: { N: '1' } }, { Id: { N: '1' }, V: { S: 'one' } });
    numbers.write({ Id: { N: '\u00011' } }, { Id: { N: '\u00011' } });
    expect(numbers.get({ Id: { N: '1' } })?.V).toEqual({ S: 'one' });
    // a key of the wrong type never finds the item of the same text
    expect(numbers.get({ Id: { S: '1' } })).toBeUndefined();
    const binaries = tableOf({ name: 'Id', type: 'B' });
    binaries.write({ Id: { B: 'AQ==' } }, { Id: { B: 'AQ==' }, V: { S: 'one' } });
    expect(binaries.get({ Id: { B: 'AQ' } })?.V).toEqual({ S: 'one' });
    expect(binaries.get({ Id: { S: 'AQ==' } })).toBeUndefined();
  });
});
