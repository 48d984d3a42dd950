import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import { checkInvariants } from '../../src/check/invariants.js';
import { renderText } from '../../src/render/text.js';
import type { TraceEvent } from '../../src/trace/events.js';
import type { Item } from '../../src/trace/item.js';
import { javaAvailable } from '../helpers/dynamodb-local.js';

// Issue 13: a scenario declares its own tables (`tables:`); every region holds exactly those.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'user-apps');
const TABLES = join(import.meta.dirname, '..', 'fixtures', 'tables');
/** One scenario of `geosim run --format json`, as far as these tests read it. */
interface LocalReport {
  backend: string;
  assertions: Array<{ name: string; passed: boolean }>;
  final: Record<string, Record<string, Item>>;
  tables: Record<string, Record<string, Record<string, Item>>>;
  trace: TraceEvent[];
}
/** A report's data as JSON carries it (the model's maps have no prototype). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const kinds = (trace: TraceEvent[], kind: TraceEvent['kind']) => trace.filter((e) => e.kind === kind) as Array<TraceEvent & Record<string, unknown>>;

describe('a scenario with its own tables', () => {
  it('runs a team’s handler on Orders (pk/sk, a GSI) and Audit: a conditional create passing in two regions, final items by pk|sk, a stream handler on the second table', async () => {
    const report = await run('orders-tables.yaml', { baseDir: FIXTURES });
    expect(report.failures).toEqual([]);
    // report.final is the first declared table's, keyed by `pk|sk`; report.tables holds every table.
    expect(Object.keys(report.final['us-east-1']!)).toEqual(['ORDER#o-1|META', 'STATS|eu-west-1', 'STATS|us-east-1']);
    expect(Object.keys(report.tables!)).toEqual(['Orders', 'Audit']);
    expect(report.tables!.Orders).toEqual(report.final);
    expect(report.tables!.Audit!['eu-west-1']).toEqual({ e1: { id: 'e1', orderId: 'o-1', region: 'us-east-1' }, e2: { id: 'e2', orderId: 'o-1', region: 'eu-west-1' } });
    // The conditional create passed in both regions (no condition-failed): last writer wins.
    expect(kinds(report.trace, 'condition-failed')).toEqual([]);
    expect(kinds(report.trace, 'local-write').filter((e) => e.itemId === 'ORDER#o-1|META').map((e) => e.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(report.final['us-east-1']!['ORDER#o-1|META']).toMatchObject({ createdIn: 'eu-west-1' });
    // Trace events name the table only when it is not the first declared one.
    const writes = kinds(report.trace, 'local-write');
    expect(writes.filter((e) => e.table === 'Audit').map((e) => e.itemId)).toEqual(['e1', 'e2']);
    expect(writes.filter((e) => String(e.itemId).startsWith('ORDER#')).every((e) => e.table === undefined)).toBe(true);
    // The stream handler read Audit's stream (its ARN and Keys), local and replicated records alike.
    const stats = report.final['eu-west-1']!['STATS|eu-west-1']!;
    expect(stats).toMatchObject({ seen: 2, arn: 'arn:aws:dynamodb:eu-west-1:ACCOUNT:table/Audit', lastKey: '{"id":{"S":"e1"}}' });
    expect(report.assertions.find((a) => a.name.startsWith('converged'))).toMatchObject({ passed: true });
  });

  it('gives the same bytes twice, and shows each declared table in the text view', async () => {
    const file = join(FIXTURES, 'orders-tables.yaml');
    const once = spawnSync(process.execPath, ['bin/geosim', 'run', file, '--format', 'json'], { encoding: 'utf8' });
    const twice = spawnSync(process.execPath, ['bin/geosim', 'run', file, '--format', 'json'], { encoding: 'utf8' });
    expect(once.status).toBe(0);
    expect(twice.stdout).toBe(once.stdout);
    const text = renderText(await run('orders-tables.yaml', { baseDir: FIXTURES }));
    expect(text).toContain('final items of Orders');
    expect(text).toContain('final items of Audit');
    expect(text).toMatch(/WRITE .*│ Audit e1 0ms@us-east-1 for e1/);
    expect(text).not.toContain('idempotency records');
  }, 60_000); // two child processes, each bundling the module: slow on a loaded machine

  it('runs expression steps alone on declared tables: `table` defaults to the first, numbers key as DynamoDB prints them', async () => {
    const report = await run({
      regions: ['us-east-1', 'eu-west-1'],
      replication: { lag: { distribution: 'fixed', ms: 500 } },
      tables: [
        { TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }] },
        { TableName: 'Counters', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } },
      ],
      steps: [
        { at: 0, put: { region: 'us-east-1', item: { pk: 'o-1', sk: 1.50, status: 'new' }, condition: 'attribute_not_exists(pk)' } },
        { at: 0, update: { region: 'eu-west-1', table: 'Counters', key: { id: 7 }, expression: 'ADD n :one', values: { ':one': 1 } } },
        { at: 10, update: { region: 'us-east-1', table: 'Counters', key: { id: 7 }, expression: 'ADD n :one', values: { ':one': 1 } } },
        { at: '2s', read: { region: 'eu-west-1', key: { pk: 'o-1', sk: 1.5 }, expect: { status: 'new' } } },
      ],
      expect: { items: { 'o-1|1.5': { status: 'new' } } },
    });
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.tables!.Counters!['us-east-1']!)).toEqual(['7']);
    // Whole-item last-writer-wins: the two regions' ADDs were concurrent, one increment is lost.
    expect(report.tables!.Counters!['us-east-1']!['7']).toEqual({ id: 7, n: 1 });
    expect(kinds(report.trace, 'local-write').map((e) => [e.itemId, e.table])).toEqual([
      ['o-1|1.5', undefined],
      ['7', 'Counters'],
      ['7', 'Counters'],
    ]);
  });

  it('the convergence invariant compares every declared table, not only the first', () => {
    const same = { 'us-east-1': { a: { Id: 'a' } }, 'eu-west-1': { a: { Id: 'a' } } };
    const differ = { 'us-east-1': { '7': { id: 7, n: 2 } }, 'eu-west-1': { '7': { id: 7, n: 1 } } } as never;
    const [converged] = checkInvariants({ trace: [], final: same, tables: { Orders: same, Counters: differ } });
    expect(converged).toMatchObject({ passed: false, detail: 'differs across regions: Counters 7' });
    expect(checkInvariants({ trace: [], final: same, tables: { Orders: same, Counters: same } })[0]).toMatchObject({ passed: true });
  });

  it.skipIf(!javaAvailable())('runs on --backend dynamodb --local as in the model: the same assertions passed, the same final items of every table (skipped when Java 17 is not installed; CI installs it)', async () => {
    // Both scenarios in one run: one DynamoDB Local, each scenario on its own per-run tables.
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'orders-tables.yaml'), join(TABLES, 'numbers-and-ttl.yaml'), '--backend', 'dynamodb', '--local', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).toMatch(/2 passed, 0 failed/);
    expect(r.status).toBe(0);
    const [handler, steps] = (JSON.parse(r.stdout) as { scenarios: LocalReport[] }).scenarios;
    const models = [await run('orders-tables.yaml', { baseDir: FIXTURES }), await run('numbers-and-ttl.yaml', { baseDir: TABLES })];
    for (const [local, model] of [[handler!, models[0]!], [steps!, models[1]!]] as const) {
      expect(local.backend).toMatch(/^dynamodb \(DynamoDB Local, emulate replication/);
      expect(local.assertions.map((a) => [a.name, a.passed])).toEqual(model.assertions.map((a) => [a.name, a.passed]));
      expect(local.final).toEqual(plain(model.final));
      expect(local.tables).toEqual(plain(model.tables));
    }
    // The team's handler reached the run's Orders and Audit under their own names, ARNs included.
    expect(handler!.tables.Orders!['us-east-1']!['STATS|eu-west-1']).toMatchObject({ seen: 2, arn: 'arn:aws:dynamodb:eu-west-1:ACCOUNT:table/Audit' });
    // Expression steps alone run no handler on the wall clock: the trace is the model's, event for event
    // (table named on Counters only, number keys as DynamoDB prints them, the refused create too).
    expect(steps!.trace).toEqual(plain(models[1]!.trace));
    expect(kinds(steps!.trace, 'condition-failed').map((e) => [e.region, e.itemId, e.table])).toEqual([['us-east-1', 'o-1|1.5', undefined]]);
  }, 240_000);
});

describe('a plain put on a declared table', () => {
  it('is DynamoDB syntax without a condition: an item keyed pk, no Id', async () => {
    const { run } = await import('../../src/index.js');
    const report = await run({
      regions: ['us-east-1', 'eu-west-1'],
      tables: [{ TableName: 'Orders', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }],
      steps: [{ at: 0, put: { region: 'us-east-1', item: { pk: 'o-1', n: 1 } } }],
      expect: { items: { 'o-1': { n: 1 } } },
    });
    expect(report.failures).toEqual([]);
    expect(report.tables?.Orders?.['eu-west-1']?.['o-1']).toEqual({ pk: 'o-1', n: 1 });
  });
});
