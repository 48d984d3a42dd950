import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { EPOCH_MS } from '../../src/sim/simulation.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// An idempotency-style record that expires 10 s into the run (epoch seconds, as TTL reads them).
const EXPIRES = EPOCH_MS / 1000 + 10;

function scenario(ttlDelay: string | undefined): string {
  return `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
${ttlDelay === undefined ? '' : `ttlDelay: ${ttlDelay}\n`}steps:
  - { at: 0, put: { region: us-east-1, item: { Id: "SESSION#1", ExpiresAt: ${EXPIRES} } } }
  - { at: 20s, read: { region: us-east-1, key: { Id: "SESSION#1" } } }
  - { at: 20s, query: { region: us-east-1, key: "Id = :id", filter: "ExpiresAt > :now", values: { ':id': "SESSION#1", ':now': ${EXPIRES + 10} }, expect: { count: 0 } } }
  - { at: 2m, read: { region: eu-west-1, key: { Id: "SESSION#1" }, expect: null } }
`;
}

describe('ttlDelay: expired items stay readable until Time to Live deletes them', () => {
  it('without it an item is deleted at its expiry; with 1m a read 10 s after expiry still sees it, a read guard filters it, and the delete comes 1m after expiry', async () => {
    const atExpiry = await runScenario(scenarioFromYaml(scenario(undefined)));
    const read = (report: typeof atExpiry) => report.trace.find((e) => e.kind === 'read' && e.t === 20_000) as { item: unknown } | undefined;
    const deleted = (report: typeof atExpiry) => report.trace.filter((e) => e.kind === 'local-write' && e.expired === true).map((e) => e.kind === 'local-write' && [e.t, e.region]);
    expect(read(atExpiry)?.item).toBeNull();
    expect(deleted(atExpiry)).toEqual([[10_000, 'us-east-1']]);

    const delayed = await runScenario(scenarioFromYaml(scenario('1m')));
    expect(read(delayed)?.item).toMatchObject({ Id: 'SESSION#1', ExpiresAt: EXPIRES });
    expect(deleted(delayed)).toEqual([[70_000, 'us-east-1']]);
    // the guard's query (count 0) and the read after the replicated delete (null) pass
    expect(delayed.assertions.filter((a) => !a.passed)).toEqual([]);
  });

  it('waits while the region that runs Time to Live is down: the delete comes when it is back', async () => {
    const report = await runScenario(
      scenarioFromYaml(`regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
faults:
  - { at: 5s, until: 1m, outage: { region: us-east-1 } }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: "SESSION#1", ExpiresAt: ${EXPIRES} } } }
  - { at: 2m, read: { region: eu-west-1, key: { Id: "SESSION#1" }, expect: null } }
`),
    );
    expect(report.trace.filter((e) => e.kind === 'local-write' && e.expired === true).map((e) => [e.t, e.region])).toEqual([[60_000, 'us-east-1']]);
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
  });

  it('GlobalTables refuses a negative, non-finite or non-number ttlDelayMs or indexLagMs', async () => {
    const { GlobalTables } = await import('../../src/sim/global-tables.js');
    expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], ttlDelayMs: -60_000 })).toThrow(new RangeError('ttlDelayMs takes a finite number of ms >= 0, got -60000'));
    expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], ttlDelayMs: Number.NaN })).toThrow(RangeError);
    expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], ttlDelayMs: '5000' as unknown as number })).toThrow(new RangeError('ttlDelayMs takes a finite number of ms >= 0, got "5000"'));
    expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], indexLagMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], ttlDelayMs: 0, indexLagMs: 250 }).regions).toEqual(['us-east-1', 'eu-west-1']);
    // and a lag as a scenario's replication.lag is checked (NaN never replicated; a negative one replicated at once)
    const lags: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, -1, { distribution: 'weird', ms: 5 }, { distribution: 'fixed' }, { distribution: 'uniform', min: 5, max: -1 }, { distribution: 'uniform', min: 900, max: 100 }];
    for (const lag of lags) expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: lag as number })).toThrow(RangeError);
    expect(() => new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: Number.NaN })).toThrow('lag takes ms from 0 to 365 days, or { distribution: ');
    for (const lag of [0, 250, { distribution: 'uniform', min: 100, max: 900 }, { distribution: 'sequence', ms: [5, 10] }]) expect(new GlobalTables({ regions: ['us-east-1', 'eu-west-1'], lag: lag as number }).regions).toHaveLength(2);
  });

  it('is refused on MRSC, which has no Time to Live, at its line', () => {
    const result = loadScenarioText('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nttlDelay: 2d\nsteps:\n  - { at: 0, read: { region: us-east-1, key: { Id: A } } }\n', 'mrsc-ttl.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual(['3:1 MRSC global tables do not support Time to Live: ttlDelay has nothing to delay']);
  });
});

describe('UpdateTimeToLive on a global table: one change an hour', () => {
  it('the deployed table’s TTL is no change in progress: disabled at once, then another change within the hour is refused in every region, and taken after it', async () => {
    const { GlobalTables } = await import('../../src/index.js');
    const { DynamoDBClient, UpdateTimeToLiveCommand, DescribeTimeToLiveCommand } = await import('@aws-sdk/client-dynamodb');
    const model = new GlobalTables({ regions: ['us-east-1', 'eu-west-1'] });
    const client = (region: string) => new DynamoDBClient(model.clientConfig(region));
    const change = (region: string, Enabled: boolean) => client(region).send(new UpdateTimeToLiveCommand({ TableName: 'GlobalEventTable', TimeToLiveSpecification: { Enabled, AttributeName: 'ExpiresAt' } }));
    await change('us-east-1', false);
    expect((await client('eu-west-1').send(new DescribeTimeToLiveCommand({ TableName: 'GlobalEventTable' }))).TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    for (const region of ['us-east-1', 'eu-west-1']) {
      await expect(change(region, true)).rejects.toMatchObject({ name: 'ValidationException', message: 'Time to live has been modified multiple times within a fixed interval' });
    }
    await model.advance(3_600_000);
    await change('eu-west-1', true);
    expect((await client('us-east-1').send(new DescribeTimeToLiveCommand({ TableName: 'GlobalEventTable' }))).TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });
});
