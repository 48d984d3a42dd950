import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onSecondSignal, roomFor, serveCommand } from '../../src/cli/serve-command.js';
import type { ServeFlags } from '../../src/cli/serve-flags.js';
import { geosim, ROOT, tempFile } from '../helpers/cli.js';

// `geosim serve` refusing to start, through main(argv, io). A session that serves, replicates and
// stops on a signal is end to end in test/e2e/serve.test.ts.
describe('geosim serve refuses to start', () => {
  it('exits 3 naming --port when the port is in use, printing nothing on stdout', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await geosim(['serve', '--port', String(port)]);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`geosim serve: port ${port} on 127.0.0.1 is in use (another geosim serve or DynamoDB Local?); pick another with --port, or --port 0 for a free one\n`);
      expect(r.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('exits 3 before listening when --trace cannot be written, as run --conflicts says it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    writeFileSync(join(dir, 'afile'), '');
    const cases = [
      [join(dir, 'afile', 'x.json'), 'a part of its path is a file, not a directory'],
      [dir, 'it is a directory'],
    ] as const;
    for (const [path, why] of cases) {
      const r = await geosim(['serve', '--port', '0', '--trace', path]);
      expect(r).toEqual({ code: 3, stdout: '', stderr: `geosim serve: --trace ${path}: ${why}\n` });
    }
  });

  it('--help says each default once and quotes the last line as serve prints it', async () => {
    const help = (await geosim(['serve', '--help'])).stdout;
    expect(help).toMatch(/--port <port> +port on 127\.0\.0\.1 \(0 picks a free one\) \(default: 8000\)\n/);
    expect(help.match(/default:? 8000/g)).toHaveLength(1);
    expect(help).toContain('then "geosim serve: stopped (SIGINT) after ...".');
  });

  it('exits 2 on a bad flag, naming it', async () => {
    const lag = await geosim(['serve', '--port', '0', '--lag', 'soon']);
    expect(lag.code).toBe(2);
    expect(lag.stderr).toContain('--lag');
    // a lag range a scenario refuses (error[bad-range]) is refused in the same words
    expect(await geosim(['serve', '--port', '0', '--lag', '{distribution: uniform, min: 900ms, max: 300ms}'])).toEqual({ code: 2, stdout: '', stderr: 'geosim serve: --lag: uniform lag: min (900ms) is above max (300ms)\n' });
    expect((await geosim(['serve', '--port', '70000'])).code).toBe(2);
    expect(await geosim(['serve', '--port', '0', '--ttl-delay', '400d'])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining("--ttl-delay") });
    // MRSC has no Time to Live: the flag is refused there, as the scenario key is
    expect(await geosim(['serve', '--port', '0', '--ttl-delay', '2d', 'scenarios/mrsc-stale-read.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'geosim serve: --ttl-delay: MRSC global tables do not support Time to Live; serve the scenario without it, or with mode: mrec\n',
    });
    const both = await geosim(['serve', '--port', '0', '--regions', 'us-east-1,eu-west-1', 'scenarios/concurrent.yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--regions and --lag are for serving without a scenario');
  });

  it('exits 2 on an invalid or missing scenario with file:line:col and no stack trace', async () => {
    const bad = tempFile('bad.yaml', 'regions: [us-east-1]\nsteps: []\n');
    const invalid = await geosim(['serve', '--port', '0', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/bad\.yaml:1:\d+ error/);
    expect(invalid.stderr).not.toMatch(/at .*\.[jt]s:\d+/);
    expect(invalid.stdout).toBe('');
    expect(await geosim(['serve', '--port', '0', 'scenarios/nope.yaml'])).toMatchObject({ code: 2, stderr: 'geosim: scenarios/nope.yaml: no such file or directory\n' });
  });

  it('leaves no SIGINT, SIGTERM or SIGHUP listener behind in the caller’s process when it refuses', async () => {
    const before = stopListeners();
    expect((await geosim(['serve', '--port', '0', '--lag', 'soon'])).code).toBe(2);
    expect((await geosim(['serve', '--port', '0', 'scenarios/nope.yaml'])).code).toBe(2);
    expect(stopListeners()).toEqual(before);
  });
});

/** `geosim serve` in this process (serveCommand, stopped by `stop` instead of a signal), once it listens. */
async function served(file: string | undefined, flags: ServeFlags) {
  const out = { stdout: '', stderr: '' };
  let stop!: (why: string) => void;
  let listening!: () => void;
  const started = new Promise<void>((r) => (listening = r));
  const io = {
    stdout: { write: (t: string) => ((out.stdout += t), out.stdout.includes('Ctrl-C') && listening(), true) },
    stderr: { write: (t: string) => ((out.stderr += t), true) },
    env: {},
    cwd: ROOT,
  } as never;
  const code = serveCommand(file, flags, io, new Promise((r) => (stop = r)));
  await Promise.race([started, code]);
  const url = /^geosim serve: (\S+)/.exec(out.stdout)![1]!;
  /** A request as plain curl sends it (no SigV4: the first region). */
  const send = (operation: string, input: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` }, body: JSON.stringify(input) });
  return { out, send, stop: async () => (stop('test'), await code) };
}

describe('geosim serve, serving', () => {
  it('over --max-trace-events, suggests a limit that holds every event of the session', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'geosim-serve-')), 'cut.json');
    const s = await served(undefined, { port: 0, lag: '1h', maxTraceEvents: 2, trace });
    for (const id of ['a', 'b', 'c', 'd']) expect((await s.send('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: id } } })).status).toBe(200);
    expect(await s.stop()).toBe(2);
    // the trace file says the session failed, as a run stopped at its limit does (it said passed: 1 beside stopped)
    const written = JSON.parse(readFileSync(trace, 'utf8')) as { passed: number; failed: number; scenarios: [{ passed: boolean; stopped: unknown; assertions: { name: string; passed: boolean }[] }] };
    expect([written.passed, written.failed, written.scenarios[0].passed]).toEqual([0, 1, false]);
    expect(written.scenarios[0].assertions).toMatchObject([{ name: 'run finished within its trace limit (--max-trace-events)', passed: false, actual: 'more than 2 trace events', detail: 'the session kept serving, and its trace holds only its first 2 events; raise the limit with --max-trace-events' }]);
    // 4 writes, each a local-write and a replication-sent: 8 events, all of which the suggestion holds
    expect(s.out.stderr).toContain('the trace holds only the first 2 of 8 events; to record them all: --max-trace-events 8\n');
  });

  it('rounds the suggestion up to two significant digits, at least double the limit', () => {
    expect([roomFor(9, 2), roomFor(3, 2), roomFor(523_417, 500_000), roomFor(1_234_567, 100_000), roomFor(101, 10)]).toEqual([9, 4, 1_000_000, 1_300_000, 110]);
  });

  it('says an MRSC scenario is served as MRSC, and DescribeTable says what DynamoDB says of an MRSC table', async () => {
    const s = await served('scenarios/mrsc-transactions.yaml', { port: 0 });
    const lines = s.out.stdout.split('\n');
    expect(lines[1]).toBe('  regions eu-west-1, eu-west-2, witness eu-central-1 (no replica); replication lag fixed 15ms');
    expect(lines[2]).toMatch(/^ {2}MRSC \(multi-Region strong consistency\): .*no transactions, no TTL$/);
    const table = ((await (await s.send('DescribeTable', { TableName: 'GlobalEventTable' })).json()) as { Table: Record<string, unknown> }).Table;
    expect(table).toMatchObject({ MultiRegionConsistency: 'STRONG', GlobalTableWitnesses: [{ RegionName: 'eu-central-1', WitnessStatus: 'ACTIVE' }], Replicas: [{ RegionName: 'eu-west-2', ReplicaStatus: 'ACTIVE' }] });
    // A write answers after its round trip to eu-west-2: 15 ms each way (a lower bound, never flaky).
    const start = performance.now();
    expect((await s.send('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } })).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    expect(await s.stop()).toBe(0);
  });

  it('serves a scenario written for it alone, without steps (it was refused: “a scenario needs at least one step”); run still asks for them', async () => {
    const file = tempFile('team.yaml', 'regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixed, ms: 500 } }\ntables:\n  - { TableName: Orders, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: pk, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }] }\n');
    const s = await served(file, { port: 0 });
    expect(s.out.stdout).toContain('Orders exists from the start');
    expect((await s.send('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' } } })).status).toBe(200);
    expect(await s.stop()).toBe(0);
    const run = await geosim(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing required key "steps"');
  });

  // The reviewer’s repro: a legacy Expected was ignored, the put answered 200 and overwrote the item.
  it('honours the legacy parameters older clients send (Expected, AttributeUpdates, ScanFilter), as DynamoDB does', async () => {
    const s = await served(undefined, { port: 0, lag: '1s' });
    expect((await s.send('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'b' }, v: { N: '2' } } })).status).toBe(200);
    const refused = await s.send('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'b' }, v: { N: '3' } }, Expected: { Id: { Exists: false } } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { __type: string }).__type).toMatch(/#ConditionalCheckFailedException$/);
    const updated = await s.send('UpdateItem', { TableName: 'GlobalEventTable', Key: { Id: { S: 'b' } }, AttributeUpdates: { v: { Action: 'ADD', Value: { N: '5' } } }, ReturnValues: 'ALL_NEW' });
    expect(await updated.json()).toEqual({ Attributes: { Id: { S: 'b' }, v: { N: '7' } } });
    const scanned = await s.send('Scan', { TableName: 'GlobalEventTable', ScanFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '100' }] } } });
    expect(await scanned.json()).toMatchObject({ Items: [], Count: 0, ScannedCount: 1 });
    expect(await s.stop()).toBe(0);
  });

  it('names the tables a scenario with tables: starts with, not GlobalEventTable', async () => {
    const s = await served('test/fixtures/tables/numbers-and-ttl.yaml', { port: 0 });
    expect(s.out.stdout).toContain('; Orders, Counters exist from the start\n');
    const tables = (await (await s.send('ListTables', {})).json()) as { TableNames: string[] };
    expect(tables.TableNames).toEqual(['Counters', 'Orders']);
    expect(await s.stop()).toBe(0);
  });

  it('writes every table the session ended with into its trace file, for the views and diagrams (its missing directory made, as -o makes one)', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'geosim-serve-')), 'out', 'deeper', 'tables.json');
    const s = await served(undefined, { port: 0, lag: '1ms', trace });
    const create = { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] };
    expect((await s.send('CreateTable', create)).status).toBe(200);
    expect((await s.send('PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, total: { N: '3' } } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50)); // the 1 ms lag passes: the item is in both regions
    expect(await s.stop()).toBe(0);
    const written = JSON.parse(readFileSync(trace, 'utf8')) as { scenarios: [{ tables: Record<string, Record<string, Record<string, unknown>>> }] };
    expect(Object.keys(written.scenarios[0].tables)).toEqual(['GlobalEventTable', 'Orders']);
    expect(written.scenarios[0].tables.Orders).toEqual({ 'us-east-1': { 'o-1': { pk: 'o-1', total: 3 } }, 'eu-west-1': { 'o-1': { pk: 'o-1', total: 3 } } });
  });

  it.skipIf(process.platform === 'win32')('writes --trace into a FIFO a script reads, leaving it a FIFO (a rename put a regular file in its place, and the reader got nothing) (skipped where there are no FIFOs: Windows)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    const fifo = join(dir, 'trace.fifo');
    execFileSync('mkfifo', [fifo]);
    const s = await served(undefined, { port: 0, lag: '1ms', trace: fifo });
    expect((await s.send('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'a' } } })).status).toBe(200);
    const read = readFile(fifo, 'utf8'); // the reader, waiting on the FIFO as `cat trace.fifo` would
    expect(await s.stop()).toBe(0);
    expect((JSON.parse(await read) as { scenarios: unknown[] }).scenarios).toHaveLength(1);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['trace.fifo']);
  });

  it('says nothing of MRSC for an MREC session', async () => {
    const s = await served(undefined, { port: 0, lag: '1s' });
    expect(s.out.stdout).not.toContain('MRSC');
    const table = ((await (await s.send('DescribeTable', { TableName: 'GlobalEventTable' })).json()) as { Table: Record<string, unknown> }).Table;
    expect(table).not.toHaveProperty('MultiRegionConsistency');
    expect(table).not.toHaveProperty('GlobalTableWitnesses');
    expect(await s.stop()).toBe(0);
  });
});

describe('geosim serve stopping', () => {
  it('a second SIGINT, SIGTERM or SIGHUP while the trace is written says the trace was not written and exits 130, 143 or 129 (it ended silently); none once the write is done', () => {
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => ((err += t), true) } } as never;
    const codes: number[] = [];
    const before = stopListeners();
    // what the write had written so far is removed (it was left, 20 MB of half a trace)
    const temp = join(mkdtempSync(join(tmpdir(), 'geosim-serve-')), '.trace.json.1.tmp');
    writeFileSync(temp, '{"geosim":');
    const remove = onSecondSignal(io, 'out/trace.json', temp, (code) => codes.push(code));
    process.emit('SIGINT');
    expect(codes).toEqual([130]);
    expect(existsSync(temp)).toBe(false);
    expect(err).toBe('geosim serve: SIGINT again: stopped before the trace was written to out/trace.json\n');
    remove();
    const removeTerm = onSecondSignal(io, 'trace.json', temp, (code) => codes.push(code));
    process.emit('SIGTERM');
    expect(codes).toEqual([130, 143]);
    removeTerm();
    // a terminal closed while the trace is written
    const removeHup = onSecondSignal(io, 'trace.json', temp, (code) => codes.push(code));
    process.emit('SIGHUP');
    expect(codes).toEqual([130, 143, 129]);
    expect(err).toContain('geosim serve: SIGHUP again: stopped before the trace was written to trace.json\n');
    removeHup();
    // the write done: the listeners are gone, a later signal is the process's own
    expect(stopListeners()).toEqual(before);
  });
});

/** How many listeners the process has for each signal that stops serve. */
function stopListeners(): number[] {
  return (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((name) => process.listenerCount(name));
}
