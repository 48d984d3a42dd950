import { describe, expect, it } from 'vitest';
import type { Tmf688Envelope } from '../../../src/app/event.js';
import type { EventSpec } from '../../../src/scenario/model.js';
import { DeadLetterQueues } from '../../../src/sim/lambda/dead-letter-queue.js';
import type { EventJob } from '../../../src/sim/lambda/invocation.js';
import { SQS_DEFAULTS, SQS_RETENTION_MS, SqsSource, type SqsBatchResult, type SqsSettings } from '../../../src/sim/lambda/sqs-source.js';
import { Rng } from '../../../src/sim/rng.js';
import { World } from '../../../src/sim/world.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { TraceRecorder } from '../../../src/trace/recorder.js';

const A = 'us-east-1';
const B = 'eu-west-1';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

function job(id: string, region = A): EventJob {
  const spec = { id, region, key: `k-${id}`, item: `I-${id}`, data: {}, type: 'T', domain: 'd', priority: '4', correlationId: id } as EventSpec;
  return { spec, region, envelope: { eventId: id } as Tmf688Envelope, clientTime: 0, attempts: 0 };
}

interface Call {
  t: number;
  region: string;
  ids: string[];
  receiveCounts: number[];
}

/**
 * A World as the timeline and a stub function: `answer` decides each invocation's result from the
 * batch (default: success), `work` ms of virtual time pass inside the invocation.
 */
function setup(settings: Partial<SqsSettings>, answer: (ids: string[], world: World) => SqsBatchResult | Promise<SqsBatchResult> = () => ({ ok: true, failed: [] }), work = 0) {
  const recorder = new TraceRecorder();
  const world = new World(
    { regions: [A, B], replication: { links: [], coalesce: false, tieBreak: 'higher-region' } },
    new Rng(1),
    recorder,
    { continuations: true },
  );
  const dlq = new DeadLetterQueues(world, recorder);
  const calls: Call[] = [];
  const source = new SqsSource({ world, trace: recorder }, dlq, { ...SQS_DEFAULTS, ...settings }, async (region, jobs) => {
    calls.push({ t: world.now, region, ids: jobs.map((j) => j.job.spec.id), receiveCounts: jobs.map((j) => j.receiveCount) });
    if (work) await world.after(work);
    const result = await answer(
      jobs.map((j) => j.job.spec.id),
      world,
    );
    // The stub names failures by id; the source wants the jobs it gave.
    return result.ok ? { ok: true, failed: result.failed.map((f) => jobs.find((j) => j.job.spec.id === f.spec.id)?.job ?? f) } : result;
  });
  const drain = async () => {
    while (await world.runNext()) {
      /* run everything */
    }
  };
  return { world, source, dlq, calls, trace: recorder.events, drain };
}

const failIds = (...ids: string[]) => ({ ok: true as const, failed: ids.map((id) => job(id)) });
const throwing: SqsBatchResult = { ok: false, error: 'throw', message: 'boom', failedAt: 0 };
const throwNow = (_ids: string[], world: World): SqsBatchResult => ({ ...throwing, failedAt: world.now });

describe('SQS queue and Lambda event source mapping (aws-semantics §6.4)', () => {
  it('receives visible messages in batches of batchSize, in the order they were sent, and deletes them on success', async () => {
    const { source, calls, trace, drain } = setup({ batchSize: 2 });
    for (const id of ['a', 'b', 'c']) source.append(job(id));
    source.append(job('x', B));
    await drain();
    expect(calls.map((c) => `${c.t}:${c.region}:${c.ids.join(',')}`)).toEqual(['0:us-east-1:a,b', '0:us-east-1:c', '0:eu-west-1:x']);
    expect(calls.every((c) => c.receiveCounts.every((n) => n === 1))).toBe(true);
    expect(source.size(A) + source.size(B)).toBe(0);
    expect(of(trace, 'lambda-attempt-failed')).toEqual([]);
  });

  it('makes a whole batch that throws visible again a visibility timeout after it was received, with a higher receive count', async () => {
    let n = 0;
    const { source, calls, trace, drain } = setup({ batchSize: 10, visibilityTimeout: 30_000 }, (ids, world) => (n++ === 0 ? throwNow(ids, world) : { ok: true, failed: [] }));
    source.append(job('a'));
    source.append(job('b'));
    await drain();
    expect(calls.map((c) => [c.t, c.ids, c.receiveCounts])).toEqual([
      [0, ['a', 'b'], [1, 1]],
      [30_000, ['a', 'b'], [2, 2]],
    ]);
    expect(of(trace, 'lambda-attempt-failed')).toMatchObject([{ t: 0, region: A, invocation: 'sqs', eventIds: ['a', 'b'], attempt: 1, error: 'throw', message: 'boom' }]);
    expect(of(trace, 'lambda-retry-scheduled')).toMatchObject([{ t: 0, invocation: 'sqs', eventIds: ['a', 'b'], attempt: 2, at: 30_000 }]);
    expect(source.size(A)).toBe(0);
  });

  it('with ReportBatchItemFailures sends back only the messages batchItemFailures names; the others are deleted', async () => {
    let n = 0;
    const { source, calls, trace, drain } = setup({}, () => (n++ === 0 ? failIds('b') : { ok: true, failed: [] }));
    for (const id of ['a', 'b', 'c']) source.append(job(id));
    await drain();
    expect(calls.map((c) => [c.t, c.ids])).toEqual([
      [0, ['a', 'b', 'c']],
      [30_000, ['b']],
    ]);
    expect(of(trace, 'lambda-attempt-failed')).toMatchObject([{ t: 0, eventIds: ['b'], error: 'function-error', message: 'batchItemFailures named 1 of 3 messages' }]);
  });

  it('without ReportBatchItemFailures ignores the response: a returned batch is a success', async () => {
    const { source, calls, trace, drain } = setup({ reportBatchItemFailures: false }, () => failIds('b'));
    for (const id of ['a', 'b']) source.append(job(id));
    await drain();
    expect(calls).toHaveLength(1);
    expect(of(trace, 'lambda-attempt-failed')).toEqual([]);
    expect(source.size(A)).toBe(0);
  });

  it('fails the whole batch when batchItemFailures names a message that is not in it', async () => {
    let n = 0;
    const { source, calls, trace, drain } = setup({}, () => (n++ === 0 ? failIds('nope') : { ok: true, failed: [] }));
    source.append(job('a'));
    source.append(job('b'));
    await drain();
    expect(calls.map((c) => c.ids)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(of(trace, 'lambda-attempt-failed')[0]).toMatchObject({ eventIds: ['a', 'b'], message: 'batchItemFailures named a message that is not in the batch' });
  });

  it('moves a message to the dead-letter queue when it would be received past maxReceiveCount', async () => {
    const { source, dlq, calls, trace, drain } = setup({ maxReceiveCount: 3, visibilityTimeout: 30_000 }, throwNow);
    source.append(job('a'));
    await drain();
    expect(calls.map((c) => [c.t, c.receiveCounts[0]])).toEqual([
      [0, 1],
      [30_000, 2],
      [60_000, 3],
    ]);
    expect(of(trace, 'lambda-retry-scheduled').map((r) => r.at)).toEqual([30_000, 60_000]);
    expect(of(trace, 'dead-lettered')).toMatchObject([{ t: 90_000, eventId: 'a', source: 'sqs', attempts: 3, metadataOnly: false, error: 'maxReceiveCount 3 reached: throw: boom' }]);
    expect(dlq.size(A)).toBe(1);
    expect(source.size(A)).toBe(0);
  });

  it('without a dead-letter queue receives the message until its 4-day retention ends, then loses it', async () => {
    const { source, calls, trace, drain } = setup({ deadLetterQueue: false, maxReceiveCount: 1, visibilityTimeout: 12 * 3_600_000 }, throwNow);
    source.append(job('a'));
    await drain();
    // Received at 0, 12 h, ... 84 h: the 8th failure would make it visible at 96 h, when retention ends.
    expect(calls.map((c) => c.t / 3_600_000)).toEqual([0, 12, 24, 36, 48, 60, 72, 84]);
    expect(of(trace, 'dead-lettered')).toEqual([]);
    expect(of(trace, 'event-lost')).toMatchObject([{ t: SQS_RETENTION_MS, eventId: 'a' }]);
    expect(of(trace, 'event-lost')[0]!.reason).toContain('retention (4 days) ended after 8 receives');
  });

  it('reports a timed-out batch at the timeout; its messages are visible again a visibility timeout after the receive', async () => {
    let n = 0;
    const { source, calls, trace, drain } = setup({ visibilityTimeout: 30_000 }, (_ids, world) => (n++ === 0 ? { ok: false, error: 'timeout', message: 'Task timed out after 5.00 seconds', failedAt: world.now + 5000 } : { ok: true, failed: [] }));
    source.append(job('a'));
    await drain();
    expect(of(trace, 'lambda-attempt-failed')).toMatchObject([{ t: 5000, error: 'timeout' }]);
    expect(calls.map((c) => c.t)).toEqual([0, 30_000]);
  });

  it('receives a message made visible again even when a poll was already due at that instant', async () => {
    let n = 0;
    // Every invocation takes 100 ms; the first times out at 30 s, when it is visible again, and a
    // new message's poll is already due then.
    const { world, source, calls, drain } = setup(
      { visibilityTimeout: 30_000 },
      (_ids, w) => (n++ === 0 ? { ok: false, error: 'timeout', message: 'timed out', failedAt: w.now + 29_900 } : { ok: true, failed: [] }),
      100,
    );
    source.append(job('a'));
    world.schedule(30_000, () => source.append(job('b')));
    await drain();
    expect(calls.map((c) => `${c.t}:${c.ids.join(',')}`)).toEqual(['0:a', '30000:b', '30000:a']);
    expect(source.size(A)).toBe(0);
  });

  it('runs batches of a region concurrently, up to maximumConcurrency', async () => {
    const unlimited = setup({ batchSize: 1 }, undefined, 100);
    for (const id of ['a', 'b', 'c']) unlimited.source.append(job(id));
    await unlimited.drain();
    expect(unlimited.calls.map((c) => c.t)).toEqual([0, 0, 0]);

    const limited = setup({ batchSize: 1, maximumConcurrency: 2 }, undefined, 100);
    for (const id of ['a', 'b', 'c']) limited.source.append(job(id));
    await limited.drain();
    expect(limited.calls.map((c) => `${c.t}:${c.ids[0]}`)).toEqual(['0:a', '0:b', '100:c']);
  });

  it('a message that arrives while a batch is in flight goes in a batch of its own, at once', async () => {
    const { world, source, calls, drain } = setup({}, undefined, 100);
    source.append(job('a'));
    world.schedule(50, () => source.append(job('b')));
    await drain();
    expect(calls.map((c) => `${c.t}:${c.ids.join(',')}`)).toEqual(['0:a', '50:b']);
  });

  it('holds the messages of a region that is down until it is up again', async () => {
    const { world, source, calls, drain } = setup({});
    world.setRegionDown(A, true);
    source.append(job('a'));
    world.schedule(1000, () => world.setRegionDown(A, false));
    await drain();
    expect(calls.map((c) => c.t)).toEqual([1000]);
  });
});
