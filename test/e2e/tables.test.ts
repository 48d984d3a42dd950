import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import { checkInvariants } from '../../src/check/invariants.js';
import { checkDynamoRun } from '../../src/backends/dynamodb/run-options.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { renderText } from '../../src/render/text.js';
import type { TraceEvent } from '../../src/trace/events.js';

// Issue 13: a scenario declares its own tables (`tables:`); every region holds exactly those.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'user-apps');
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

  it('is refused on --backend dynamodb, which creates and replicates GlobalEventTable alone (exit 2)', async () => {
    const loaded = await loadScenarioFile(join(FIXTURES, 'orders-tables.yaml'));
    if (!loaded.ok) throw new Error('fixture does not load');
    expect(() => checkDynamoRun(loaded.scenario, { seed: 1, local: true, replication: 'emulate', timeScale: 1 } as never)).toThrow(/tables:.*model only for now/);
  });
});
