import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, equals, exists, lessThan, notExists, or } from '../../src/app/condition.js';
import type { Item } from '../../src/app/item.js';
import type { TablePort } from '../../src/app/table-port.js';

/**
 * The behaviour every TablePort must show, whatever stores the items: run it against the SDK port
 * on DynamoDB Local and against the in-memory replica. It relies only on what DynamoDB documents
 * for a single region's table (conditional writes, UpdateItem SET/ADD, TransactWriteItems
 * cancellation reasons), never on timing. Every test uses its own item ids, so one port serves the
 * whole suite.
 */
export function describeTablePortContract(
  name: string,
  makePort: () => Promise<{ port: TablePort; cleanup(): Promise<void> }>,
): void {
  describe(`TablePort contract: ${name}`, () => {
    let port: TablePort;
    let cleanup: (() => Promise<void>) | undefined;
    let counter = 0;
    /** A fresh partition key for each use, so tests never see each other's items. */
    const id = (label: string) => `${label}#${++counter}`;

    beforeAll(async () => {
      const made = await makePort();
      port = made.port;
      cleanup = () => made.cleanup();
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('reports the region it belongs to', () => {
      expect(typeof port.region).toBe('string');
      expect(port.region.length).toBeGreaterThan(0);
    });

    it('reads nothing for an item never written', async () => {
      expect(await port.get(id('missing'), { consistent: true })).toBeUndefined();
    });

    it('puts an item when attribute_not_exists(Id) holds and reads it back strongly', async () => {
      const item: Item = { Id: id('put'), Data: { status: 'new', tags: ['a', 'b'], nested: { ok: true, none: null } }, Version: 1, Timestamp: 1.5 };
      const outcome = await port.write({ kind: 'put', item, condition: notExists('Id') });
      expect(outcome).toEqual({ ok: true, item });
      expect(await port.get(item.Id, { consistent: true })).toEqual(item);
    });

    it('refuses a conditional put on an existing item, returns the current item and changes nothing', async () => {
      const first: Item = { Id: id('dup'), Version: 1, Data: { v: 'first' } };
      await port.write({ kind: 'put', item: first });
      const outcome = await port.write({ kind: 'put', item: { Id: first.Id, Version: 9, Data: { v: 'second' } }, condition: notExists('Id') });
      expect(outcome).toEqual({ ok: false, reason: 'condition-failed', current: first });
      expect(await port.get(first.Id, { consistent: true })).toEqual(first);
    });

    it('reports an absent current item when a condition on a missing item fails', async () => {
      const outcome = await port.write({ kind: 'put', item: { Id: id('absent'), Version: 2 }, condition: equals('Version', 1) });
      expect(outcome).toEqual({ ok: false, reason: 'condition-failed', current: undefined });
    });

    it('replaces the whole item on an unconditional put', async () => {
      const key = id('replace');
      await port.write({ kind: 'put', item: { Id: key, A: 1, B: 2 } });
      await port.write({ kind: 'put', item: { Id: key, B: 3 } });
      expect(await port.get(key, { consistent: true })).toEqual({ Id: key, B: 3 });
    });

    it('updates with SET only the named attributes and returns the new item', async () => {
      const key = id('set');
      await port.write({ kind: 'put', item: { Id: key, Keep: 'me', Version: 1 } });
      const outcome = await port.write({ kind: 'update', id: key, set: { Version: 2, Data: { s: 'x' } }, condition: equals('Version', 1) });
      const expected = { Id: key, Keep: 'me', Version: 2, Data: { s: 'x' } };
      expect(outcome).toEqual({ ok: true, item: expected });
      expect(await port.get(key, { consistent: true })).toEqual(expected);
    });

    it('creates the item on an update of a missing item, ADD counting a missing attribute as 0', async () => {
      const key = id('add');
      const first = await port.write({ kind: 'update', id: key, add: { Count: 5 }, set: { Status: 'open' } });
      expect(first).toEqual({ ok: true, item: { Id: key, Count: 5, Status: 'open' } });
      const second = await port.write({ kind: 'update', id: key, add: { Count: -2, Other: 1 } });
      expect(second).toEqual({ ok: true, item: { Id: key, Count: 3, Status: 'open', Other: 1 } });
      expect(await port.get(key, { consistent: true })).toEqual({ Id: key, Count: 3, Status: 'open', Other: 1 });
    });

    it('refuses an update whose Version condition fails and returns the current item', async () => {
      const key = id('version');
      const current: Item = { Id: key, Version: 3, Data: { v: 3 } };
      await port.write({ kind: 'put', item: current });
      const outcome = await port.write({ kind: 'update', id: key, set: { Version: 3, Data: { v: 'stale' } }, condition: equals('Version', 2) });
      expect(outcome).toEqual({ ok: false, reason: 'condition-failed', current });
      expect(await port.get(key, { consistent: true })).toEqual(current);
    });

    it('evaluates less-than, AND and OR like DynamoDB, including reserved-word attribute names', async () => {
      const key = id('logic');
      await port.write({ kind: 'put', item: { Id: key, Timestamp: 100, Status: 'open', Data: 'd' } });
      const stale = await port.write({ kind: 'update', id: key, set: { Timestamp: 90 }, condition: lessThan('Timestamp', 90) });
      expect(stale.ok).toBe(false);
      const fresh = await port.write({ kind: 'update', id: key, set: { Timestamp: 200 }, condition: and(exists('Id'), lessThan('Timestamp', 200)) });
      expect(fresh.ok).toBe(true);
      const either = await port.write({ kind: 'update', id: key, set: { Status: 'closed' }, condition: or(equals('Status', 'nope'), equals('Data', 'd')) });
      expect(either.ok).toBe(true);
      const neither = await port.write({ kind: 'update', id: key, set: { Status: 'x' }, condition: or(equals('Status', 'nope'), notExists('Data')) });
      expect(neither.ok).toBe(false);
      expect(await port.get(key, { consistent: true })).toEqual({ Id: key, Timestamp: 200, Status: 'closed', Data: 'd' });
    });

    it('treats a comparison between different types as false', async () => {
      const key = id('types');
      await port.write({ kind: 'put', item: { Id: key, Version: 1 } });
      expect((await port.write({ kind: 'update', id: key, set: { X: 1 }, condition: equals('Version', '1') })).ok).toBe(false);
      expect((await port.write({ kind: 'update', id: key, set: { X: 1 }, condition: lessThan('Version', 'z') })).ok).toBe(false);
    });

    it('deletes only when the condition holds', async () => {
      const key = id('delete');
      const item: Item = { Id: key, Version: 4 };
      await port.write({ kind: 'put', item });
      const refused = await port.write({ kind: 'delete', id: key, condition: equals('Version', 3) });
      expect(refused).toEqual({ ok: false, reason: 'condition-failed', current: item });
      expect(await port.get(key, { consistent: true })).toEqual(item);
      const done = await port.write({ kind: 'delete', id: key, condition: equals('Version', 4) });
      expect(done).toEqual({ ok: true, item: undefined });
      expect(await port.get(key, { consistent: true })).toBeUndefined();
    });

    it('applies every operation of a transaction whose conditions all hold', async () => {
      const a = id('tx-a');
      const b = id('tx-b');
      const c = id('tx-c');
      await port.write({ kind: 'put', item: { Id: b, Version: 1 } });
      await port.write({ kind: 'put', item: { Id: c } });
      const outcome = await port.transactWrite([
        { kind: 'put', item: { Id: a, IdempotencyKey: `k-${a}` }, condition: notExists('Id') },
        { kind: 'update', id: b, set: { Version: 2 }, add: { Hits: 1 }, condition: equals('Version', 1) },
        { kind: 'delete', id: c, condition: exists('Id') },
      ]);
      expect(outcome).toEqual({ ok: true });
      expect(await port.get(a, { consistent: true })).toEqual({ Id: a, IdempotencyKey: `k-${a}` });
      expect(await port.get(b, { consistent: true })).toEqual({ Id: b, Version: 2, Hits: 1 });
      expect(await port.get(c, { consistent: true })).toBeUndefined();
    });

    it('writes nothing when one condition of a transaction fails and reports the reasons in order', async () => {
      const a = id('txf-a');
      const b = id('txf-b');
      const c = id('txf-c');
      const existing: Item = { Id: b, Version: 7 };
      await port.write({ kind: 'put', item: existing });
      await port.write({ kind: 'put', item: { Id: c, Version: 1 } });
      const outcome = await port.transactWrite([
        { kind: 'put', item: { Id: a, Data: 'new' }, condition: notExists('Id') },
        { kind: 'update', id: b, set: { Version: 8 }, condition: equals('Version', 6) },
        { kind: 'update', id: c, set: { Version: 2 }, condition: equals('Version', 1) },
      ]);
      expect(outcome).toEqual({
        ok: false,
        reasons: [{ code: 'None' }, { code: 'ConditionalCheckFailed', current: existing }, { code: 'None' }],
      });
      expect(await port.get(a, { consistent: true })).toBeUndefined();
      expect(await port.get(b, { consistent: true })).toEqual(existing);
      expect(await port.get(c, { consistent: true })).toEqual({ Id: c, Version: 1 });
    });

    it('reports an absent current item for a failed transaction condition on a missing item', async () => {
      const a = id('txm-a');
      const outcome = await port.transactWrite([
        { kind: 'update', id: a, set: { Version: 2 }, condition: equals('Version', 1) },
        { kind: 'put', item: { Id: id('txm-b') } },
      ]);
      expect(outcome).toEqual({ ok: false, reasons: [{ code: 'ConditionalCheckFailed', current: undefined }, { code: 'None' }] });
    });

    it('finds items by idempotency key and nothing for an unknown key', async () => {
      const keyValue = `idem-${id('q')}`;
      const record: Item = { Id: `IDEMPOTENCY#${keyValue}`, IdempotencyKey: keyValue, Status: 'COMPLETED' };
      await port.write({ kind: 'put', item: record, condition: notExists('Id') });
      await port.write({ kind: 'put', item: { Id: id('q-other'), IdempotencyKey: `${keyValue}-other` } });
      await port.write({ kind: 'put', item: { Id: id('q-none'), Data: 'no key' } });
      expect(await port.queryByIdempotencyKey(keyValue)).toEqual([record]);
      expect(await port.queryByIdempotencyKey(`never-${keyValue}`)).toEqual([]);
    });
  });
}
