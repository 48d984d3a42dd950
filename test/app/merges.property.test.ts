import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Item } from '../../src/app/item.js';
import { mergeItems, strategyWrite } from '../../src/app/merges.js';
import type { LagSpec, Scenario, Step } from '../../src/scenario/model.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

/**
 * Each region applies its own writes to its copy of a common base (distinct client times), giving
 * one version per region, concurrent with the others.
 */
const histories = fc.array(
  fc.record({ region: fc.integer({ min: 0, max: 2 }), attr: fc.constantFrom('x', 'y', 'z'), n: fc.integer({ min: -5, max: 9 }), set: fc.boolean() }),
  { minLength: 1, maxLength: 12 },
);

function versions(strategy: 'counter' | 'lww-attribute', writes: { region: number; attr: string; n: number; set: boolean }[]): Item[] {
  const copies: (Item | undefined)[] = REGIONS.map(() => undefined);
  writes.forEach((w, i) => {
    const region = REGIONS[w.region]!;
    const current = copies[w.region];
    const change = strategy === 'counter' || !w.set ? { data: {}, add: { [w.attr]: w.n } } : { data: { [w.attr]: `v${i}` }, add: {} };
    copies[w.region] = { Id: 'X', ...current, ...strategyWrite(strategy, current, { ...change, clientTime: 1000 + i, region }), Timestamp: 1000 + i, LastUpdatedRegion: region };
  });
  return copies.filter((c): c is Item => c !== undefined);
}

async function fold(strategy: 'counter' | 'lww-attribute', items: Item[]): Promise<Item> {
  let out = items[0]!;
  for (const item of items.slice(1)) out = await mergeItems(strategy, out, item);
  return out;
}

describe('merge strategies converge whatever order the versions meet in (property)', () => {
  for (const strategy of ['counter', 'lww-attribute'] as const) {
    it(`${strategy}: merge is commutative, associative and idempotent on the versions`, async () => {
      await fc.assert(
        fc.asyncProperty(histories, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), async (writes, order) => {
          const vs = versions(strategy, writes);
          const shuffled = [...vs].map((v, i) => ({ v, k: order[i]! })).sort((a, b) => a.k - b.k).map(({ v }) => v);
          const one = await fold(strategy, vs);
          const other = await fold(strategy, shuffled);
          expect(canonicalJson(other)).toBe(canonicalJson(one));
          expect(canonicalJson(await mergeItems(strategy, one, one))).toBe(canonicalJson(one));
          expect(canonicalJson(await fold(strategy, [...vs, ...shuffled]))).toBe(canonicalJson(one));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('counter: the merged value is the sum of every increment', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (writes) => {
        const merged = await fold('counter', versions('counter', writes));
        for (const attr of ['x', 'y', 'z']) {
          const total = writes.filter((w) => w.attr === attr).reduce((s, w) => s + w.n, 0);
          const value = (merged.Data as Record<string, number>)[attr];
          if (writes.some((w) => w.attr === attr)) expect(value).toBe(total);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Random workloads through the model: random lags, times and regions, the strategy's consumers at work. */
const lag: fc.Arbitrary<LagSpec> = fc.oneof(
  fc.integer({ min: 0, max: 1500 }).map((ms) => ({ distribution: 'fixed' as const, ms })),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([a, b]) => ({ distribution: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
);
const workload = fc.array(fc.record({ at: fc.integer({ min: 0, max: 3000 }), region: fc.constantFrom(...REGIONS), n: fc.integer({ min: -3, max: 9 }), tag: fc.constantFrom('a', 'b', 'c') }), { minLength: 1, maxLength: 10 });

function scenario(strategy: Scenario['application']['strategy'], lags: LagSpec[], seed: number, events: { at: number; region: string; n: number; tag: string }[]): Scenario {
  const links = REGIONS.flatMap((from) => REGIONS.filter((to) => to !== from).map((to) => ({ from, to })));
  const steps: Step[] = events.map((e, i) => ({
    at: e.at,
    index: i,
    kind: 'event',
    event: { id: `e${i}`, region: e.region, key: `e${i}`, item: 'C#1', data: strategy === 'counter' ? {} : { [`by${i % 3}`]: e.tag, tags: [e.tag] }, add: { n: e.n }, type: 't', domain: 'd', priority: '5', correlationId: `e${i}` },
  }));
  return {
    name: 'property',
    file: 'property',
    seed,
    mode: 'mrec',
    regions: REGIONS,
    replication: { links: links.map((l, i) => ({ ...l, lag: lags[i % lags.length]! })), coalesce: false, tieBreak: 'higher-region' },
    clockSkew: {},
    application: { strategy, idempotency: 'local', idempotencyTtlSeconds: 60, maxRetries: 3, consumerDelay: 50 },
    steps: steps.sort((a, b) => a.at - b.at || a.index - b.index),
  };
}

describe('merge strategies in the model: every region ends with the same item (property)', () => {
  const merge = async (stored: Record<string, unknown>, incoming: Record<string, unknown>) => ({ ...stored, ...incoming, merged: true });
  for (const strategy of ['counter', 'lww-attribute', 'automerge', 'custom'] as const) {
    it(`${strategy}: replicas converge under any delivery order${strategy === 'counter' ? ', and no increment is lost' : ''}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(lag, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1000 }), workload, async (lags, seed, events) => {
          const report = await runScenario(scenario(strategy, lags, seed, events), strategy === 'custom' ? { mergeFunction: merge as never } : {});
          const items = REGIONS.map((r) => canonicalJson(report.final[r]!['C#1']!));
          expect(new Set(items).size).toBe(1);
          if (strategy === 'counter') expect((report.final[REGIONS[0]!]!['C#1']!.Data as Record<string, number>).n).toBe(events.reduce((s, e) => s + e.n, 0));
        }),
        { numRuns: 40 },
      );
    });
  }
});
