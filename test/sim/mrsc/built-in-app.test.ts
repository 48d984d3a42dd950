import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { Rng } from '../../../src/sim/rng.js';
import { SDK_RETRY_BASE_MS, sdkRetryDelay } from '../../../src/sim/sdk-retry.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { COUNT_NAMES } from '../../../src/trace/count-names.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';

const MRSC = 'mode: mrsc\nregions: [us-east-1, us-east-2, us-west-2]\nreplication: { lag: { distribution: fixed, ms: 30 } }\n';

function kinds<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Extract<TraceEvent, { kind: K }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

describe('the built-in application on MRSC', () => {
  it('writes no transaction: the idempotency record (no ExpiresAt: no TTL), then the data item', async () => {
    const report = await runScenario(scenarioFromYaml(`${MRSC}steps: [{ at: 0, event: { id: e1, region: us-east-1, item: K, data: { x: 1 } } }]\n`));
    const writes = kinds(report.trace, 'local-write');
    expect(writes.map((w) => [w.t, w.itemId, w.transaction])).toEqual([
      [0, 'IDEMPOTENCY#e1', undefined],
      [60, 'K', undefined],
    ]);
    expect(writes[0]!.after).not.toHaveProperty('ExpiresAt');
    expect(kinds(report.trace, 'event-outcome')).toMatchObject([{ t: 120, outcome: 'applied', attempts: 1 }]);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
  });

  it('a retry in another region is a duplicate: the record is in every region at once', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${MRSC}steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: K, data: { x: 1 } } }
  - { at: 200, retry: { of: e1, region: us-west-2 } }
`),
    );
    expect(kinds(report.trace, 'event-outcome').map((o) => [o.region, o.outcome])).toEqual([
      ['us-east-1', 'applied'],
      ['us-west-2', 'duplicate'],
    ]);
    expect(report.counts.effects).toEqual({ e1: 1 });
  });

  it('a write conflict is retried by the SDK (sdk-retry events, counted) and then applied', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${MRSC}application: { idempotency: none, strategy: service-lww }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: K, data: { x: 1 } } }
  - { at: 10, event: { id: e2, region: us-east-2, item: K, data: { x: 2 } } }
`),
    );
    const retries = kinds(report.trace, 'sdk-retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toMatchObject({ region: 'us-east-2', itemId: 'K', error: { name: 'ReplicatedWriteConflictException' }, attempt: 2 });
    expect(retries[0]!.delayMs).toBeLessThan(SDK_RETRY_BASE_MS);
    expect(report.counts.sdkRetries).toBe(retries.length);
    expect(report.counts.writeConflicts).toBe(kinds(report.trace, 'operation-failed').length);
    expect(kinds(report.trace, 'event-outcome').map((o) => o.outcome)).toEqual(['applied', 'applied']);
  });

  it('after 3 attempts the SDK gives up: the event fails and its idempotency record is released', async () => {
    // us-east-1 is 1 s from everyone, us-east-2 and us-west-2 are 10 ms apart: e1's data write is in
    // flight 2 s (2000..4000) while e2's refusals come back in 20 ms, so all three attempts meet it.
    const report = await runScenario(
      scenarioFromYaml(`mode: mrsc
regions: [us-east-1, us-east-2, us-west-2]
replication:
  lag: { distribution: fixed, ms: 1s }
  links:
    - { from: us-east-2, to: us-west-2, lag: { distribution: fixed, ms: 10 } }
    - { from: us-west-2, to: us-east-2, lag: { distribution: fixed, ms: 10 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: K, data: { x: 1 } } }
  - { at: 2010, event: { id: e2, region: us-east-2, item: K, data: { x: 2 } } }
`),
    );
    expect(kinds(report.trace, 'event-outcome').map((o) => [o.eventId, o.outcome])).toEqual([
      ['e2', 'failed'],
      ['e1', 'applied'],
    ]);
    expect(report.counts.writeConflicts).toBe(3);
    expect(report.counts.sdkRetries).toBe(2);
    expect(kinds(report.trace, 'sdk-retry').map((r) => r.attempt)).toEqual([2, 3]);
    // the claim was taken back: a retry of e2 would be processed, not taken for a duplicate
    expect(Object.keys(report.final['us-east-2']!)).toContain('IDEMPOTENCY#e1');
    expect(Object.keys(report.final['us-east-2']!)).not.toContain('IDEMPOTENCY#e2');
  });

  it('the backoff is full jitter below base·2^(retry-1), drawn from the seed', () => {
    const a = new Rng(7).stream('sdk-retry');
    const b = new Rng(7).stream('sdk-retry');
    const first = [1, 2, 3].map((n) => sdkRetryDelay(n, a));
    expect([1, 2, 3].map((n) => sdkRetryDelay(n, b))).toEqual(first);
    first.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(SDK_RETRY_BASE_MS * 2 ** i);
    });
  });

  it('appends writeConflicts and sdkRetries to the count names, after every earlier count (then the strategies\' merges)', () => {
    expect(COUNT_NAMES.slice(-3)).toEqual(['writeConflicts', 'sdkRetries', 'merges']);
  });
});

describe('the built-in application in a region without quorum', () => {
  const EU = 'mode: mrsc\nregions: [eu-west-1, eu-west-2, eu-west-3]\nreplication: { lag: { distribution: fixed, ms: 100 } }\n';

  it.each(['none', 'home-region'])('with idempotency %s, an event whose write DynamoDB refuses fails (it ended the run: an internal error, exit 70)', async (idempotency) => {
    const report = await runScenario(
      scenarioFromYaml(`${EU}application: { strategy: lww-item, idempotency: ${idempotency} }\nfaults:\n  - { at: 1s, until: 3s, pauseReplication: { region: eu-west-3 } }\nsteps:\n  - { at: 2s, event: { id: e1, region: eu-west-3, item: K, data: { x: 1 } } }\n`),
    );
    const outcomes = kinds(report.trace, 'event-outcome');
    expect(outcomes.map((o) => [o.outcome, o.detail])).toEqual([['failed', idempotency === 'none' ? 'data write refused: InternalServerError' : 'idempotency record refused in home region eu-west-3: InternalServerError']]);
  });

  it('with local idempotency, a record it could not release is said, and the retry taken for a duplicate fails conservation (it said released, and passed)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${EU}application: { strategy: lww-item, idempotency: local }\nfaults:\n  - { at: 301, until: 3s, pauseReplication: { region: eu-west-3 } }\nsteps:\n  - { at: 100, event: { id: e1, region: eu-west-3, item: K, data: { x: 1 } } }\n  - { at: 4s, retry: { of: e1, region: eu-west-3 } }\n`),
    );
    // the record is confirmed at 300 (a 200 ms round trip); the pause from 301 cuts off the data write's and the release's
    const [failed, duplicate] = kinds(report.trace, 'event-outcome');
    expect(failed!.detail).toBe('data write refused: InternalServerError; idempotency record NOT released (InternalServerError): a retry of this event will be taken for a duplicate');
    expect(duplicate!.outcome).toBe('duplicate');
    expect(report.assertions.find((a) => a.name.startsWith('conservation'))).toMatchObject({ passed: false, actual: 'lost: e1' });
  });
});
