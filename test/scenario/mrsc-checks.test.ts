import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const STEPS = 'steps: [{ at: 0, event: { id: e1, region: us-east-1, item: X, data: {} } }]\n';

function problems(yaml: string) {
  const result = loadScenarioText(yaml + STEPS, 'mrsc.yaml');
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message, hint: p.hint }));
}

describe('mode: mrsc load checks', () => {
  it('loads three replicas of one set, and two replicas with a witness', () => {
    const three = scenarioFromYaml('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\n' + STEPS);
    expect(three.mode).toBe('mrsc');
    expect(three.witness).toBeUndefined();
    const two = scenarioFromYaml('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\n' + STEPS);
    expect(two.witness).toBe('us-west-2');
    expect(two.regions).toEqual(['us-east-1', 'us-east-2']);
  });

  it('defaults to mrec, without a witness', () => {
    const s = scenarioFromYaml('regions: [us-east-1, eu-west-1]\n' + STEPS);
    expect(s.mode).toBe('mrec');
    expect('witness' in s).toBe(false);
  });

  it('refuses us-east-1 with eu-west-1 at the regions line, naming the allowed sets', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, eu-west-1]\nwitness: us-west-2\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'mrsc-region-set', line: 2, col: 10 });
    expect(found[0]!.message).toContain('only inside one region set');
    expect(found[0]!.hint).toBe('the sets: US (us-east-1, us-east-2, us-west-2); EU (eu-west-1, eu-west-2, eu-west-3, eu-central-1); AP (ap-northeast-1, ap-northeast-2, ap-northeast-3)');
  });

  it('takes an outage or a replication pause of the witness (its quorum is what they take away)', () => {
    const s = scenarioFromYaml(
      'mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nfaults:\n  - { at: 0, until: 1s, outage: { region: us-west-2 } }\n  - { at: 0, until: 1s, pauseReplication: { region: us-west-2, continuesFor: 0s } }\n  - { at: 0, until: 1s, pauseReplication: { from: us-west-2, to: us-east-1, continuesFor: 0s } }\n' + STEPS,
    );
    expect(s.faults?.map((f) => f.kind)).toEqual(['outage', 'pause-replication', 'pause-replication']);
  });

  it('lists the witness among the regions a fault may name when a fault names an unknown one', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nfaults: [{ at: 0, until: 1s, outage: { region: eu-west-1 } }]\n');
    expect(found).toMatchObject([{ code: 'unknown-region', line: 4, hint: 'declared regions: us-east-1, us-east-2, and the witness us-west-2' }]);
  });

  it('says a step or a setting in the witness region names the witness, which holds no replica', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nfaults: [{ at: 0, until: 1s, clockSkew: { region: us-west-2, skew: 5ms } }]\n');
    expect(found).toMatchObject([{ code: 'unknown-region', line: 4, message: 'region "us-west-2" is the witness, which holds no replica: steps and settings name replica regions', hint: 'name one of the replica regions: us-east-1, us-east-2 (only an outage or a replication pause may name the witness)' }]);
    const lambda = problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nfaults: [{ at: 0, lambdaFailure: { region: us-west-2, error: throw } }]\n');
    expect(lambda).toMatchObject([{ code: 'unknown-region', line: 4 }]);
  });

  it('points at the witness when only the witness is outside the replicas\' set', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: eu-west-1\n');
    expect(found).toMatchObject([{ code: 'mrsc-region-set', line: 3, col: 10 }]);
  });

  it('names a region in no set', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2, sa-east-1]\n');
    expect(found[0]!.message).toContain('(sa-east-1 in no set)');
  });

  it('refuses two regions without a witness, four regions, and a witness with three', () => {
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2]\n').map((p) => p.code)).toEqual(['mrsc-regions']);
    expect(problems('mode: mrsc\nregions: [eu-west-1, eu-west-2, eu-west-3, eu-central-1]\n').map((p) => p.code).filter((c) => c !== 'unknown-region')).toEqual(['mrsc-regions']);
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nwitness: us-west-2\n').map((p) => p.code).sort()).toEqual(['mrsc-regions', 'mrsc-witness-replica']);
  });

  it('refuses a witness that is one of the replicas', () => {
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-east-2\n')).toMatchObject([{ code: 'mrsc-witness-replica', line: 3, col: 10 }]);
  });

  it('refuses a witness on mrec', () => {
    expect(problems('regions: [us-east-1, us-east-2]\nwitness: us-west-2\n')).toMatchObject([{ code: 'witness-without-mrsc', line: 2, col: 1 }]);
  });

  it('refuses a declared table with Time to Live', () => {
    const yaml = `mode: mrsc
regions: [us-east-1, us-east-2, us-west-2]
tables:
  - TableName: T
    AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
    KeySchema: [{ AttributeName: pk, KeyType: HASH }]
    BillingMode: PAY_PER_REQUEST
    TimeToLiveSpecification: { Enabled: true, AttributeName: exp }
steps: [{ at: 0, put: { region: us-east-1, table: T, item: { pk: a } } }, { at: 0, put: { region: us-east-1, table: Nope, item: { pk: a } } }]
`;
    const result = loadScenarioText(yaml, 'mrsc.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => ({ code: p.code, line: p.line }))).toContainEqual({ code: 'mrsc-ttl', line: 8 });
    // the table is there all the same: a step on a table nobody declared is still refused in the same pass
    if (!result.ok) expect(result.problems.map((p) => p.code)).toContain('dynamodb-refuses');
  });

  it('refuses a declared table with local secondary indexes in AWS\'s words, not as a gap of the model', () => {
    const yaml = `mode: mrsc
regions: [us-east-1, us-east-2, us-west-2]
tables:
  - TableName: T
    AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: S }, { AttributeName: d, AttributeType: S }]
    KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: sk, KeyType: RANGE }]
    LocalSecondaryIndexes:
      - { IndexName: byD, KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: d, KeyType: RANGE }], Projection: { ProjectionType: ALL } }
steps: [{ at: 0, put: { region: us-east-1, table: T, item: { pk: a, sk: b } } }]
`;
    const result = loadScenarioText(yaml, 'mrsc.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.problems.map((p) => ({ code: p.code, line: p.line, message: p.message }));
    expect(found).toContainEqual({ code: 'mrsc-lsi', line: 7, message: 'MRSC global tables do not support local secondary indexes' });
    expect(found.map((p) => p.code)).not.toContain('not-modeled');
    // and the step on that table is not refused again (a ResourceNotFoundException with an empty list of declared tables)
    expect(found.map((p) => p.code)).toEqual(['mrsc-lsi']);
  });

  it('refuses application.idempotencyTtlSeconds at its key: MRSC has no Time to Live, so the records would never expire (it was dropped silently)', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\napplication:\n  strategy: lww-item\n  idempotencyTtlSeconds: 60\n');
    expect(found).toEqual([
      {
        code: 'mrsc-ttl',
        line: 5,
        col: 3,
        message: 'MRSC global tables do not support Time to Live: idempotency records get no ExpiresAt and never expire, so idempotencyTtlSeconds has nothing to set',
        hint: 'remove idempotencyTtlSeconds (on MRSC a retry of an event is a duplicate however late it comes), or use mode: mrec',
      },
    ]);
    // the default (not written) is no problem on MRSC, and the key is still MREC's
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\napplication: { strategy: lww-item }\n')).toEqual([]);
    expect(problems('regions: [us-east-1, us-east-2]\napplication: { idempotencyTtlSeconds: 60 }\n')).toEqual([]);
    // next to a module it is the built-in application's key, said once
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\napplication: { module: ./h.mjs, idempotencyTtlSeconds: 60 }\n').map((p) => p.code)).toEqual(['built-in-only']);
  });

  it("refuses replication.coalesce: true at its key: every MRSC replica's stream holds the same records (it coalesced writes to the replica that did not confirm them)", () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2]\nwitness: us-west-2\nreplication:\n  coalesce: true\n');
    expect(found).toEqual([
      {
        code: 'mrsc-coalesce',
        line: 5,
        col: 3,
        message: "MRSC replicates every change: each replica's stream holds the same records, so no write is coalesced (combining changes is MREC's)",
        hint: 'remove coalesce, or use mode: mrec',
      },
    ]);
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nreplication: { coalesce: false }\n')).toEqual([]);
    expect(problems('regions: [us-east-1, us-east-2]\nreplication: { coalesce: true }\n')).toEqual([]);
  });

  it('refuses an unknown mode with the allowed values', () => {
    const found = problems('mode: strong\nregions: [us-east-1, us-east-2, us-west-2]\n');
    expect(found[0]!.line).toBe(1);
    expect(`${found[0]!.message} ${found[0]!.hint ?? ''}`).toContain('mrsc');
  });

  it('four regions and a witness that is one of them: the witness named once, and a hint that fits four (it listed us-west-2 twice and said “with three regions, leave witness out”)', () => {
    const found = problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2, eu-west-1]\nwitness: us-west-2\n');
    expect(found.find((p) => p.code === 'mrsc-region-set')?.message).toBe('MRSC allows a global table only inside one region set, found us-east-1, us-east-2, us-west-2, eu-west-1 (more than one set)');
    expect(found.find((p) => p.code === 'mrsc-regions')?.hint).toBe('list two regions and the witness, or three regions and no witness');
    expect(problems('mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nwitness: eu-west-1\n').find((p) => p.code === 'mrsc-regions')?.hint).toBe('with three regions, leave `witness` out');
  });
});
