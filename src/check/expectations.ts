import { canonicalItem, ownValue, sameValue, type AttributeValue, type Item } from '../trace/item.js';
import type { Expectation, ItemExpectation } from '../scenario/model.js';
import type { AssertionFields, AssertionResult, CountName, RunCounts } from '../trace/report.js';

/** Where an expectation block is written: the scenario's `expect`, or a `check` step. */
export type ExpectationOrigin = { source: 'expectation' } | { source: 'check'; check: string };

/** What the checks look at: items per region and the counts so far. */
export interface CheckedState {
  items: Record<string, Record<string, Item>>;
  counts: RunCounts;
}

/** Evaluates one expectation block; one result per thing checked, expected next to actual. */
export function checkExpectation(expect: Expectation, state: CheckedState, origin: ExpectationOrigin, at?: number): AssertionResult[] {
  const results: AssertionResult[] = [];
  // { name, source, check?, ...fields, at? }, built without rest and spreads (every run's checks come here)
  const push = (fields: AssertionFields) => {
    const result = (origin.source === 'check' ? { name: fields.name, source: 'check', check: origin.check } : { name: fields.name, source: origin.source }) as AssertionResult;
    for (const k in fields) if (k !== 'name') (result as unknown as Record<string, unknown>)[k] = (fields as unknown as Record<string, unknown>)[k];
    if (at !== undefined) result.at = at;
    results.push(result);
  };
  const regions = Object.keys(state.items);

  if (expect.converged !== undefined) {
    const differing = divergentItems(state.items);
    push({
      name: 'converged',
      passed: (differing.length === 0) === expect.converged,
      expected: expect.converged,
      actual: differing.length === 0,
      ...(differing.length ? { detail: `differs across regions: ${differing.join(', ')}` } : {}),
    });
  }
  for (const [id, expected] of Object.entries(expect.items ?? {})) {
    for (const region of regions) push(itemResult(region, id, expected, ownValue(ownValue(state.items, region), id)));
  }
  for (const [region, items] of Object.entries(expect.regions ?? {})) {
    for (const [id, expected] of Object.entries(items)) push(itemResult(region, id, expected, ownValue(ownValue(state.items, region), id)));
  }
  for (const [name, expected] of Object.entries(expect.counts ?? {})) {
    // The names were checked against COUNT_NAMES when the scenario loaded.
    const actual = state.counts[name as CountName];
    push({ name: `count ${name}`, passed: actual === expected, expected, actual });
  }
  for (const [key, expected] of Object.entries(expect.effects ?? {})) {
    const actual = ownValue(state.counts.effects, key) ?? 0;
    push({ name: `effects of key ${key}`, passed: actual === expected, expected, actual });
  }
  return results;
}

/** Checks a read's result against what the step expected. */
export function checkRead(name: string, expected: ItemExpectation, actual: Item | undefined, at: number): AssertionResult {
  const { passed, actual: got } = itemResult('', '', expected, actual);
  return { name, source: 'step', passed, expected, actual: got, at };
}

function itemResult(region: string, id: string, expected: ItemExpectation, actual: Item | undefined): AssertionFields {
  const name = `${region} ${id}`;
  // `actual` in the canonical order: each backend answers attributes in its own, and a report must read the same on all.
  const shown = actual === undefined ? null : canonicalItem(actual);
  if (expected === null) return { name: `${name} absent`, passed: actual === undefined, expected: null, actual: shown };
  return { name, passed: actual !== undefined && matchesSubset(expected, actual), expected, actual: shown };
}

/** Every expected attribute is present with that value; nested maps match as subsets. */
export function matchesSubset(expected: Record<string, AttributeValue>, actual: Record<string, AttributeValue>): boolean {
  return Object.entries(expected).every(([k, v]) => {
    const a = ownValue(actual, k);
    if (isMap(v) && isMap(a)) return matchesSubset(v, a);
    return sameValue(v, a);
  });
}

function isMap(v: AttributeValue | undefined): v is Record<string, AttributeValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ids of items that are not identical in every region. */
export function divergentItems(items: Record<string, Record<string, Item>>): string[] {
  const regions = Object.values(items);
  const ids = new Set<string>();
  for (const r of regions) for (const id of Object.keys(r)) ids.add(id);
  return [...ids].sort().filter((id) => regions.some((r) => !sameValue(ownValue(r, id), ownValue(regions[0], id))));
}
