import { canonicalItem, plainMap, type Item } from '../trace/item.js';
import type { LinkSpec, Scenario } from '../scenario/model.js';
import type { TraceEvent } from '../trace/events.js';
import type { AssertionResult, RunCounts, RunReport } from '../trace/report.js';
import { checkExpectation } from './expectations.js';
import { invariantsFor } from './invariants.js';

/** What a finished run hands to the checks, whatever backend produced it. */
export interface FinishedRun {
  trace: readonly TraceEvent[];
  final: Record<string, Record<string, Item>>;
  /** Every declared table's final items (report.tables), when the scenario declares `tables:`. */
  tables?: Record<string, Record<string, Record<string, Item>>>;
  counts: RunCounts;
}

/**
 * The end-of-run verdict: the scenario's `expect` block, then the invariants every run is held to.
 * Every backend calls this one function, so the model and DynamoDB are judged alike.
 */
export function endOfRunAssertions(scenario: Scenario, run: FinishedRun): AssertionResult[] {
  const expected = scenario.expect ? checkExpectation(scenario.expect, { items: run.final, counts: run.counts }, { source: 'expectation' }) : [];
  return [...expected, ...invariantsFor(scenario, run)];
}

/**
 * The report's `final` (and each table of `tables`), as every backend hands it over: regions in
 * the scenario's order, items by key string (the `Id` of GlobalEventTable's items, `pk|sk` with a
 * sort key; sorted by UTF-16 code units), each item's attributes in the canonical order of
 * `canonicalItem` (`Id` first, then sorted by name, nested maps too). So the JSON and text output do
 * not depend on the order a backend returns attributes in. The maps have no prototype: any Id,
 * `__proto__` and `constructor` included, is an own key.
 */
export function finalState(snapshot: Readonly<Record<string, Readonly<Record<string, Item>>>>, regions: readonly string[]): Record<string, Record<string, Item>> {
  const out = plainMap<Record<string, Item>>();
  for (const region of regions) {
    const items = Object.hasOwn(snapshot, region) ? snapshot[region]! : {};
    const ordered = plainMap<Item>();
    for (const id of Object.keys(items).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) ordered[id] = canonicalItem(items[id]!);
    out[region] = ordered;
  }
  return out;
}

/** How a client's events reach the function when it does not wait for the answer (RunReport.delivery). */
function deliveryOf(scenario: Scenario): RunReport['delivery'] {
  if (scenario.stepFunctions !== undefined) return 'step-functions';
  const source = scenario.application.module?.event;
  if (source === 'eventbridge' || source === 'sqs') return source;
  const invocation = scenario.lambda?.invocation;
  return invocation === undefined || invocation === 'direct' ? undefined : invocation;
}

/**
 * The links a report lists with their lag: those between replicas, then MRSC's witness legs (each
 * replica to the witness and back, at the scenario's default lag), so a header shows every lag a
 * write's round trip can take, the witness's included.
 */
export function reportedLinks(scenario: Pick<Scenario, 'regions' | 'witness' | 'replication'>): LinkSpec[] {
  const links = scenario.replication.links.map(({ from, to, lag }) => ({ from, to, lag }));
  const witness = scenario.witness;
  const lag = scenario.replication.witnessLag;
  if (witness === undefined || lag === undefined) return links;
  for (const region of scenario.regions) links.push({ from: region, to: witness, lag }, { from: witness, to: region, lag });
  return links;
}

/** The report fields that describe the scenario and the run's setting, shared by every backend. */
export function reportHeader(scenario: Scenario, seed: number, backend: string): Pick<RunReport, 'scenario' | 'seed' | 'mode' | 'strategy' | 'idempotency' | 'regions' | 'witness' | 'lag' | 'delivery' | 'backend' | 'drawn'> {
  const delivery = deliveryOf(scenario);
  return {
    scenario: { name: scenario.name, file: scenario.file, ...(scenario.description ? { description: scenario.description } : {}) },
    seed,
    mode: scenario.mode,
    // A team's handler has its own strategy and idempotency: the header names the handler instead.
    strategy: scenario.application.module ? `module ${scenario.application.module.given}#${scenario.application.module.handler} (${scenario.application.module.event})` : (scenario.application.strategyAlias ?? scenario.application.strategy),
    idempotency: scenario.application.module ? "the handler's own" : scenario.application.idempotency,
    regions: [...scenario.regions],
    ...(scenario.witness !== undefined ? { witness: scenario.witness } : {}),
    lag: reportedLinks(scenario),
    ...(delivery !== undefined ? { delivery } : {}),
    backend,
    ...(scenario.ranges ? { drawn: { ...scenario.ranges.drawn } } : {}),
  };
}
