import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../../src/app/table-port.js';
import { STREAM_RETENTION_MS } from '../../../src/sim/lambda/dead-letter-queue.js';
import {
  TABLE_STREAM_DEFAULTS,
  TableStreamSource,
  eventNameOf,
  sequenceNumberOf,
  type StreamBatchResult,
  type TableStreamRecord,
  type TableStreamSettings,
} from '../../../src/sim/lambda/table-stream-source.js';
import { Rng } from '../../../src/sim/rng.js';
import { World } from '../../../src/sim/world.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { TraceRecorder } from '../../../src/trace/recorder.js';

const A = 'us-east-1';
const B = 'eu-west-1';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

interface Call {
  t: number;
  region: string;
  records: TableStreamRecord[];
}

/** A World (replication A→B and B→A in 500 ms) whose streams feed the source, and a stub stream handler. */
function setup(settings: Partial<TableStreamSettings>, answer: (records: TableStreamRecord[], world: World, call: number) => StreamBatchResult = () => ({ ok: true }), regions = [A, B]) {
  const recorder = new TraceRecorder();
  const lag = { distribution: 'fixed' as const, ms: 500 };
  const links = regions.length > 1 ? [{ from: A, to: B, lag }, { from: B, to: A, lag }] : [];
  const world = new World(
    { regions, replication: { links, coalesce: false, tieBreak: 'higher-region' } },
    new Rng(1),
    recorder,
  );
  const calls: Call[] = [];
  new TableStreamSource({ world, trace: recorder }, { ...TABLE_STREAM_DEFAULTS, ...settings }, async (region, records) => {
    calls.push({ t: world.now, region, records });
    return answer(records, world, calls.length);
  }).attach(world);
  const write = (t: number, region: string, op: WriteOp) => world.schedule(t, () => void world.write(region, op));
  const drain = async () => {
    while (await world.runNext()) {
      /* run everything */
    }
  };
  return { world, calls, trace: recorder.events, write, drain };
}

const ids = (c: Call) => c.records.map((r) => r.change.itemId).join(',');
const put = (id: string, v = 1): WriteOp => ({ kind: 'put', item: { Id: id, v } });
const throwNow = (_r: TableStreamRecord[], world: World): StreamBatchResult => ({ ok: false, error: 'throw', message: 'boom', failedAt: world.now });

describe("a stream handler on the table's own stream (aws-semantics §6.1)", () => {
  it('gets local and replicated changes in every region, with INSERT/MODIFY/REMOVE and increasing sequence numbers per region', async () => {
    const { calls, write, drain } = setup({});
    write(0, A, put('x'));
    write(10, A, put('x', 2));
    write(20, A, { kind: 'delete', id: 'x' });
    await drain();
    const inA = calls.filter((c) => c.region === A).flatMap((c) => c.records);
    const inB = calls.filter((c) => c.region === B).flatMap((c) => c.records);
    expect(inA.map((r) => [r.eventName, r.arrivedAt, r.sequenceNumber])).toEqual([
      ['INSERT', 0, sequenceNumberOf(1)],
      ['MODIFY', 10, sequenceNumberOf(2)],
      ['REMOVE', 20, sequenceNumberOf(3)],
    ]);
    // The replicated writes reach eu-west-1's stream 500 ms later, numbered in its own stream.
    expect(inB.map((r) => [r.eventName, r.arrivedAt, r.sequenceNumber])).toEqual([
      ['INSERT', 500, sequenceNumberOf(1)],
      ['MODIFY', 510, sequenceNumberOf(2)],
      ['REMOVE', 520, sequenceNumberOf(3)],
    ]);
    expect(inB[1]!.change.oldImage).toEqual({ Id: 'x', v: 1 });
    expect(inB[1]!.change.newImage).toEqual({ Id: 'x', v: 2 });
    // Equal length: string order is numeric order.
    expect(sequenceNumberOf(9) < sequenceNumberOf(10)).toBe(true);
    expect(sequenceNumberOf(1)).toHaveLength(21);
  });

  it('names each change from its images', () => {
    expect(eventNameOf({ region: A, itemId: 'x', oldImage: undefined, newImage: { Id: 'x' } })).toBe('INSERT');
    expect(eventNameOf({ region: A, itemId: 'x', oldImage: { Id: 'x' }, newImage: { Id: 'x' } })).toBe('MODIFY');
    expect(eventNameOf({ region: A, itemId: 'x', oldImage: { Id: 'x' }, newImage: undefined })).toBe('REMOVE');
  });

  it('drops records that do not match the filter criteria before batching', async () => {
    const { calls, write, drain } = setup({ eventNames: ['MODIFY', 'REMOVE'] });
    write(0, A, put('x'));
    write(10, A, put('x', 2));
    write(20, A, { kind: 'delete', id: 'x' });
    await drain();
    expect(calls.filter((c) => c.region === A).flatMap((c) => c.records.map((r) => r.eventName))).toEqual(['MODIFY', 'REMOVE']);
    // Sequence numbers count every record of the stream, filtered or not.
    expect(calls.find((c) => c.region === A)!.records[0]!.sequenceNumber).toBe(sequenceNumberOf(2));
  });

  it('takes batches of up to batchSize records in stream order, one batch at a time', async () => {
    const { calls, write, drain } = setup({ batchSize: 2 });
    for (const id of ['a', 'b', 'c']) write(0, A, put(id));
    write(5, A, put('d'));
    await drain();
    expect(calls.filter((c) => c.region === A).map((c) => `${c.t}:${ids(c)}`)).toEqual(['0:a,b', '0:c', '5:d']);
  });

  it('with a batching window, invokes when the oldest record has waited the window or a batch is full, whichever comes first', async () => {
    const { calls, write, drain } = setup({ batchSize: 3, maximumBatchingWindow: 1000 });
    write(0, A, put('a'));
    write(100, A, put('b'));
    // full at 2,100: invoked then, not at its first record's 3,000
    for (const [t, id] of [[2000, 'c'], [2050, 'd'], [2100, 'e']] as const) write(t, A, put(id));
    write(2200, A, put('f'));
    await drain();
    expect(calls.filter((c) => c.region === A).map((c) => `${c.t}:${ids(c)}`)).toEqual(['1000:a,b', '2100:c,d,e', '3200:f']);
    // replicated 500 ms later into eu-west-1's stream, gathered by its own window
    expect(calls.filter((c) => c.region === B).map((c) => `${c.t}:${ids(c)}`)).toEqual(['1500:a,b', '2600:c,d,e', '3700:f']);
  });

  it('with a batching window, records that came during an invocation go at its end when overdue, else when their window ends', async () => {
    const recorder = new TraceRecorder();
    const world = new World({ regions: [A], replication: { links: [], coalesce: false, tieBreak: 'higher-region' } }, new Rng(1), recorder, { continuations: true });
    const calls: string[] = [];
    new TableStreamSource({ world, trace: recorder }, { ...TABLE_STREAM_DEFAULTS, batchSize: 10, maximumBatchingWindow: 1000 }, async (_region, records) => {
      calls.push(`${world.now}:${records.map((r) => r.change.itemId).join(',')}`);
      if (calls.length <= 2) await world.after(3000); // the first two batches take 3 s each
      return { ok: true };
    }).attach(world);
    for (const [t, id] of [[0, 'a'], [3500, 'b'], [5000, 'c'], [7400, 'd'], [8000, 'e']] as const) world.schedule(t, () => void world.write(A, put(id)));
    while (await world.runNext()) {
      /* run everything */
    }
    // b came during the first batch (1,000 to 4,000) and waits out its window to 4,500; c came
    // during the second (4,500 to 7,500), overdue at its end: it goes then, with d; e as usual
    expect(calls).toEqual(['1000:a', '4500:b', '7500:c,d', '9000:e']);
  });

  it('with a batching window, records that came while a batch failed for good wait out their own window too (they went at the discard)', async () => {
    const recorder = new TraceRecorder();
    const world = new World({ regions: [A], replication: { links: [], coalesce: false, tieBreak: 'higher-region' } }, new Rng(1), recorder, { continuations: true });
    const calls: string[] = [];
    new TableStreamSource({ world, trace: recorder }, { ...TABLE_STREAM_DEFAULTS, batchSize: 10, maximumBatchingWindow: 1000, maximumRetryAttempts: 0 }, async (_region, records) => {
      calls.push(`${world.now}:${records.map((r) => r.change.itemId).join(',')}`);
      if (calls.length > 1) return { ok: true };
      await world.after(500);
      return { ok: false, error: 'throw', message: 'boom', failedAt: world.now };
    }).attach(world);
    for (const [t, id] of [[0, 'a'], [1200, 'b']] as const) world.schedule(t, () => void world.write(A, put(id)));
    while (await world.runNext()) {
      /* run everything */
    }
    // a fails at 1,500 and is discarded; b (1,200) goes when its window ends, at 2,200
    expect(calls).toEqual(['1000:a', '2200:b']);
    expect(of(recorder.events, 'stream-records-discarded').map((e) => e.records)).toEqual([['a#1']]);
  });

  it('a replicated delete of an item the region has deleted too reaches no handler (it came as an INSERT with no images)', async () => {
    const { calls, write, drain } = setup({});
    write(0, A, put('x'));
    write(3000, A, { kind: 'delete', id: 'x' });
    write(3000, B, { kind: 'delete', id: 'x' });
    await drain();
    const seen = (region: string) => calls.filter((c) => c.region === region).flatMap((c) => c.records.map((r) => `${r.arrivedAt}:${r.eventName}`));
    expect(seen(A)).toEqual(['0:INSERT', '3000:REMOVE']);
    expect(seen(B)).toEqual(['500:INSERT', '3000:REMOVE']);
  });

  it('blocks the shard while a batch retries, then discards it as RetryAttemptsExhausted and moves on', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 1, maximumRetryAttempts: 2, retryDelay: 1000 }, (records, world) => (records[0]!.change.itemId === 'bad' ? throwNow(records, world) : { ok: true }));
    write(0, A, put('bad'));
    write(0, A, put('next'));
    await drain();
    expect(calls.filter((c) => c.region === A).map((c) => `${c.t}:${ids(c)}`)).toEqual(['0:bad', '1000:bad', '3000:bad', '3000:next']);
    const failed = of(trace, 'lambda-attempt-failed').filter((f) => f.region === A);
    expect(failed.map((f) => [f.t, f.invocation, f.eventIds, f.attempt])).toEqual([
      [0, 'table-stream', ['bad#1'], 1],
      [1000, 'table-stream', ['bad#1'], 2],
      [3000, 'table-stream', ['bad#1'], 3],
    ]);
    expect(of(trace, 'stream-records-discarded').filter((d) => d.region === A)).toEqual([
      expect.objectContaining({ t: 3000, records: ['bad#1'], firstSequenceNumber: sequenceNumberOf(1), lastSequenceNumber: sequenceNumberOf(1), reason: 'RetryAttemptsExhausted', attempts: 3, error: 'throw: boom' }),
    ]);
  });

  it('with MaximumRetryAttempts -1 retries until the record is older than MaximumRecordAge', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 1, maximumRecordAge: 60_000, retryDelay: 10_000 }, throwNow);
    write(0, A, put('bad'));
    await drain();
    expect(calls.filter((c) => c.region === A).map((c) => c.t)).toEqual([0, 10_000, 30_000]);
    // the retry due at 70 s finds the record 70 s old: discarded then, not at 30 s when it was 30 s old
    expect(of(trace, 'stream-records-discarded').find((d) => d.region === A)).toMatchObject({ t: 70_000, reason: 'record-expired', attempts: 3, error: 'throw: boom' });
  });

  it('discards, unsent, records that waited behind a blocked shard past MaximumRecordAge (after 0 attempts); younger ones are still sent', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 1, maximumRecordAge: 60_000, retryDelay: 10_000 }, (records, world) =>
      records[0]!.change.itemId === 'bad' ? throwNow(records, world) : { ok: true },
    );
    write(0, A, put('bad'));
    write(1, A, put('old'));
    write(65_000, A, put('young'));
    await drain();
    // bad's retry at 70 s finds it expired; old, behind it since 1 ms, is 70 s old: never sent.
    expect(calls.filter((c) => c.region === A).map((c) => `${c.t}:${ids(c)}`)).toEqual(['0:bad', '10000:bad', '30000:bad', '70000:young']);
    expect(of(trace, 'stream-records-discarded').filter((d) => d.region === A).map((d) => [d.t, d.records, d.reason, d.attempts, d.error])).toEqual([
      [70_000, ['bad#1'], 'record-expired', 3, 'throw: boom'],
      [70_000, ['old#2'], 'record-expired', 0, 'past its maximum age before Lambda sent it'],
    ]);
  });

  it('with the defaults retries until the stream drops the record after 24 hours', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 1 }, throwNow);
    write(0, A, put('bad'));
    await drain();
    const times = calls.filter((c) => c.region === A).map((c) => c.t);
    expect(times.at(-1)).toBeLessThanOrEqual(STREAM_RETENTION_MS);
    expect(times.at(-1)! + 60_000).toBeGreaterThan(STREAM_RETENTION_MS);
    // discarded by the first retry that finds it gone from the stream, never before it is 24 h old
    const discarded = of(trace, 'stream-records-discarded').find((d) => d.region === A);
    expect(discarded).toMatchObject({ t: times.at(-1)! + 60_000, reason: 'record-expired' });
    expect(discarded!.t).toBeGreaterThan(STREAM_RETENTION_MS);
  });

  it('bisects a failing batch without using the retry quota, isolating the bad record', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 4, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, retryDelay: 1000 }, (records, world) =>
      records.some((r) => r.change.itemId === 'r3') ? throwNow(records, world) : { ok: true },
    );
    for (const id of ['r1', 'r2', 'r3', 'r4']) write(0, A, put(id));
    await drain();
    expect(calls.filter((c) => c.region === A).map(ids)).toEqual(['r1,r2,r3,r4', 'r1,r2', 'r3,r4', 'r3', 'r4']);
    expect(of(trace, 'lambda-retry-scheduled').filter((r) => r.region === A).map((r) => r.bisected ?? false)).toEqual([true, true]);
    expect(of(trace, 'stream-records-discarded').filter((d) => d.region === A).map((d) => d.records)).toEqual([['r3#3']]);
  });

  it('batchItemFailures: checkpoints the records before failedFrom and retries from it, using a retry', async () => {
    const { calls, trace, write, drain } = setup(
      { batchSize: 10, maximumRetryAttempts: 1, retryDelay: 1000 },
      (records, _w, call) => (call === 1 ? { ok: true, failedFrom: records[1]!.sequenceNumber } : { ok: true }),
      [A],
    );
    for (const id of ['a', 'b', 'c']) write(0, A, put(id));
    await drain();
    const inA = calls.filter((c) => c.region === A);
    expect(inA.map((c) => `${c.t}:${ids(c)}`)).toEqual(['0:a,b,c', '1000:b,c']);
    expect(of(trace, 'lambda-attempt-failed').filter((f) => f.region === A)).toMatchObject([{ t: 0, eventIds: ['b#2', 'c#3'], error: 'function-error', message: `batchItemFailures from ${sequenceNumberOf(2)}` }]);
    expect(of(trace, 'lambda-retry-scheduled').filter((r) => r.region === A)).toMatchObject([{ at: 1000, eventIds: ['b#2', 'c#3'] }]);
  });

  it('batchItemFailures with bisection: the cut at failedFrom is free; a failure at the first record is a whole-batch failure', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 10, maximumRetryAttempts: 0, bisectBatchOnFunctionError: true, retryDelay: 1000 }, (records) => {
      const b = records.find((r) => r.change.itemId === 'b');
      return b ? { ok: true, failedFrom: b.sequenceNumber } : { ok: true };
    });
    for (const id of ['a', 'b', 'c']) write(0, A, put(id));
    await drain();
    // a,b,c → cut at b (free) → b,c fails at its first record → bisected → b alone, no retries left.
    expect(calls.filter((c) => c.region === A).map(ids)).toEqual(['a,b,c', 'b,c', 'b', 'c']);
    expect(of(trace, 'lambda-retry-scheduled').filter((r) => r.region === A).map((r) => [r.eventIds, r.bisected])).toEqual([
      [['b#2', 'c#3'], true],
      [['b#2'], true],
    ]);
    expect(of(trace, 'stream-records-discarded').filter((d) => d.region === A).map((d) => d.records)).toEqual([['b#2']]);
  });

  it('treats a failedFrom that is not in the batch as a failure of the whole batch', async () => {
    const { calls, trace, write, drain } = setup({ maximumRetryAttempts: 1 }, (_r, _w, call) => (call === 1 ? { ok: true, failedFrom: '1' } : { ok: true }), [A]);
    write(0, A, put('a'));
    await drain();
    expect(calls.filter((c) => c.region === A).map(ids)).toEqual(['a', 'a']);
    expect(of(trace, 'lambda-attempt-failed')[0]).toMatchObject({ eventIds: ['a#1'], message: 'batchItemFailures named 1, not in the batch' });
  });

  it('reports a timed-out batch at its timeout and retries after it', async () => {
    const { calls, trace, write, drain } = setup(
      { maximumRetryAttempts: 1, retryDelay: 1000 },
      (_r, world, call) => (call === 1 ? { ok: false, error: 'timeout', message: 'Task timed out', failedAt: world.now + 3000 } : { ok: true }),
      [A],
    );
    write(0, A, put('a'));
    await drain();
    expect(of(trace, 'lambda-attempt-failed').filter((f) => f.region === A)).toMatchObject([{ t: 3000, error: 'timeout' }]);
    expect(calls.filter((c) => c.region === A).map((c) => c.t)).toEqual([0, 4000]);
  });

  it('discards unread records that waited behind a blocked shard past the 24 h retention', async () => {
    const { calls, trace, write, drain } = setup({ batchSize: 1, maximumRetryAttempts: 1, retryDelay: 1000 }, (records, world) =>
      records[0]!.change.itemId === 'slow' ? { ok: false, error: 'timeout', message: 'Task timed out', failedAt: world.now + STREAM_RETENTION_MS + 10 } : { ok: true },
    );
    write(0, A, put('slow'));
    write(1, A, put('late'));
    await drain();
    expect(calls.filter((c) => c.region === A).map(ids)).toEqual(['slow']);
    expect(of(trace, 'stream-records-discarded').filter((d) => d.region === A).map((d) => [d.records, d.reason, d.error])).toEqual([
      [['slow#1'], 'record-expired', 'timeout: Task timed out'],
      [['late#2'], 'record-expired', 'trimmed from the stream (24 h retention) before Lambda read it'],
    ]);
  });

  it('waits for a region that is down, then reads its stream from where it stopped', async () => {
    const { world, calls, write, drain } = setup({});
    world.schedule(0, () => world.setRegionDown(B, true));
    write(0, A, put('a'));
    world.schedule(2000, () => world.setRegionDown(B, false));
    await drain();
    expect(calls.map((c) => `${c.t}:${c.region}`)).toEqual(['0:us-east-1', '2000:eu-west-1']);
  });
});
