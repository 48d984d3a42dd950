import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWriters } from '../../src/app/conflict-resolver.js';
import type { Item } from '../../src/app/item.js';
import type { LagSpec, Scenario, Step } from '../../src/scenario/model.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];

const lag: fc.Arbitrary<LagSpec> = fc.oneof(
  fc.integer({ min: 0, max: 2000 }).map((ms) => ({ distribution: 'fixed' as const, ms })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([a, b]) => ({ distribution: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
  fc.integer({ min: 1, max: 1500 }).map((mean) => ({ distribution: 'exponential' as const, mean })),
  fc.integer({ min: 0, max: 1500 }).map((mean) => ({ distribution: 'normal' as const, mean, stddev: 300 })),
);

function world(regionCount: number, lags: LagSpec[], coalesce: boolean, tieBreak: 'higher-region' | 'lower-region', steps: Step[], strategy: Scenario['application']['strategy'], skew: number[], skipUnchanged = false): Scenario {
  const regions = REGIONS.slice(0, regionCount);
  const links = regions.flatMap((from) => regions.filter((to) => to !== from).map((to) => ({ from, to })));
  return {
    name: 'property',
    file: 'property',
    seed: 1,
    mode: 'mrec',
    regions,
    replication: { links: links.map((l, i) => ({ ...l, lag: lags[i % lags.length]! })), coalesce, tieBreak, ...(skipUnchanged ? { unchangedWrites: 'skip' as const } : {}) },
    clockSkew: Object.fromEntries(regions.map((r, i) => [r, skew[i] ?? 0])),
    application: { strategy, idempotency: 'local', idempotencyTtlSeconds: 60, maxRetries: 3, consumerDelay: 50 },
    steps: steps.filter((s) => s.kind !== 'write' || regions.includes(s.region)).sort((a, b) => a.at - b.at || a.index - b.index),
  };
}

const rawWrite = fc
  .record({
    at: fc.integer({ min: 0, max: 5000 }),
    region: fc.constantFrom(...REGIONS),
    id: fc.constantFrom('a', 'b', 'c'),
    kind: fc.constantFrom('put', 'update', 'delete'),
    n: fc.integer({ min: 0, max: 9 }),
  })
  .map(({ at, region, id, kind, n }, index = 0): Step => {
    const op = kind === 'put' ? { kind: 'put' as const, item: { Id: id, n } } : kind === 'update' ? { kind: 'update' as const, id, set: { [`f${n % 3}`]: n } } : { kind: 'delete' as const, id };
    return { at, index, kind: 'write', region, op };
  });

describe('convergence (property)', () => {
  it('every replica holds the same items once replication drains, for any writes, lags, tie rule, coalescing and unchangedWrites', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(lag, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom('higher-region' as const, 'lower-region' as const),
        fc.array(rawWrite, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        // (puts of ten values on three items: many a put writes what its item already holds)
        fc.boolean(),
        async (regionCount, lags, coalesce, tieBreak, writes, seed, skipUnchanged) => {
          const steps = writes.map((s, index) => ({ ...s, index }));
          const report = await runScenario(world(regionCount, lags, coalesce, tieBreak, steps, 'service-lww', [], skipUnchanged), { seed });
          const [first, ...rest] = Object.values(report.final);
          for (const other of rest) expect(other).toEqual(first);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('client-lww converges on the applied event with the latest client Timestamp, whatever the clock skew', async () => {
    const event = fc.record({
      at: fc.integer({ min: 0, max: 4000 }),
      region: fc.integer({ min: 0, max: 2 }),
      item: fc.constantFrom('O#1', 'O#2'),
      v: fc.integer({ min: 0, max: 99 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(lag, { minLength: 1, maxLength: 6 }),
        fc.array(event, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: -3000, max: 3000 }), { minLength: 3, maxLength: 3 }),
        async (regionCount, lags, events, skew) => {
          const steps: Step[] = events.map((e, index) => ({
            at: e.at,
            index,
            kind: 'event',
            event: { id: `e${index}`, key: `e${index}`, region: REGIONS[e.region % regionCount]!, item: e.item, data: { v: e.v, i: index }, type: 't', domain: 'd', priority: '1', correlationId: `e${index}` },
          }));
          const report = await runScenario(world(regionCount, lags, false, 'higher-region', steps, 'client-lww', skew));
          const [first, ...rest] = Object.values(report.final);
          for (const other of rest) expect(other).toEqual(first);
          // The winner of each item: the max over every data write the processor applied.
          const written = new Map<string, Item>();
          for (const e of report.trace) {
            if (e.kind === 'local-write' && e.after && !e.itemId.startsWith('IDEMPOTENCY#')) {
              const best = written.get(e.itemId);
              if (!best || compareWriters(e.after, best) > 0) written.set(e.itemId, e.after);
            }
          }
          for (const [id, winner] of written) expect(first![id]?.Data).toEqual(winner.Data);
        },
      ),
      { numRuns: 150, seed: 12 },
    );
  });
});
