import { ownValue, type Item } from '../trace/item.js';
import type { Scenario } from '../scenario/model.js';
import { MERGE_FUNCTION_ERROR, type TraceEvent } from '../trace/events.js';
import type { AssertionResult, RunCounts } from '../trace/report.js';
import { divergentItems } from './expectations.js';

/**
 * Where an event ended up. Best first: an event that took effect once is `processed` whatever
 * happened to its other attempts.
 * - processed / superseded / duplicate: the processor (or Step Functions' name dedupe) dealt with it;
 * - dead-lettered: it sits in a dead-letter queue, with its error, for a redrive;
 * - returned: a synchronous caller got the error (a refused request with no failover, a direct
 *   invocation that failed); nothing holds the event any more, but the client knows;
 * - lost: dropped with nobody told (retries exhausted with no dead-letter queue), or never finished.
 */
export type EventFate = 'processed' | 'superseded' | 'duplicate' | 'dead-lettered' | 'returned' | 'lost';

const RANK: Record<EventFate, number> = { processed: 0, superseded: 1, duplicate: 2, 'dead-lettered': 3, returned: 4, lost: 5 };

export interface FateRecord {
  fate: EventFate;
  /** Why, for lost and returned events. */
  reason?: string;
}

/** Every client event's fate, in the order events first appear, from the trace alone. */
export function eventFates(trace: readonly TraceEvent[]): Map<string, FateRecord> {
  const best = new Map<string, EventFate | undefined>();
  const inQueue = new Map<string, boolean>();
  const returned = new Map<string, string>();
  const dropped = new Map<string, string>();
  // The built-in processor's duplicates by event, and the keys some event of which took effect: a
  // duplicate of a key that never did was not dealt with (a record that outlived its failed write)
  const duplicateOf = new Map<string, string>();
  const tookEffect = new Set<string>();
  const settle = (id: string, fate: EventFate) => {
    const current = best.get(id);
    if (current === undefined || RANK[fate] < RANK[current]) best.set(id, fate);
  };
  for (const e of trace) {
    switch (e.kind) {
      case 'client-event':
        if (!best.has(e.eventId)) best.set(e.eventId, undefined);
        break;
      case 'event-outcome':
        if (e.outcome === 'applied' || e.outcome === 'superseded') tookEffect.add(e.idempotencyKey);
        if (e.outcome === 'applied') settle(e.eventId, 'processed');
        else if (e.outcome === 'superseded') settle(e.eventId, 'superseded');
        else if (e.outcome === 'duplicate') {
          settle(e.eventId, 'duplicate');
          // (a team's handler's "duplicate" is an attempt that changed nothing: no claim to check)
          if (e.handler === undefined) duplicateOf.set(e.eventId, e.idempotencyKey);
        } else returned.set(e.eventId, `the processor gave up${e.detail ? `: ${e.detail}` : ''}`);
        break;
      case 'execution-rejected':
        // Step Functions refused a second start under the key: recognised as a duplicate by name (§5).
        settle(e.eventId, 'duplicate');
        break;
      case 'dead-lettered':
        inQueue.set(e.eventId, true);
        break;
      case 'redriven':
        inQueue.set(e.eventId, false);
        break;
      case 'request-rejected':
        if (!e.failoverTo) returned.set(e.eventId, `${e.region} refused it and the client has no region left to fail over to`);
        break;
      case 'lambda-attempt-failed':
        if (e.invocation === 'direct') for (const id of e.eventIds) returned.set(id, `the synchronous call failed: ${e.message}`);
        break;
      case 'event-lost':
        dropped.set(e.eventId, e.reason);
        inQueue.set(e.eventId, false);
        break;
      default:
        break;
    }
  }
  const out = new Map<string, FateRecord>();
  for (const [id, fate] of best) {
    const key = duplicateOf.get(id);
    if (fate === 'duplicate' && key !== undefined && !tookEffect.has(key)) {
      out.set(id, { fate: 'lost', reason: `taken for a duplicate of key ${key}, which no event of the run wrote: its idempotency record outlived a write that failed` });
    } else if (fate !== undefined) out.set(id, { fate });
    else if (inQueue.get(id)) out.set(id, { fate: 'dead-lettered' });
    else if (dropped.has(id)) out.set(id, { fate: 'lost', reason: dropped.get(id)! });
    else if (returned.has(id)) out.set(id, { fate: 'returned', reason: returned.get(id)! });
    else out.set(id, { fate: 'lost', reason: 'it never reached an end: no outcome, no dead-letter queue' });
  }
  return out;
}

export interface InvariantInput {
  trace: readonly TraceEvent[];
  final: Record<string, Record<string, Item>>;
  /** Every declared table's final items (report.tables): convergence compares each of them. */
  tables?: Record<string, Record<string, Record<string, Item>>>;
  /** Events the scenario declares lost (`expect.lost`). */
  expectLost?: readonly string[];
  /** The scenario's `expect.converged`; `false` turns the convergence invariant off. */
  expectConverged?: boolean;
  /** Data writes applied per idempotency key (`counts.effects`). */
  effects?: Readonly<Record<string, number>>;
  /** The scenario's `expect.effects`: keys whose count it states itself (a double effect it means to show). */
  expectEffects?: Readonly<Record<string, number>>;
}

/**
 * The model's own invariants, checked after every run besides the scenario's assertions (issue 7):
 * - conservation: every event ends processed, a duplicate, superseded or in a dead-letter queue
 *   (or returned to a synchronous caller); none is lost, except those the scenario names;
 * - convergence: once the last fault has ended and replication has drained, every replica holds
 *   the same items. A scenario that means to end diverged says `expect.converged: false`.
 * - effects: no idempotency key takes effect more than once, unless the scenario states that key's
 *   count in `expect.effects` (a double effect it means to show); the detail reports the counts.
 * Each has the source `invariant` (the views show it as "invariant: …"); a failure fails the run.
 */
export function checkInvariants(input: InvariantInput): AssertionResult[] {
  const results: AssertionResult[] = [];
  const fates = eventFates(input.trace);
  const lost = [...fates].filter(([, f]) => f.fate === 'lost').map(([id]) => id);
  const allowed = [...(input.expectLost ?? [])];
  const unexpected = lost.filter((id) => !allowed.includes(id));
  const missing = allowed.filter((id) => !lost.includes(id));
  const tally = new Map<EventFate, number>();
  for (const f of fates.values()) tally.set(f.fate, (tally.get(f.fate) ?? 0) + 1);
  const summary = [...tally].sort(([a], [b]) => RANK[a] - RANK[b]).map(([fate, n]) => `${n} ${fate}`);
  const why = [
    ...unexpected.map((id) => `${id} lost: ${fates.get(id)!.reason}`),
    ...missing.map((id) => `${id} was expected lost but ended ${fates.get(id)?.fate ?? 'unsent'}`),
  ];
  const describeLost = (ids: string[]) => (ids.length ? `lost: ${ids.join(', ')}` : 'none lost');
  if (fates.size > 0 || allowed.length > 0) results.push({
    name: 'conservation (no event lost)',
    source: 'invariant',
    passed: unexpected.length === 0 && missing.length === 0,
    expected: describeLost(allowed),
    actual: describeLost(lost),
    detail: [summary.join(', ') || 'no events', ...why].join('; '),
  });
  if (input.effects !== undefined && Object.keys(input.effects).length > 0) results.push(effectsInvariant(input.effects, input.expectEffects ?? {}));
  const problems = input.trace.filter((e): e is Extract<TraceEvent, { kind: 'handler-problem' }> => e.kind === 'handler-problem');
  if (problems.length > 0) {
    results.push({
      name: 'your handler stayed inside the model',
      source: 'invariant',
      passed: false,
      expected: 'no refused call, no error after an invocation ended',
      actual: `${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      detail: problems.slice(0, 5).map((p) => `${p.region} ${p.eventId}: ${p.message}`).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''),
    });
  }
  // A custom merge that throws leaves the item as the service's last writer left it: the write it
  // lost stays lost, and the run would pass. The team's merge is the code under test: fail it.
  const merges = input.trace.filter((e): e is Extract<TraceEvent, { kind: 'operation-failed' }> => e.kind === 'operation-failed' && e.error.name === MERGE_FUNCTION_ERROR);
  if (merges.length > 0) {
    results.push({
      name: 'your merge function merged every conflict',
      source: 'invariant',
      passed: false,
      expected: 'no merge threw or returned no map',
      actual: `${merges.length} merge${merges.length === 1 ? '' : 's'} failed`,
      detail: merges.slice(0, 5).map((m) => `${m.region} ${m.itemId} at ${m.t}ms: ${m.error.message}`).join('; ') + (merges.length > 5 ? `; and ${merges.length - 5} more` : ''),
    });
  }
  if (input.expectConverged !== false) {
    // Every declared table is a global table: each must converge, not only the first (`final`).
    const first = input.tables === undefined ? undefined : Object.keys(input.tables)[0];
    const differing = [
      ...divergentItems(input.final),
      ...Object.entries(input.tables ?? {}).flatMap(([table, items]) => (table === first ? [] : divergentItems(items).map((key) => `${table} ${key}`))),
    ];
    results.push({
      name: 'converged once faults ended and replication drained',
      source: 'invariant',
      passed: differing.length === 0,
      expected: true,
      actual: differing.length === 0,
      ...(differing.length ? { detail: `differs across regions: ${differing.join(', ')}` } : {}),
    });
  }
  return results;
}

/** Keys left to their own expectation, with the count each declares: "expect.effects declares a: 1 and checks it". */
function declaredNote(keys: string[], declared: Readonly<Record<string, number>>): string {
  return `expect.effects declares ${keys.map((k) => `${k}: ${ownValue(declared, k)}`).join(', ')} and checks ${keys.length === 1 ? 'it' : 'them'}`;
}

/** At most one effect per idempotency key: the point of idempotency, reported for every run. */
function effectsInvariant(effects: Readonly<Record<string, number>>, declared: Readonly<Record<string, number>>): AssertionResult {
  const keys = Object.keys(effects).sort();
  const repeated = keys.filter((k) => effects[k]! > 1);
  const unexpected = repeated.filter((k) => ownValue(declared, k) === undefined);
  const shown = (ks: string[]) => ks.map((k) => `${k}×${effects[k]}`).join(', ');
  const once = keys.filter((k) => effects[k] === 1).length;
  const detail = [
    `${keys.length} key${keys.length === 1 ? '' : 's'} took effect, ${once} exactly once`,
    // a declared key is left to its own expectation: name the count it declares, not the count it got
    ...(repeated.length ? [`more than once: ${shown(repeated)}${unexpected.length < repeated.length ? ` (${declaredNote(repeated.filter((k) => ownValue(declared, k) !== undefined), declared)})` : ''}`] : []),
  ].join('; ');
  return {
    name: 'at most one effect per idempotency key',
    source: 'invariant',
    passed: unexpected.length === 0,
    expected: 'no key applied twice',
    actual: unexpected.length ? `applied more than once: ${shown(unexpected)}` : repeated.length ? `applied more than once, each key left to expect.effects: ${shown(repeated)}` : 'no key applied twice',
    detail,
  };
}

/**
 * The invariants of one run of `scenario`, for any backend: they read only the trace, the final
 * items and the counts, plus what the scenario declares (`expect.lost`, `expect.converged`,
 * `expect.effects`). Append the result to the report's assertions.
 */
export function invariantsFor(
  scenario: Pick<Scenario, 'expect' | 'expectLost'>,
  run: { trace: readonly TraceEvent[]; final: Record<string, Record<string, Item>>; tables?: Record<string, Record<string, Record<string, Item>>>; counts: Pick<RunCounts, 'effects'> },
): AssertionResult[] {
  return checkInvariants({
    trace: run.trace,
    final: run.final,
    ...(run.tables !== undefined ? { tables: run.tables } : {}),
    effects: run.counts.effects,
    ...(scenario.expectLost ? { expectLost: scenario.expectLost } : {}),
    ...(scenario.expect?.converged !== undefined ? { expectConverged: scenario.expect.converged } : {}),
    ...(scenario.expect?.effects ? { expectEffects: scenario.expect.effects } : {}),
  });
}
