import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { Rng } from '../../../src/sim/rng.js';
import { World } from '../../../src/sim/world.js';
import { REPLICATED_WRITE_CONFLICT_MESSAGE } from '../../../src/sim/mrsc/errors.js';
import { TraceRecorder } from '../../../src/trace/recorder.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

const THREE = 'mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nreplication: { lag: { distribution: fixed, ms: 30 } }\napplication: { strategy: service-lww, idempotency: none }\n';
/** Three replicas; us-east-1 and us-east-2 are 10 and 12 ms apart, every other leg 30 ms. */
const NEAR_EAST_2 = `mode: mrsc
regions: [us-east-1, us-east-2, us-west-2]
replication:
  lag: { distribution: fixed, ms: 30 }
  links:
    - { from: us-east-1, to: us-east-2, lag: { distribution: fixed, ms: 10 } }
    - { from: us-east-2, to: us-east-1, lag: { distribution: fixed, ms: 12 } }
application: { strategy: service-lww, idempotency: none }
`;
const WITNESS = 'mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nreplication: { lag: { distribution: fixed, ms: 30 } }\napplication: { strategy: service-lww, idempotency: none }\n';
/** MRSC on `regions` (three replicas, or two and `witness`), every leg `ms` unless one of `links` (`from>to: ms` or a lag spec) says otherwise. */
function withLinks(ms: number, links: Record<string, number | string>, regions = '[us-east-1, us-east-2, us-west-2]', witness?: string): string {
  const lines = Object.entries(links).map(([pair, lag]) => {
    const [from, to] = pair.split('>');
    return `    - { from: ${from}, to: ${to}, lag: ${typeof lag === 'number' ? `{ distribution: fixed, ms: ${lag} }` : lag} }\n`;
  });
  return `mode: mrsc\nregions: ${regions}\n${witness ? `witness: ${witness}\n` : ''}replication:\n  lag: { distribution: fixed, ms: ${ms} }\n  links:\n${lines.join('')}application: { strategy: service-lww, idempotency: none }\n`;
}

async function run(yaml: string) {
  return runScenario(scenarioFromYaml(yaml));
}

function kinds<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Extract<TraceEvent, { kind: K }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

describe('MRSC in the model: linearised writes', () => {
  it('a write is the latest version everywhere at once for a strong read and a condition: the confirming replica has it, the third takes it on the read', async () => {
    const report = await run(`${THREE}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 1, read: { region: us-west-2, item: K, consistency: strong, expect: { v: 1 } } }
  - { at: 100, put: { region: us-east-2, item: { Id: K, v: 2 }, condition: { notExists: Id } } }
`);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    // every leg 30 ms: us-east-2 (the first of the two nearest) confirms and has the write at once
    expect(kinds(report.trace, 'replication-applied').filter((e) => e.t === 0).map((e) => e.to)).toEqual(['us-east-2']);
    // us-west-2's copy is on its way (the link's 30 ms); the strong read at 1 ms takes it from the quorum
    expect(kinds(report.trace, 'replication-sent').map((e) => [e.from, e.to, e.arrivesAt])).toEqual([['us-east-1', 'us-west-2', 30]]);
    expect(kinds(report.trace, 'replication-applied').filter((e) => e.to === 'us-west-2').map((e) => [e.t, e.from])).toEqual([[1, 'us-east-1']]);
    expect(kinds(report.trace, 'condition-failed')).toMatchObject([{ region: 'us-east-2', itemId: 'K', current: { v: 1 } }]);
    expect(report.counts.conflicts).toBe(0);
  });

  it('an eventually consistent read in the replica that did not confirm a write misses it until it arrives (aws-semantics §2); a strong read or a write there takes it first, once', async () => {
    // us-east-1 → us-east-2 is 10/12 ms (it confirms); us-east-1 → us-west-2 takes 500 ms
    const yaml = `${withLinks(30, { 'us-east-1>us-east-2': 10, 'us-east-2>us-east-1': 12, 'us-east-1>us-west-2': 500 })}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 5, read: { region: us-east-2, item: K, expect: { v: 1 } } }
  - { at: 100, read: { region: us-west-2, item: K, expect: null } }
  - { at: 200, put: { region: us-west-2, item: { Id: K, v: 2 }, condition: { notExists: Id } } }
  - { at: 300, read: { region: us-west-2, item: K, expect: { v: 1 } } }
`;
    const report = await run(yaml);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(report.assertions.filter((a) => a.source === 'step').map((a) => a.at)).toEqual([5, 100, 300]);
    // the write in us-west-2 took the version first: its condition saw v1
    expect(kinds(report.trace, 'condition-failed')).toMatchObject([{ t: 200, region: 'us-west-2', itemId: 'K', current: { v: 1 } }]);
    // applied there once, when the write took it, not again when its delivery came due at 500
    expect(kinds(report.trace, 'replication-applied').filter((e) => e.to === 'us-west-2').map((e) => [e.t, e.fromQuorum])).toEqual([[200, true]]);
    expect(report.final['us-west-2']).toEqual(report.final['us-east-1']);

    // without the write, the eventual read at 300 still misses it; one after it arrives sees it
    const eventualOnly = await run(yaml.replace(/ {2}- \{ at: 200, put.*\n/, '').replace('at: 300, read: { region: us-west-2, item: K, expect: { v: 1 } }', 'at: 300, read: { region: us-west-2, item: K, expect: null } }\n  - { at: 501, read: { region: us-west-2, item: K, expect: { v: 1 } }'));
    expect(eventualOnly.assertions.every((a) => a.passed)).toBe(true);
    expect(eventualOnly.assertions.filter((a) => a.source === 'step').map((a) => a.at)).toEqual([5, 100, 300, 501]);
    expect(kinds(eventualOnly.trace, 'replication-applied').filter((e) => e.to === 'us-west-2').map((e) => [e.t, e.fromQuorum])).toEqual([[500, undefined]]);
  });

  it('an item’s writes land in order in every replica: the confirming replica’s copy waits for the item’s earlier write still on its way there (no last-writer-wins discard on MRSC)', async () => {
    // us-east-2 confirms the write at 0 (10 + 10 ms); us-west-2 the one at 5 ms (10 + 10), while the
    // first write's copy to it is still on its way (50 ms)
    const near = '{ distribution: sequence, ms: [10, 100, 100] }';
    const far = '{ distribution: sequence, ms: [50, 10, 10] }';
    const report = await run(`${withLinks(35, { 'us-east-1>us-east-2': near, 'us-east-2>us-east-1': near, 'us-east-1>us-west-2': far, 'us-west-2>us-east-1': far })}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: X, n: 1 } } }
  - { at: 5, put: { region: us-east-1, item: { Id: X, n: 2 } } }
`);
    expect(kinds(report.trace, 'replication-discarded')).toEqual([]);
    expect(report.counts.discardedWrites).toBe(0);
    expect(kinds(report.trace, 'replication-applied').filter((e) => e.to === 'us-west-2').map((e) => [e.t, e.after?.n, e.fromQuorum])).toEqual([
      [5, 1, true],
      [5, 2, undefined],
    ]);
  });

  it('a write a paused link held and a strong read or write took through the quorum is not counted as released when the link resumes', async () => {
    const report = await run(`${withLinks(35, { 'us-east-1>us-east-2': 12, 'us-east-2>us-east-1': 12 })}faults:
  - { at: 0, until: 5s, pauseReplication: { from: us-east-1, to: us-west-2, continuesFor: 0s } }
steps:
  - { at: 100, put: { region: us-east-1, item: { Id: X, n: 1 } } }
  - { at: 200, read: { region: us-west-2, item: X, consistency: eventual, expect: null } }
  - { at: 300, read: { region: us-west-2, item: X, consistency: strong, expect: { n: 1 } } }
  - { at: 6s, read: { region: us-west-2, item: X, expect: { n: 1 } } }
`);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(kinds(report.trace, 'replication-applied').filter((e) => e.to === 'us-west-2').map((e) => [e.t, e.heldSince, e.fromQuorum])).toEqual([[300, 135, true]]);
    expect(kinds(report.trace, 'fault-ended')).toMatchObject([{ t: 5000, released: 0 }]);
  });

  it('with a witness confirming, the other replica gets the write after its link’s lag; a strong BatchGetItem takes it (and without quorum is refused)', () => {
    const scenario = scenarioFromYaml(`${withLinks(30, { 'us-east-1>us-east-2': 400, 'us-east-2>us-east-1': 400 }, '[us-east-1, us-east-2]', 'us-west-2')}steps:
  - { at: 10s, read: { region: us-east-1, item: Z } }
`);
    const world = new World(scenario, new Rng(1), new TraceRecorder());
    world.call('us-east-1', 'PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'K' }, v: { N: '1' } } });
    const batch = (consistent: boolean) => world.call('us-east-2', 'BatchGetItem', { RequestItems: { GlobalEventTable: { Keys: [{ Id: { S: 'K' } }], ...(consistent ? { ConsistentRead: true } : {}) } } });
    const got = (out: Record<string, unknown>) => ((out.Responses as Record<string, unknown[]>).GlobalEventTable ?? []).length;
    expect(got(batch(false))).toBe(0);
    expect(got(batch(true))).toBe(1);
    // cut off from both others, us-east-2 refuses a strong batch read as it refuses a strong GetItem
    for (const other of ['us-east-1', 'us-west-2']) {
      world.pauseLink('us-east-2', other);
      world.pauseLink(other, 'us-east-2');
    }
    expect(() => batch(true)).toThrow(DynamoDBError);
    expect(got(batch(false))).toBe(1);
  });

  it("a write's answer comes after the round trip to the nearest other region (fixed 30 ms legs: 60 ms)", async () => {
    const report = await run(`${THREE}steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: K, data: { x: 1 } } }
`);
    expect(kinds(report.trace, 'local-write')).toMatchObject([{ t: 0, answeredAt: 60 }]);
    expect(kinds(report.trace, 'event-outcome')).toMatchObject([{ t: 60, outcome: 'applied' }]);
  });

  it("a strongly consistent read's answer, like a write's, comes after the round trip to the nearest other region (it answered at once); an eventual read's at once", async () => {
    const report = await run(`${withLinks(30, { 'us-west-2>us-east-1': 20, 'us-east-1>us-west-2': 25 })}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 100, read: { region: us-west-2, item: K, consistency: strong, expect: { v: 1 } } }
  - { at: 100, read: { region: us-west-2, item: K, consistency: eventual, expect: { v: 1 } } }
  - { at: 300, read: { region: us-west-2, key: { Id: K }, consistent: true, expect: { v: 1 } } }
`);
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    // us-west-2's nearest is us-east-1: 20 + 25 ms; traced when the answer came, saying when it was asked
    expect(kinds(report.trace, 'read').map((r) => [r.t, r.consistency, r.askedAt])).toEqual([
      [100, 'eventual', undefined],
      [145, 'strong', 100],
      [345, 'strong', 300],
    ]);
  });

  it("the built-in application's strongly consistent read before its write adds a round trip to the event's answer (version strategy: read 45 ms, write 45 ms)", async () => {
    const report = await run(`${withLinks(30, { 'us-west-2>us-east-1': 20, 'us-east-1>us-west-2': 25 }).replace('strategy: service-lww', 'strategy: version')}steps:
  - { at: 0, event: { id: e1, region: us-west-2, item: K, data: { x: 1 } } }
`);
    expect(kinds(report.trace, 'local-write')).toMatchObject([{ t: 45, answeredAt: 90 }]);
    expect(kinds(report.trace, 'event-outcome')).toMatchObject([{ t: 90, outcome: 'applied' }]);
  });

  it('the nearest region answers: the round trip is the smaller of the two others', async () => {
    const report = await run(`${NEAR_EAST_2}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K } } }
  - { at: 100, put: { region: us-west-2, item: { Id: K } } }
`);
    expect(kinds(report.trace, 'local-write').map((e) => e.answeredAt)).toEqual([22, 160]);
  });

  it('a region a fault cuts off before its answer would arrive confirms nothing: the next nearest answers, or none (no quorum)', async () => {
    // us-east-1's nearest is us-east-2 (22 ms), which goes down 5 ms into the round trip: us-west-2 answers (60 ms)
    const nearestDown = await run(`${NEAR_EAST_2}faults:
  - { at: 1005, until: 2s, outage: { region: us-east-2 } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: K } } }
  - { at: 1100, put: { region: us-east-1, item: { Id: L } } }
`);
    expect(kinds(nearestDown.trace, 'local-write').filter((e) => e.region === 'us-east-1').map((e) => [e.itemId, e.answeredAt])).toEqual([['K', 1060], ['L', 1160]]);
    // the witness, the only region us-east-1 reaches, goes down 10 ms into its 60 ms round trip: refused
    const witnessDown = await run(`${WITNESS}faults:
  - { at: 1s, until: 3s, pauseReplication: { region: us-east-2, continuesFor: 0s } }
  - { at: 1010, until: 3s, outage: { region: us-west-2 } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: X } } }
  - { at: 4s, put: { region: us-east-1, item: { Id: Y } } }
`);
    expect(kinds(witnessDown.trace, 'operation-failed').map((e) => [e.t, e.itemId, e.error.name, e.error.message])).toEqual([
      [1000, 'X', 'InternalServerError', 'Internal server error (every Region us-east-1 reaches is cut off before it can confirm the write: no quorum)'],
    ]);
    expect(kinds(witnessDown.trace, 'local-write').map((e) => [e.itemId, e.answeredAt])).toEqual([['Y', 4060]]);
  });

  it("a writer whose own region goes down before any answer is refused in those words (it said every region it reaches is cut off, while both were up)", async () => {
    // us-east-1 goes down 10 ms into its 60 ms round trips; us-east-2 and us-west-2 stay up
    const selfDown = await run(`${THREE}faults:
  - { at: 1010, until: 3s, outage: { region: us-east-1 } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: X } } }
`);
    expect(kinds(selfDown.trace, 'operation-failed').map((e) => [e.t, e.itemId, e.error.name, e.error.message])).toEqual([
      [1000, 'X', 'InternalServerError', 'Internal server error (us-east-1 goes down before another Region can confirm the write: no quorum)'],
    ]);
    // its own outage after the nearest answer is no cut: the write goes through
    const after = await run(`${NEAR_EAST_2}faults:
  - { at: 1030, until: 3s, outage: { region: us-east-1 } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: X } } }
`);
    expect(kinds(after.trace, 'local-write').map((e) => [e.itemId, e.answeredAt])).toEqual([['X', 1022]]);
  });
});

describe('MRSC: ReplicatedWriteConflictException', () => {
  it('refuses a write from another region while a write to the item is in flight, and not after', async () => {
    const report = await run(`${THREE}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 59, put: { region: us-east-2, item: { Id: K, v: 2 } } }
  - { at: 60, put: { region: us-west-2, item: { Id: K, v: 3 } } }
`);
    const refused = kinds(report.trace, 'operation-failed');
    expect(refused).toMatchObject([{ t: 59, region: 'us-east-2', itemId: 'K', op: 'put', error: { name: 'ReplicatedWriteConflictException', message: REPLICATED_WRITE_CONFLICT_MESSAGE }, current: { v: 1 } }]);
    expect(kinds(report.trace, 'local-write').map((e) => [e.t, e.region])).toEqual([
      [0, 'us-east-1'],
      [60, 'us-west-2'],
    ]);
    expect(report.counts.writeConflicts).toBe(1);
    expect(report.final['us-east-1']!.K).toMatchObject({ v: 3 });
  });

  it('the same region may write the item again while its own write is in flight; other items are free', async () => {
    const report = await run(`${THREE}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 10, put: { region: us-east-1, item: { Id: K, v: 2 } } }
  - { at: 10, put: { region: us-east-2, item: { Id: OTHER } } }
`);
    expect(kinds(report.trace, 'operation-failed')).toEqual([]);
    expect(report.counts.writeConflicts).toBe(0);
  });
});

describe('MRSC: quorum', () => {
  it('a region cut off from both others refuses writes and strong reads, serves eventual reads; the others go on', async () => {
    const report = await run(`${THREE}faults:
  - { at: 1s, until: 5s, pauseReplication: { region: us-west-2, continuesFor: 0s } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 2s, put: { region: us-west-2, item: { Id: K, v: 2 } } }
  - { at: 2s, read: { region: us-west-2, item: K, consistency: strong } }
  - { at: 3s, put: { region: us-east-1, item: { Id: K, v: 3 } } }
  - { at: 3100, read: { region: us-west-2, item: K, consistency: eventual, expect: { v: 1 } } }
  - { at: 3100, read: { region: us-east-2, item: K, consistency: strong, expect: { v: 3 } } }
`);
    const refused = kinds(report.trace, 'operation-failed');
    expect(refused).toMatchObject([{ t: 2000, region: 'us-west-2', error: { name: 'InternalServerError' } }]);
    expect(kinds(report.trace, 'read').find((r) => r.t === 2000)).toMatchObject({ region: 'us-west-2', item: null, error: { name: 'InternalServerError' } });
    // us-east-1 keeps its quorum with us-east-2: its write at 3s is answered after their round trip
    expect(kinds(report.trace, 'local-write').find((w) => w.t === 3000)).toMatchObject({ region: 'us-east-1', answeredAt: 3060 });
    // us-west-2 gets the write when its links resume, and every replica converges
    expect(kinds(report.trace, 'replication-held').length).toBeGreaterThan(0);
    expect(report.final['us-west-2']!.K).toMatchObject({ v: 3 });
    expect(report.assertions.every((a) => a.passed)).toBe(true);
  });

  it('a strong read refused with an expectation fails it as rejected', async () => {
    const report = await run(`${THREE}faults:
  - { at: 0, until: 5s, outage: { region: us-east-2 } }
  - { at: 0, until: 5s, outage: { region: us-west-2 } }
steps:
  - { at: 1s, read: { region: us-east-1, item: K, consistency: strong, expect: null } }
`);
    expect(report.assertions.find((a) => a.name.startsWith('read'))).toMatchObject({ passed: false, actual: 'rejected' });
  });

  it('two replicas and a witness: the witness keeps the quorum when the replicas cannot talk; no replica for it', async () => {
    const report = await run(`${WITNESS}faults:
  - { at: 0, until: 5s, pauseReplication: { from: us-east-1, to: us-east-2, continuesFor: 0s } }
  - { at: 0, until: 5s, pauseReplication: { from: us-east-2, to: us-east-1, continuesFor: 0s } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 1001, read: { region: us-east-2, item: K, consistency: strong, expect: { v: 1 } } }
`);
    expect(Object.keys(report.final)).toEqual(['us-east-1', 'us-east-2']);
    expect(report.witness).toBe('us-west-2');
    expect(kinds(report.trace, 'operation-failed')).toEqual([]);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
  });

  it('with a witness, pausing one replica\'s replication cuts it from the witness too: it loses its quorum', async () => {
    const report = await run(`${WITNESS}faults:
  - { at: 0, until: 5s, pauseReplication: { region: us-east-1, continuesFor: 0s } }
steps:
  - { at: 1s, put: { region: us-east-1, item: { Id: K, v: 1 } } }
  - { at: 1s, put: { region: us-east-2, item: { Id: K, v: 2 } } }
`);
    expect(kinds(report.trace, 'operation-failed')).toMatchObject([{ region: 'us-east-1', error: { name: 'InternalServerError' } }]);
    expect(kinds(report.trace, 'local-write')).toMatchObject([{ region: 'us-east-2', answeredAt: 1060 }]);
  });
});

describe('MRSC: what it refuses', () => {
  it('TransactWriteItems, TransactGetItems and UpdateTimeToLive answer with an error; no TTL on GlobalEventTable', () => {
    const scenario = scenarioFromYaml(`${THREE}steps: [{ at: 0, put: { region: us-east-1, item: { Id: K } } }]\n`);
    const trace = new TraceRecorder();
    const world = new World(scenario, new Rng(1), trace);
    const refused = (operation: string, input: Record<string, unknown>) => {
      try {
        world.call('us-east-1', operation, input);
      } catch (error) {
        return error instanceof DynamoDBError ? error.name : String(error);
      }
      return 'served';
    };
    expect(refused('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'GlobalEventTable', Item: { Id: { S: 'K' } } } }] })).toBe('ValidationException');
    expect(refused('TransactGetItems', { TransactItems: [{ Get: { TableName: 'GlobalEventTable', Key: { Id: { S: 'K' } } } }] })).toBe('ValidationException');
    expect(refused('UpdateTimeToLive', { TableName: 'GlobalEventTable', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ExpiresAt' } })).toBe('ValidationException');
    expect(world.call('us-east-1', 'DescribeTimeToLive', { TableName: 'GlobalEventTable' })).toMatchObject({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    expect(trace.events.filter((e) => e.kind === 'operation-failed')).toMatchObject([{ region: 'us-east-1', itemId: 'K', error: { name: 'ValidationException' }, transaction: 'tx1' }]);
  });

  it('a transact step is refused and changes nothing', async () => {
    const report = await run(`${THREE}steps:
  - at: 0
    transact: { region: us-east-1, ops: [{ put: { item: { Id: A } } }, { put: { item: { Id: B } } }] }
`);
    expect(kinds(report.trace, 'local-write')).toEqual([]);
    expect(kinds(report.trace, 'operation-failed')).toMatchObject([{ error: { name: 'ValidationException' } }]);
  });

  it('MREC is unchanged: no answer delay, transactions served', async () => {
    const report = await runScenario(
      scenarioFromYaml('regions: [us-east-1, eu-west-1]\napplication: { strategy: service-lww }\nsteps: [{ at: 0, event: { id: e1, region: us-east-1, item: K, data: {} } }]\n'),
    );
    expect(kinds(report.trace, 'local-write').every((w) => w.answeredAt === undefined && w.transaction === 'tx1')).toBe(true);
    expect(kinds(report.trace, 'event-outcome')).toMatchObject([{ t: 0, outcome: 'applied' }]);
  });
});

describe('scenarios/mrsc-stale-read.yaml', () => {
  it('passes, and its text view says the strong read took the write from the quorum before it arrived', async () => {
    const { scenarioFromFile } = await import('../../helpers/scenario.js');
    const { renderText } = await import('../../../src/render/text.js');
    const report = await runScenario(await scenarioFromFile('scenarios/mrsc-stale-read.yaml'));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    // the eventual read at 20 ms in us-west-2 missed e1's write; the strong one asked at 110 ms saw
    // e2's, answered after its round trip (35 + 35 ms: every link of us-west-2's is 35 ms)
    expect(kinds(report.trace, 'read').map((r) => [r.t, r.region, r.item === null ? null : (r.item.Data as { items: number }).items, r.askedAt])).toEqual([
      [20, 'us-east-2', 1, undefined],
      [20, 'us-west-2', null, undefined],
      [36, 'us-west-2', 1, undefined],
      [180, 'us-west-2', 2, 110],
    ]);
    expect(renderText(report)).toContain('CART#1 100ms@us-east-1 (taken from the quorum before it arrived)');
  });
});
