import { describe, expect, it } from 'vitest';
import { serveReport } from '../../src/pipeline/serve-report.js';
import { renderJson } from '../../src/render/json.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { perfettoChunks } from '../../src/render/perfetto/chunks.js';
import { reportData } from '../../src/render/report/data.js';
import { spacetime } from '../../src/render/spacetime/spacetime.js';
import { statesByStep } from '../../src/render/step-state.js';
import { renderText } from '../../src/render/text.js';
import { conflictFeed } from '../../src/trace/conflict-feed.js';
import { quickStartScenario } from '../../src/serve/quick-start.js';
import { ServeSession } from '../../src/serve/session.js';
import type { Timers } from '../../src/serve/wall-clock-driver.js';
import { scenarioFromYaml } from '../helpers/scenario.js';
import { validateTrace } from '../render/perfetto/validate.js';

const noTimers: Timers = { set: () => 0, clear: () => {} };

function session(yamlOrLag: string, at: { wall: number }, maxTraceEvents = 1000, options: { indexLagMs?: number; ttlDelayMs?: number } = {}) {
  const scenario = yamlOrLag.includes('\n') ? scenarioFromYaml(yamlOrLag) : (quickStartScenario('us-east-1,eu-west-1', yamlOrLag) as { ok: true; scenario: never }).scenario;
  return new ServeSession(scenario, { seed: 1, timeScale: 1, maxTraceEvents, epochMs: 0, clock: () => at.wall, timers: noTimers, ...options });
}

const ORDERS = {
  TableName: 'Orders',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('ServeSession', () => {
  it("serves a user's table in every region, replicates on the clock, and reports a session the diagram draws", async () => {
    const at = { wall: 0 };
    const s = session('500ms', at);
    await s.endpointFor('us-east-1').handle('CreateTable', ORDERS);
    at.wall = 100;
    await s.endpointFor('us-east-1').handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, n: { N: '1' } } });
    at.wall = 599;
    expect(await s.endpointFor('eu-west-1').handle('GetItem', { TableName: 'Orders', Key: { pk: { S: 'o-1' } } })).toEqual({});
    at.wall = 600;
    expect(await s.endpointFor('eu-west-1').handle('GetItem', { TableName: 'Orders', Key: { pk: { S: 'o-1' } } })).toEqual({ Item: { pk: { S: 'o-1' }, n: { N: '1' } } });
    const report = serveReport(await s.stop());
    // The program's reads are traced too: the diagram shows the read before the lag and the one after.
    expect(report.trace.map((e) => `${e.t} ${e.kind}`)).toEqual(['100 local-write', '100 replication-sent', '599 read', '600 replication-applied', '600 read']);
    expect(report.trace.filter((e) => e.kind === 'read').map((e) => [e.region, e.itemId, 'table' in e ? e.table : undefined, 'item' in e ? e.item : undefined])).toEqual([
      ['eu-west-1', 'o-1', 'Orders', null],
      ['eu-west-1', 'o-1', 'Orders', { pk: 'o-1', n: 1 }],
    ]);
    expect(s.requests).toBe(4);
    expect(s.trace.replicated).toBe(1);
    // Items of a table of the user's have no `Id`: the diagram still draws them.
    expect(sequenceDiagram(report)).toContain('put Orders o-1');
    const describe = (await s.endpointFor('us-east-1').handle('DescribeTable', { TableName: 'Orders' })) as { Table: Record<string, unknown> };
    expect(describe.Table).toMatchObject({ GlobalTableVersion: '2019.11.21', Replicas: [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }] });
  });

  it('drops quietly a replicated write to a table deleted while it was on its way (no internal error)', async () => {
    const at = { wall: 0 };
    const errors: unknown[] = [];
    const scenario = (quickStartScenario('us-east-1,eu-west-1', '500ms') as { ok: true; scenario: never }).scenario;
    const s = new ServeSession(scenario, { seed: 1, timeScale: 1, maxTraceEvents: 100, epochMs: 0, clock: () => at.wall, timers: noTimers, onError: (e) => errors.push(e) });
    const us = s.endpointFor('us-east-1');
    await us.handle('CreateTable', { ...ORDERS, TableName: 'DelMe' });
    await us.handle('PutItem', { TableName: 'DelMe', Item: { pk: { S: 'o-1' } } });
    await us.handle('DeleteTable', { TableName: 'DelMe' });
    at.wall = 1000;
    await s.endpointFor('eu-west-1').handle('ListTables', {});
    expect(errors).toEqual([]);
    expect((await s.stop()).trace.map((e) => e.kind)).toEqual(['local-write', 'replication-sent', 'replication-discarded']);
  });

  it('ends the flight of a write dropped with its deleted table: every view shows it dropped, none in flight', async () => {
    const at = { wall: 0 };
    const s = session('500ms', at);
    const us = s.endpointFor('us-east-1');
    await us.handle('CreateTable', ORDERS);
    await us.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' } } });
    await us.handle('DeleteTable', { TableName: 'Orders' });
    at.wall = 1000;
    await s.endpointFor('eu-west-1').handle('ListTables', {});
    const report = serveReport(await s.stop());
    expect(report.trace.map((e) => `${e.t} ${e.kind}`)).toEqual(['0 local-write', '0 replication-sent', '500 replication-discarded']);
    expect(report.trace[2]).toMatchObject({ from: 'us-east-1', to: 'eu-west-1', itemId: 'o-1', table: 'Orders', incomingVersion: { ts: 0, region: 'us-east-1' }, reason: 'table-deleted', conflict: false });
    // not a last-writer-wins loss: no discarded write counted, no conflict
    expect(report.counts).toMatchObject({ discardedWrites: 0, conflicts: 0, replicatedWrites: 0 });
    expect(conflictFeed(report.trace)).toEqual([]);
    expect(renderText(report)).toContain('Orders o-1 0ms@us-east-1 dropped: its table was deleted while it was on its way');
    expect(JSON.parse(renderJson([report], { passed: 1, failed: 0 })).scenarios[0].trace[2]).toMatchObject({ reason: 'table-deleted' });
    const mermaid = sequenceDiagram(report);
    expect(mermaid).toContain('discard Orders o-1');
    expect(mermaid).toContain('Note over Table_eu_west_1: dropped#58; incoming 0ms@us-east-1, its table');
    expect(mermaid).not.toContain('LWW');
    // Perfetto: the write's arrow ends where it was dropped; nothing left in flight, no LWW mark
    const perfetto = JSON.parse([...perfettoChunks([report])].join('')) as { traceEvents: { name?: string }[]; otherData: { scenarios: unknown[] } };
    const checked = validateTrace(perfetto);
    expect(checked.problems).toEqual([]);
    expect(checked.flows).toBe(1);
    expect(perfetto.otherData.scenarios[0]).toMatchObject({ writesSent: 1, flows: 1, inFlightAtEnd: 0 });
    expect(perfetto.traceEvents.filter((e) => e.name?.includes('LWW'))).toEqual([]);
    const svg = spacetime(report).svg;
    expect(svg).toContain('class="st-replication st-discarded"');
    expect(svg).not.toMatch(/class="[^"]*st-inflight/);
    expect(statesByStep(report.regions, report.trace).at(-1)!.inFlight).toEqual([]);
    // the HTML report's replay: the drop lands the flight its send (step 1) started
    expect(reportData(report, []).fl[2]).toBe(-2);
  });

  it("never delivers a deleted table's replicated write into the table created again under its name", async () => {
    const at = { wall: 0 };
    const s = session('500ms', at);
    const us = s.endpointFor('us-east-1');
    const eu = s.endpointFor('eu-west-1');
    await us.handle('CreateTable', ORDERS);
    await us.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' } } });
    await us.handle('DeleteTable', { TableName: 'Orders' });
    await eu.handle('CreateTable', ORDERS);
    at.wall = 1000;
    expect(await eu.handle('Scan', { TableName: 'Orders' })).toMatchObject({ Count: 0 });
    expect(await eu.handle('GetItem', { TableName: 'Orders', Key: { pk: { S: 'o-1' } } })).toEqual({});
    expect(s.trace.replicated).toBe(0);
  });

  it('serves an MRSC scenario as MRSC: a transaction is refused, the report says mrsc and names the witness', async () => {
    const at = { wall: 0 };
    const s = session('mode: mrsc\nregions: [eu-west-1, eu-west-2]\nwitness: eu-central-1\nreplication: { lag: { distribution: fixed, ms: 15 } }\napplication: { strategy: service-lww, idempotency: none }\nsteps:\n  - at: 0\n    check: { name: x, converged: true }\n', at);
    const eu = s.endpointFor('eu-west-1');
    await expect(eu.handle('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } } }] })).rejects.toMatchObject({ name: 'ValidationException' });
    expect(((await eu.handle('DescribeTable', { TableName: 'GlobalEventTable' })) as { Table: Record<string, unknown> }).Table).toMatchObject({ MultiRegionConsistency: 'STRONG', GlobalTableWitnesses: [{ RegionName: 'eu-central-1', WitnessStatus: 'ACTIVE' }] });
    // a request to the witness: it has no replica (and --regions does not go with a scenario)
    expect(() => s.endpointFor('eu-central-1')).toThrow(/^eu-central-1 is this MRSC global table's witness: it holds no replica and serves no requests; geosim serve serves eu-west-1, eu-west-2 \(set the client's region to one of them\)$/);
    expect(() => s.endpointFor('us-east-1')).toThrow(/^geosim serve has no region us-east-1; it serves eu-west-1, eu-west-2 /);
    const report = serveReport(await s.stop());
    expect([report.mode, report.witness]).toEqual(['mrsc', 'eu-central-1']);
  });

  it('cuts a replica whose replication a fault pauses from the witness too, and takes the witness down in an outage: no quorum, writes refused', async () => {
    const at = { wall: 0 };
    const base = 'mode: mrsc\nregions: [eu-west-1, eu-west-2]\nwitness: eu-central-1\nreplication: { lag: { distribution: fixed, ms: 15 } }\napplication: { strategy: service-lww, idempotency: none }\n';
    const steps = 'steps:\n  - at: 0\n    check: { name: x, converged: true }\n';
    // the round trip an MRSC answer waits for passes at once here
    const firing: Timers = { set: (fire) => setImmediate(fire), clear: () => {} };
    const session = (yaml: string, at: { wall: number }) => new ServeSession(scenarioFromYaml(yaml), { seed: 1, timeScale: 1, maxTraceEvents: 1000, epochMs: 0, clock: () => at.wall, timers: firing });
    const paused = session(`${base}faults: [{ at: 0, until: 10m, pauseReplication: { region: eu-west-2, continuesFor: 0s } }]\n${steps}`, at);
    const put = { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } };
    await expect(paused.endpointFor('eu-west-2').handle('PutItem', put)).rejects.toMatchObject({ name: 'InternalServerError' });
    await paused.stop();
    // the witness down alone: the replicas confirm each other's writes
    const witnessDown = session(`${base}faults: [{ at: 0, until: 10m, outage: { region: eu-central-1 } }]\n${steps}`, at);
    expect(await witnessDown.endpointFor('eu-west-2').handle('PutItem', put)).toEqual({});
    await witnessDown.stop();
    // the witness down and eu-west-1 cut off: eu-west-2 has no second region left
    const both = session(`${base}faults:\n  - { at: 0, until: 10m, outage: { region: eu-central-1 } }\n  - { at: 0, until: 10m, pauseReplication: { region: eu-west-1, continuesFor: 0s } }\n${steps}`, at);
    await expect(both.endpointFor('eu-west-2').handle('PutItem', put)).rejects.toMatchObject({ name: 'InternalServerError' });
    await both.stop();
  });

  it("holds an MRSC write's answer back for its round trip on the wall clock; other requests go on meanwhile; stop releases it", async () => {
    const at = { wall: 0 };
    const due: { ms: number; fire: () => void }[] = [];
    const timers: Timers = { set: (fire, ms) => due.push({ ms, fire }), clear: () => {} };
    const mrsc = 'mode: mrsc\nregions: [eu-west-1, eu-west-2]\nwitness: eu-central-1\nreplication: { lag: { distribution: fixed, ms: 15 } }\napplication: { strategy: service-lww, idempotency: none }\nsteps:\n  - at: 0\n    check: { name: x, converged: true }\n';
    const s = new ServeSession(scenarioFromYaml(mrsc), { seed: 1, timeScale: 2, maxTraceEvents: 100, epochMs: 0, clock: () => at.wall, timers });
    const eu = s.endpointFor('eu-west-1');
    let answered = false;
    const put = eu.handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } }).then((out) => {
      answered = true;
      return out;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    // 15 ms each way to eu-west-2 is 30 ms of virtual time: 15 wall ms at time scale 2.
    const hold = due.find((d) => d.ms === 15);
    expect(hold).toBeDefined();
    // The write is already everywhere: a strong read in the other region sees it without waiting for
    // the held answer; its own answer takes its round trip too (15 ms each way to the witness).
    let read = false;
    const strong = s.endpointFor('eu-west-2').handle('GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'A' } }, ConsistentRead: true }).then((out) => {
      read = true;
      return out;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(read).toBe(false);
    const readHold = due.filter((d) => d.ms === 15)[1];
    expect(readHold).toBeDefined();
    readHold!.fire();
    expect(await strong).toEqual({ Item: { Id: { S: 'A' } } });
    expect(answered).toBe(false);
    hold!.fire();
    expect(await put).toEqual({});
    // A write held when the session stops is answered by the stop.
    const second = eu.handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'B' } } });
    await s.stop();
    expect(await second).toEqual({});
  });

  it('answers an MREC write at once', async () => {
    const at = { wall: 0 };
    const due: number[] = [];
    const s = new ServeSession((quickStartScenario('us-east-1,eu-west-1', '500ms') as { ok: true; scenario: never }).scenario, { seed: 1, timeScale: 1, maxTraceEvents: 100, epochMs: 0, clock: () => at.wall, timers: { set: (_fire, ms) => due.push(ms), clear: () => {} } });
    await s.endpointFor('us-east-1').handle('CreateTable', ORDERS);
    await s.endpointFor('us-east-1').handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' } } });
    // the only timer is the driver's, for the replicated write due at 500 ms
    expect(due).toEqual([500]);
    await s.stop();
  });

  it('lets a GSI query miss a write for --index-lag', async () => {
    const at = { wall: 0 };
    const s = session('100ms', at, 100, { indexLagMs: 250 });
    const us = s.endpointFor('us-east-1');
    await us.handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' }, IdempotencyKey: { S: 'k' } } });
    const count = async () => (await us.handle('Query', { TableName: 'GlobalEventTable', IndexName: 'IdempotencyIndex', KeyConditionExpression: 'IdempotencyKey = :k', ExpressionAttributeValues: { ':k': { S: 'k' } } })).Count;
    at.wall = 249;
    expect(await count()).toBe(0);
    at.wall = 250;
    expect(await count()).toBe(1);
    await s.stop();
  });

  it('keeps an expired item readable until --ttl-delay after its expiry, then deletes it', async () => {
    const at = { wall: 0 };
    const s = session('100ms', at, 100, { ttlDelayMs: 60_000 });
    const us = s.endpointFor('us-east-1');
    // expires 10 s after the session's epoch (epoch seconds, as TTL reads them)
    await us.handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' }, ExpiresAt: { N: '10' } } });
    const get = async () => (await us.handle('GetItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'A' } } })).Item;
    at.wall = 20_000;
    expect(await get()).toBeDefined();
    at.wall = 69_999;
    expect(await get()).toBeDefined();
    at.wall = 70_000;
    expect(await get()).toBeUndefined();
    await s.stop();
  });

  it("serves each replica's DynamoDB Streams API, replicated writes included", async () => {
    const at = { wall: 0 };
    const s = session('100ms', at);
    await s.endpointFor('us-east-1').handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } });
    at.wall = 100;
    const eu = s.endpointFor('eu-west-1');
    const { Streams } = (await eu.handle('ListStreams', { TableName: 'GlobalEventTable' })) as { Streams: Array<{ StreamArn: string }> };
    const { StreamDescription } = (await eu.handle('DescribeStream', { StreamArn: Streams[0]!.StreamArn })) as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    const { ShardIterator } = (await eu.handle('GetShardIterator', { StreamArn: Streams[0]!.StreamArn, ShardId: StreamDescription.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' })) as { ShardIterator: string };
    const { Records } = (await eu.handle('GetRecords', { ShardIterator })) as { Records: Array<{ eventName: string; dynamodb: { NewImage: unknown } }> };
    expect(Records.map((r) => [r.eventName, r.dynamodb.NewImage])).toEqual([['INSERT', { Id: { S: 'A' } }]]);
    await s.stop();
  });

  it('refuses requests to a region in an outage fault, and to a region it does not serve', async () => {
    const at = { wall: 0 };
    const s = session('regions: [us-east-1, eu-west-1]\nfaults:\n  - at: 1s\n    until: 2s\n    outage: { region: eu-west-1 }\nsteps:\n  - at: 0\n    check: { name: x, converged: true }\n', at);
    const get = () => s.endpointFor('eu-west-1').handle('ListTables', {});
    await expect(get()).resolves.toEqual({ TableNames: ['GlobalEventTable'] });
    at.wall = 1500;
    await expect(get()).rejects.toMatchObject({ name: 'InternalServerError', message: expect.stringContaining('eu-west-1 is down') });
    at.wall = 2000;
    await expect(get()).resolves.toBeDefined();
    expect(() => s.endpointFor('ap-south-1')).toThrow(/no region ap-south-1/);
    const kinds = (await s.stop()).trace.map((e) => e.kind);
    expect(kinds).toEqual(['fault-started', 'request-rejected', 'fault-ended']);
  });

  it('keeps the first --max-trace-events events, counts the rest, and says the report stopped there', async () => {
    const at = { wall: 0 };
    let told = 0;
    const s = new ServeSession((quickStartScenario(undefined, '1s') as { ok: true; scenario: never }).scenario, { seed: 1, timeScale: 1, maxTraceEvents: 3, epochMs: 0, clock: () => at.wall, timers: noTimers, onTraceFull: () => told++ });
    for (const id of ['a', 'b']) await s.endpointFor('us-east-1').handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: id } } });
    at.wall = 5000;
    const report = await s.stop();
    expect(report.trace).toHaveLength(3);
    expect(s.trace.emitted).toBe(4);
    expect(told).toBe(1);
    expect(report.stopped).toEqual({ limit: 'trace-events', at: 0, maxTraceEvents: 3 });
  });

  it('serves a scenario with its own tables: they exist from the start, and the report’s final is the first one’s, by key string', async () => {
    const at = { wall: 0 };
    const s = session(
      `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
tables:
  - { TableName: Orders, BillingMode: PAY_PER_REQUEST, KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}], AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}] }
steps:
  - { at: 0, put: { region: us-east-1, item: { pk: a, sk: b }, condition: attribute_not_exists(pk) } }
`,
      at,
    );
    const us = s.endpointFor('us-east-1');
    expect(((await us.handle('ListTables', {})) as { TableNames: string[] }).TableNames).toEqual(['Orders']);
    await us.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { S: 'META' } } });
    at.wall = 100;
    // replicated like any global table
    expect(await s.endpointFor('eu-west-1').handle('GetItem', { TableName: 'Orders', Key: { pk: { S: 'o-1' }, sk: { S: 'META' } } })).toMatchObject({ Item: { pk: { S: 'o-1' } } });
    const record = await s.stop();
    expect(Object.keys(record.snapshot['eu-west-1']!)).toEqual(['o-1|META']);
  });
});
