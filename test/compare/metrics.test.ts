import { describe, expect, it } from 'vitest';
import { combinationMetrics, latency, lostWrites, percentile, writeUnitsOf } from '../../src/compare/metrics.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { TraceEvent } from '../../src/trace/events.js';
import type { Item } from '../../src/trace/item.js';
import { scenarioFromFile, scenarioFromYaml } from '../helpers/scenario.js';

const item = (id: string, extra: Record<string, unknown> = {}): Item => ({ Id: id, ...extra }) as Item;
const v = (ts: number, region: string) => ({ ts, region });
/** A scenario whose first step puts BIG#1, an item over 1 KB (2 write units), then `rest` (its later steps and expect). */
const afterBigItem = (name: string, rest: string) =>
  scenarioFromYaml(`
name: ${name}
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: lww-item, idempotency: none }
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: "BIG#1", note: "${'x'.repeat(1100)}" } }
${rest}`);

describe('compare metrics', () => {
  it('percentile: nearest rank over sorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(samples, 50), percentile(samples, 95), percentile(samples, 99), percentile(samples, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('latency pairs each client send with the next outcome of that event in that region', () => {
    const trace = [
      { seq: 1, t: 0, kind: 'client-event', region: 'a', eventId: 'e1' },
      { seq: 2, t: 10, kind: 'client-event', region: 'b', eventId: 'e1' },
      { seq: 3, t: 25, kind: 'event-outcome', region: 'b', eventId: 'e1', attempts: 1 },
      { seq: 4, t: 40, kind: 'event-outcome', region: 'a', eventId: 'e1', attempts: 1 },
      { seq: 5, t: 50, kind: 'client-event', region: 'a', eventId: 'e2' },
    ] as unknown as TraceEvent[];
    // e2 was never answered: no sample.
    expect(latency(trace)).toEqual({ samples: 2, p50: 15, p95: 40, p99: 40, max: 40 });
  });

  it('write units: 1 per KB started, twice inside a transaction, 1 per KB in each replica that receives a write', () => {
    const small = item('A', { s: 'x' });
    const big = item('B', { s: 'x'.repeat(1100) }); // just over 1 KB: 2 units
    const trace = [
      { seq: 1, t: 0, kind: 'local-write', region: 'a', itemId: 'A', op: 'put', before: null, after: small, version: v(0, 'a') },
      { seq: 2, t: 0, kind: 'local-write', region: 'a', itemId: 'B', op: 'put', before: null, after: big, version: v(0, 'a'), transaction: 'tx1' },
      { seq: 3, t: 0, kind: 'local-write', region: 'a', itemId: 'B', op: 'delete', before: big, after: null, version: v(1, 'a') },
      { seq: 4, t: 800, kind: 'replication-applied', from: 'a', to: 'b', itemId: 'B', before: null, after: big, version: v(0, 'a'), conflict: false },
      { seq: 5, t: 800, kind: 'replication-discarded', from: 'a', to: 'b', itemId: 'A', incoming: small, kept: small, incomingVersion: v(0, 'a'), keptVersion: v(1, 'b'), reason: 'older', conflict: false },
    ] as unknown as TraceEvent[];
    expect(writeUnitsOf(trace)).toEqual({ local: 1 + 4 + 2, replicated: 2 + 1 });
  });

  it('write units: a put or update that replaces an item is billed by the larger of the two, as DynamoDB bills it (it was billed by the item after)', () => {
    const small = item('A', { s: 'x' });
    const big = item('A', { s: 'x'.repeat(1100) }); // just over 1 KB: 2 units
    const trace = [
      // shrinking a 2-unit item to a small one still costs 2, inside a transaction twice that
      { seq: 1, t: 0, kind: 'local-write', region: 'a', itemId: 'A', op: 'put', before: big, after: small, version: v(0, 'a') },
      { seq: 2, t: 1, kind: 'local-write', region: 'a', itemId: 'A', op: 'update', before: big, after: small, version: v(1, 'a'), transaction: 'tx1' },
      { seq: 3, t: 2, kind: 'local-write', region: 'a', itemId: 'A', op: 'update', before: small, after: big, version: v(2, 'a') },
    ] as unknown as TraceEvent[];
    expect(writeUnitsOf(trace)).toEqual({ local: 2 + 4 + 2, replicated: 0 });
  });

  it('write units: a replicated write dropped with its deleted table reached no replica, and costs nothing there', () => {
    const trace = [
      { seq: 1, t: 0, kind: 'local-write', region: 'a', itemId: 'A', op: 'put', before: null, after: item('A'), version: v(0, 'a') },
      { seq: 2, t: 800, kind: 'replication-discarded', from: 'a', to: 'b', itemId: 'A', incoming: item('A'), incomingVersion: v(0, 'a'), reason: 'table-deleted', conflict: false },
    ] as unknown as TraceEvent[];
    expect(writeUnitsOf(trace)).toEqual({ local: 1, replicated: 0 });
  });

  it('write units: a TTL delete is free in the region whose Time to Live made it; its replicated delete is billed', () => {
    const record = item('IDEMPOTENCY#k', { ExpiresAt: 1 });
    const trace = [
      { seq: 1, t: 0, kind: 'local-write', region: 'a', itemId: record.Id, op: 'put', before: null, after: record, version: v(0, 'a') },
      { seq: 2, t: 2000, kind: 'local-write', region: 'a', itemId: record.Id, op: 'delete', before: record, after: null, version: v(2000, 'a'), cause: 'TTL', expired: true },
      { seq: 3, t: 2800, kind: 'replication-applied', from: 'a', to: 'b', itemId: record.Id, before: record, after: null, version: v(2000, 'a'), conflict: false },
    ] as unknown as TraceEvent[];
    expect(writeUnitsOf(trace)).toEqual({ local: 1, replicated: 1 });
  });

  it('write units: a refused conditional write costs 1 per KB of the item its condition was checked against (1 when absent), where it was refused; inside a cancelled transaction not doubled', () => {
    const small = item('A', { s: 'x' });
    const big = item('B', { s: 'x'.repeat(1100) }); // just over 1 KB: 2 units
    const trace = [
      { seq: 1, t: 0, kind: 'condition-failed', region: 'a', itemId: 'A', condition: 'attribute_not_exists(Id)', current: small },
      { seq: 2, t: 0, kind: 'condition-failed', region: 'a', itemId: 'B', condition: 'Version = 1', current: big },
      { seq: 3, t: 0, kind: 'condition-failed', region: 'a', itemId: 'C', condition: 'attribute_exists(Id)', current: null },
      { seq: 4, t: 0, kind: 'condition-failed', region: 'a', itemId: 'B', condition: 'Version = 1', current: big, transaction: 'tx1' },
    ] as unknown as TraceEvent[];
    // a refused write changed nothing: it reaches no replica
    expect(writeUnitsOf(trace)).toEqual({ local: 1 + 2 + 1 + 2, replicated: 0 });
  });

  it('write units: a PutItem, UpdateItem or DeleteItem refused by its ConditionExpression is billed (it cost nothing)', async () => {
    const scenario = afterBigItem('refused-writes', `  - at: 1s
    put: { region: us-east-1, item: { Id: "BIG#1", note: short }, condition: { notExists: Id } }
  - at: 1s
    update: { region: us-east-1, id: "BIG#1", set: { paid: true }, condition: { equals: { note: short } } }
  - at: 1s
    delete: { region: us-east-1, id: "GONE#1", condition: { exists: Id } }
expect:
  counts: { conditionFailures: 3 }
`);
    const report = await runScenario(scenario);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    // the put (2 units, and 2 in eu-west-1), then the refused put and update (2 each: the stored
    // item is over 1 KB) and the refused delete of an absent item (1); nothing refused replicates
    expect(combinationMetrics(report, { mode: 'mrec', strategy: 'lww-item' }).writeUnits).toEqual({ total: 9, local: 2 + 2 + 2 + 1, replicated: 2 });
  });

  it('write units: a TransactWriteItems cancelled by a condition bills its refused item once per KB, its other items nothing', async () => {
    const scenario = afterBigItem('cancelled-transaction', `  - at: 1s
    transact:
      region: us-east-1
      ops:
        - put: { item: { Id: "NEW#1", note: fresh } }
        - update: { id: "BIG#1", set: { paid: true }, condition: { equals: { note: short } } }
expect:
  counts: { conditionFailures: 1 }
  items: { "NEW#1": null }
`);
    const report = await runScenario(scenario);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(combinationMetrics(report, { mode: 'mrec', strategy: 'lww-item' }).writeUnits).toEqual({ total: 6, local: 2 + 2, replicated: 2 });
  });

  it('write units: the built-in application’s duplicates (its idempotency record refused inside the transaction) are billed', async () => {
    // idempotency.yaml: one payment applied (record + data item, 2 units each) and replicated (1
    // each), then two repeats whose transactions the record's attribute_not_exists(Id) cancelled (1 each)
    const report = await runScenario(await scenarioFromFile('scenarios/idempotency.yaml'));
    const m = combinationMetrics(report, { mode: 'mrec', strategy: 'client-lww' });
    expect(m.outcomes.duplicates).toBe(2);
    expect(m.writeUnits).toEqual({ total: 8, local: 4 + 2, replicated: 2 });
  });

  it('lost writes: an idempotency record lost to last-writer-wins is the application’s bookkeeping, not a lost write', async () => {
    const record = (region: string) => item('IDEMPOTENCY#charge-1', { EventId: 'charge-1', Region: region });
    const trace = [
      { seq: 1, t: 800, kind: 'replication-applied', from: 'b', to: 'a', itemId: 'IDEMPOTENCY#charge-1', before: record('a'), after: record('b'), version: v(100, 'b'), replacedVersion: v(0, 'a'), conflict: true },
    ] as unknown as TraceEvent[];
    expect(lostWrites(trace)).toBe(0);
    // cross-region-retry: both attempts wrote a record and the account; last-writer-wins dropped one
    // of each (the account's counts under client-lww), and the counter merge keeps both accounts
    const scenario = await scenarioFromFile('scenarios/cross-region-retry.yaml');
    expect(combinationMetrics(await runScenario(scenario), { mode: 'mrec', strategy: 'client-lww' }).lostWrites).toBe(1);
    const counter = { ...scenario, application: { ...scenario.application, strategy: 'counter' as const } };
    expect(combinationMetrics(await runScenario(counter), { mode: 'mrec', strategy: 'counter' }).lostWrites).toBe(0);
  });

  it('lost writes: one write dropped at two replicas counts once; a conflict whose sides were equal loses nothing', () => {
    const mine = item('A', { Data: { x: 1 } });
    const theirs = item('A', { Data: { x: 2 } });
    const trace = [
      { seq: 1, t: 800, kind: 'replication-discarded', from: 'a', to: 'b', itemId: 'A', incoming: mine, kept: theirs, incomingVersion: v(0, 'a'), keptVersion: v(100, 'b'), reason: 'older', conflict: true },
      { seq: 2, t: 900, kind: 'replication-applied', from: 'b', to: 'a', itemId: 'A', before: mine, after: theirs, version: v(100, 'b'), replacedVersion: v(0, 'a'), conflict: true },
      { seq: 3, t: 950, kind: 'replication-applied', from: 'b', to: 'a', itemId: 'C', before: item('C'), after: item('C'), version: v(100, 'b'), replacedVersion: v(0, 'a'), conflict: true },
    ] as unknown as TraceEvent[];
    expect(lostWrites(trace)).toBe(1);
  });

  it("lost writes: a loser that reached every region's final item is kept (put back by a repair, or folded in by a merge)", () => {
    const mine = item('A', { Data: { x: 1 }, VersionVector: { a: 1 } });
    const theirs = item('A', { Data: { x: 2 }, VersionVector: { b: 1 } });
    const merged = item('A', { Data: { x: 3 }, VersionVector: { a: 1, b: 1 } });
    const trace = [
      { seq: 1, t: 900, kind: 'replication-applied', from: 'b', to: 'a', itemId: 'A', before: mine, after: theirs, version: v(100, 'b'), replacedVersion: v(0, 'a'), conflict: true },
    ] as unknown as TraceEvent[];
    expect(lostWrites(trace, () => [merged, merged])).toBe(0);
    expect(lostWrites(trace, () => [mine, mine])).toBe(0);
    // one region without the loser's write: lost
    expect(lostWrites(trace, () => [merged, theirs])).toBe(1);
    // no final items known: the service's resolution stands
    expect(lostWrites(trace)).toBe(1);
  });

  it('measures a real run: concurrent.yaml loses one write to last-writer-wins and passes', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/concurrent.yaml'));
    const m = combinationMetrics(report, { mode: 'mrec', strategy: 'client-lww' });
    expect(m).toMatchObject({ mode: 'mrec', strategy: 'client-lww', lostWrites: 1, conflicts: { resolved: 1, merged: 0, refused: 0 }, passed: true });
    expect(m.retries).toEqual({ total: 0, sdk: 0, version: 0, lambda: 0 });
    // Two events, each a TransactWriteItems of a record and the data item (2 units each), both replicated.
    expect(m.writeUnits).toEqual({ total: 12, local: 8, replicated: 4 });
    expect(m.latencyMs).toEqual({ samples: 2, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(m.assertions).toEqual({ passed: report.assertions.length, total: report.assertions.length, failed: [] });
    expect(m.final).toBe(report.final);
  });

  it('names a failed assertion as geosim run does: a check’s after its name, with its time (two checks’ “count failed” read alike)', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/concurrent.yaml'));
    const failing = { ...report, assertions: [{ source: 'check' as const, check: 'after the outage', name: 'count failed', passed: false, expected: 0, actual: 1, at: 4000 }, { source: 'invariant' as const, name: 'converged', passed: false, expected: true, actual: false }] };
    expect(combinationMetrics(failing, { mode: 'mrec', strategy: 'client-lww' }).assertions.failed).toEqual(['after the outage: count failed at 4s', 'invariant: converged']);
  });

  it('counts version-strategy retries from the outcomes and Lambda retries from the counts', async () => {
    const report = await runScenario(await scenarioFromFile('scenarios/lambda-retries.yaml'));
    const m = combinationMetrics(report, { mode: 'mrec', strategy: 'x' });
    expect(m.retries.lambda).toBe(report.counts.lambdaRetries);
    expect(m.retries.lambda).toBeGreaterThan(0);
    const versioned = [{ seq: 1, t: 0, kind: 'event-outcome', region: 'a', eventId: 'e', attempts: 3 }] as unknown as TraceEvent[];
    expect(combinationMetrics({ ...report, trace: versioned }, { mode: 'mrec', strategy: 'version' }).retries.version).toBe(2);
  });
});
