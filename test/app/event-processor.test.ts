import { describe, expect, it } from 'vitest';
import { ConflictResolver, compareWriters } from '../../src/app/conflict-resolver.js';
import { buildEnvelope } from '../../src/app/envelope.js';
import type { AppEvent } from '../../src/app/event.js';
import { EventProcessor, type IdempotencyMode, type Strategy } from '../../src/app/event-processor.js';
import { createRepairConsumer } from '../../src/app/repair-consumer.js';
import { ModelTablePort } from '../../src/sim/model-port.js';
import { Rng } from '../../src/sim/rng.js';
import { World } from '../../src/sim/world.js';
import { TraceRecorder } from '../../src/trace/recorder.js';

const A = 'us-east-1';
const B = 'eu-west-1';

function setup(strategy: Strategy, mode: IdempotencyMode, maxRetries = 2) {
  const trace = new TraceRecorder();
  const w = new World(
    {
      regions: [A, B],
      replication: {
        links: [
          { from: A, to: B, lag: { distribution: 'fixed', ms: 1000 } },
          { from: B, to: A, lag: { distribution: 'fixed', ms: 1000 } },
        ],
        coalesce: false,
        tieBreak: 'higher-region',
      },
    },
    new Rng(1),
    trace,
  );
  const tables = { [A]: new ModelTablePort(w, A), [B]: new ModelTablePort(w, B) };
  const processor = (region: string) =>
    new EventProcessor({ table: tables[region]!, strategy, idempotency: { mode, ttlSeconds: 60, homeTable: () => tables[A]! }, maxRetries, now: () => 5000 });
  return { w, tables, processor, trace: trace.events };
}

function event(key: string, item: string, data: Record<string, string | number>, clientTime: number): AppEvent {
  return {
    envelope: buildEnvelope({ id: key, type: 't', domain: 'd', priority: '1', correlationId: key, resource: 'order', itemId: item, data }, clientTime),
    idempotencyKey: key,
    itemId: item,
    data,
    clientTime,
  };
}

describe('ConflictResolver', () => {
  const r = new ConflictResolver();
  it('keeps the later client Timestamp', () => {
    const a = { Id: 'x', Timestamp: 10, LastUpdatedRegion: A };
    const b = { Id: 'x', Timestamp: 20, LastUpdatedRegion: B };
    expect(r.resolve(a, b)).toBe(b);
    expect(r.resolve(b, a)).toBe(b);
  });
  it('orders equal writers by canonical content: attribute order does not matter (issue 10 item 2)', () => {
    // The memory port returns {Id, Count}, the SDK {Count, Id}: both must compare alike.
    const memOld = { Id: 'C1', Count: 1 };
    const sdkOld = { Count: 1, Id: 'C1' };
    const memNew = { Id: 'C1', Count: 2 };
    const sdkNew = { Count: 2, Id: 'C1' };
    expect(compareWriters(memOld, sdkOld)).toBe(0);
    expect(Math.sign(compareWriters(memOld, memNew))).toBe(Math.sign(compareWriters(sdkOld, sdkNew)));
    expect(Math.sign(compareWriters(sdkNew, memOld))).toBe(-Math.sign(compareWriters(memOld, sdkNew)));
    const nested = { Id: 'x', Data: { b: 1, a: 2 } };
    expect(compareWriters(nested, { Data: { a: 2, b: 1 }, Id: 'x' })).toBe(0);
    // Typed values: a number and a string that print alike are different content.
    expect(compareWriters({ Id: 'x', n: 1 }, { Id: 'x', n: '1' })).not.toBe(0);
  });
  it('breaks a Timestamp tie by region name, the same in every order', () => {
    const a = { Id: 'x', Timestamp: 10, LastUpdatedRegion: A };
    const b = { Id: 'x', Timestamp: 10, LastUpdatedRegion: B };
    expect(r.resolve(a, b)).toBe(a); // 'us-east-1' > 'eu-west-1'
    expect(r.resolve(b, a)).toBe(a);
    expect(compareWriters(a, b)).toBe(-compareWriters(b, a));
  });
  it('applies a pluggable merge to winner and loser', () => {
    const merged = new ConflictResolver((w, l) => ({ ...w, tags: [...(l.tags as string[]), ...(w.tags as string[])] }));
    const out = merged.resolve({ Id: 'x', Timestamp: 1, tags: ['a'] }, { Id: 'x', Timestamp: 2, tags: ['b'] });
    expect(out).toEqual({ Id: 'x', Timestamp: 2, tags: ['a', 'b'] });
  });
});

describe('EventProcessor', () => {
  it('writes the record and the change in one local transaction, and rejects a repeated key', async () => {
    const { processor, tables } = setup('service-lww', 'local');
    const p = processor(A);
    expect(await p.processEvent(event('k1', 'O#1', { s: 'a' }, 1000))).toMatchObject({ outcome: 'applied', attempts: 1 });
    expect(await p.processEvent(event('k1', 'O#1', { s: 'a' }, 1200))).toMatchObject({ outcome: 'duplicate' });
    const item = await tables[A]!.get('O#1');
    expect(item).toMatchObject({ Data: { s: 'a' }, Version: 1, LastUpdatedRegion: A, Timestamp: 1000, IdempotencyKey: 'k1' });
    // Expiry runs from the processor's clock (5 s), not the client's (1 s).
    expect(await tables[A]!.get('IDEMPOTENCY#k1')).toMatchObject({ IdempotencyKey: 'k1', ExpiresAt: 5 + 60 });
    expect(await tables[A]!.queryByIdempotencyKey('k1')).toHaveLength(2);
  });

  it('does not see a record from the other region inside the lag window (region-local idempotency)', async () => {
    const { processor } = setup('service-lww', 'local');
    expect((await processor(A).processEvent(event('k1', 'O#1', { s: 'a' }, 0))).outcome).toBe('applied');
    expect((await processor(B).processEvent(event('k1', 'O#1', { s: 'a' }, 100))).outcome).toBe('applied');
  });

  it('sees a retry in another region as a duplicate when records live in the key\'s home region', async () => {
    const { processor } = setup('service-lww', 'home-region');
    expect((await processor(A).processEvent(event('k1', 'O#1', { s: 'a' }, 0))).outcome).toBe('applied');
    expect(await processor(B).processEvent(event('k1', 'O#1', { s: 'a' }, 100))).toMatchObject({ outcome: 'duplicate', detail: expect.stringContaining(A) });
  });

  it('applies every delivery when idempotency is off', async () => {
    const { processor, tables } = setup('service-lww', 'none');
    await processor(A).processEvent(event('k1', 'O#1', { s: 'a' }, 0));
    await processor(A).processEvent(event('k1', 'O#1', { s: 'a' }, 10));
    expect((await tables[A]!.get('O#1'))!.Version).toBe(2);
  });

  it('client-lww: an event older than the stored client Timestamp is superseded, and its key remembered', async () => {
    const { processor } = setup('client-lww', 'local');
    const p = processor(A);
    await p.processEvent(event('new', 'O#1', { s: 'new' }, 5000));
    expect((await p.processEvent(event('old', 'O#1', { s: 'old' }, 4000))).outcome).toBe('superseded');
    expect((await p.processEvent(event('old', 'O#1', { s: 'old' }, 4500))).outcome).toBe('duplicate');
  });

  it('client-lww: an event superseded by a write of the same client time says it lost the tie (the view read "a newer client write")', async () => {
    const { processor } = setup('client-lww', 'local');
    await processor(A).processEvent(event('first', 'O#1', { s: 'first' }, 5000));
    const tied = await processor(A).processEvent(event('same', 'O#1', { s: 'same' }, 5000));
    expect([tied.outcome, tied.detail]).toEqual(['superseded', 'kept Timestamp 5000 from us-east-1: the same client time, and that write won the tie']);
    const older = await processor(A).processEvent(event('older', 'O#1', { s: 'older' }, 4000));
    expect(older.detail).toBe('kept Timestamp 5000 from us-east-1');
  });

  it('version: retries a conditional write that lost a race, up to maxRetries, then fails', async () => {
    const { tables } = setup('version', 'none');
    // A table whose item changes between every read and write: the optimistic lock always loses.
    const racing = {
      region: A,
      get: async (id: string) => tables[A]!.get(id),
      write: async (op: Parameters<typeof tables.A.write>[0]) => {
        await tables[A]!.write({ kind: 'update', id: 'O#1', add: { Version: 1 } });
        return tables[A]!.write(op);
      },
      transactWrite: tables[A]!.transactWrite.bind(tables[A]),
      queryByIdempotencyKey: tables[A]!.queryByIdempotencyKey.bind(tables[A]),
    };
    await tables[A]!.write({ kind: 'put', item: { Id: 'O#1', Version: 1 } });
    const p = new EventProcessor({ table: racing, strategy: 'version', idempotency: { mode: 'none', ttlSeconds: 60 }, maxRetries: 2, now: () => 0 });
    expect(await p.processEvent(event('k', 'O#1', { s: 'x' }, 0))).toMatchObject({ outcome: 'failed', attempts: 3 });
  });

  it('version: both regions pass Version = 1 inside the lag window', async () => {
    const { processor, tables, w } = setup('version', 'none');
    await tables[A]!.write({ kind: 'put', item: { Id: 'O#1', Version: 1 } });
    await tables[B]!.write({ kind: 'put', item: { Id: 'O#1', Version: 1 } });
    expect((await processor(A).processEvent(event('a', 'O#1', { s: 'a' }, 0))).outcome).toBe('applied');
    expect((await processor(B).processEvent(event('b', 'O#1', { s: 'b' }, 0))).outcome).toBe('applied');
    expect(w.replica(A).item('O#1')!.Version).toBe(2);
    expect(w.replica(B).item('O#1')!.Version).toBe(2);
  });
});

describe('repair consumer', () => {
  it('writes the client-timestamp winner back when replication replaced it with an older client write', async () => {
    const { tables } = setup('client-lww', 'none');
    const consume = createRepairConsumer(tables[A]!, new ConflictResolver());
    const winner = { Id: 'O#1', Data: { p: 10 }, Timestamp: 2000, LastUpdatedRegion: B };
    const loser = { Id: 'O#1', Data: { p: 12 }, Timestamp: 500, LastUpdatedRegion: A };
    await tables[A]!.write({ kind: 'put', item: loser });
    expect(await consume({ oldImage: winner, newImage: loser })).toEqual({ winner, loser });
    expect(await tables[A]!.get('O#1')).toEqual(winner);
    // A record whose new image is already the winner needs nothing.
    expect(await consume({ oldImage: loser, newImage: winner })).toBeUndefined();
  });

  it('leaves a change that keeps the client writer alone: not a conflict (issue 10 item 1)', async () => {
    const { tables, trace } = setup('client-lww', 'none');
    const consume = createRepairConsumer(tables[A]!, new ConflictResolver());
    const before = { Id: 'O#1', Data: { status: 'new' }, Timestamp: 1000, LastUpdatedRegion: A };
    const after = { ...before, note: 'gift' }; // an update by code outside the application
    await tables[A]!.write({ kind: 'put', item: after });
    const writes = trace.length;
    expect(await consume({ oldImage: before, newImage: after })).toBeUndefined();
    expect(await consume({ oldImage: after, newImage: before })).toBeUndefined();
    expect(await tables[A]!.get('O#1')).toEqual(after);
    expect(trace.slice(writes)).toEqual([]);
  });

  it('does not touch items without a client Timestamp: no write, no failed condition (issue 10 item 1)', async () => {
    const { tables, trace } = setup('client-lww', 'none');
    const consume = createRepairConsumer(tables[A]!, new ConflictResolver());
    const before = { Id: 'K1', a: 1 };
    const after = { Id: 'K1', a: 1, note: 'gift' };
    await tables[A]!.write({ kind: 'put', item: after });
    const writes = trace.length;
    expect(await consume({ oldImage: before, newImage: after })).toBeUndefined();
    expect(await consume({ oldImage: after, newImage: before })).toBeUndefined();
    // A write by other code that drops the Timestamp of an application item stands too.
    expect(await consume({ oldImage: { Id: 'K1', Timestamp: 5000, LastUpdatedRegion: B }, newImage: after })).toBeUndefined();
    expect(trace.slice(writes)).toEqual([]);
  });

  it('repairs a same-Timestamp write from a lower region name, conditioned on an absent attribute staying absent', async () => {
    const { tables } = setup('client-lww', 'none');
    const consume = createRepairConsumer(tables[A]!, new ConflictResolver());
    const winner = { Id: 'O#2', Timestamp: 1000, LastUpdatedRegion: A, s: 'a' }; // 'us-east-1' > 'eu-west-1'
    const loser = { Id: 'O#2', Timestamp: 1000, LastUpdatedRegion: B, s: 'b' };
    await tables[A]!.write({ kind: 'put', item: loser });
    expect(await consume({ oldImage: winner, newImage: loser })).toEqual({ winner, loser });
    expect(await tables[A]!.get('O#2')).toEqual(winner);
    // A client-older image without LastUpdatedRegion: the guard is attribute_not_exists, not "= null".
    const older = { Id: 'O#3', Timestamp: 500 };
    const newer = { Id: 'O#3', Timestamp: 900, LastUpdatedRegion: B };
    await tables[A]!.write({ kind: 'put', item: older });
    expect(await consume({ oldImage: newer, newImage: older })).toEqual({ winner: newer, loser: older });
    expect(await tables[A]!.get('O#3')).toEqual(newer);
  });

  it('leaves the item alone when it changed since the record', async () => {
    const { tables } = setup('client-lww', 'none');
    const consume = createRepairConsumer(tables[A]!, new ConflictResolver());
    const winner = { Id: 'O#1', Timestamp: 2000, LastUpdatedRegion: B };
    const loser = { Id: 'O#1', Timestamp: 500, LastUpdatedRegion: A };
    const newest = { Id: 'O#1', Timestamp: 9000, LastUpdatedRegion: A };
    await tables[A]!.write({ kind: 'put', item: newest });
    expect(await consume({ oldImage: winner, newImage: loser })).toBeUndefined();
    expect(await tables[A]!.get('O#1')).toEqual(newest);
  });
});
