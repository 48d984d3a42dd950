import { assertionLabel } from '../render/assertion-label.js';
import { escapeControlChars } from '../render/control-chars.js';
import { formatTime } from '../render/format-time.js';
import { showValue } from '../render/text.js';
import type { TraceEvent } from '../trace/events.js';
import { canonicalJson, type Item } from '../trace/item.js';
import type { AssertionResult, RunReport } from '../trace/report.js';

/** The first assertion of a run that failed, or undefined when every one passed. */
export function firstFailure(report: RunReport): AssertionResult | undefined {
  return report.assertions.find((a) => !a.passed);
}

/**
 * Which failure an assertion's is, for explore: two runs failed alike when their signatures are
 * equal (one failure reported, one regression file). The failed assertion's source and name (a
 * check step's name too, so two checks of `converged` stay apart), for a count or an effect
 * whether the actual was above or below the expected (a duplicate effect and a lost one are
 * different bugs); an item's end-of-run expectation without its region (`items:` checks every
 * region: one wrong value is one failure, however many regions show it).
 */
export function assertionSignature(a: AssertionResult): string {
  const name = a.source === 'check' ? `${a.check}: ${itemName(a)}` : itemName(a);
  const direction = typeof a.actual === 'number' && typeof a.expected === 'number' && /^(count |effects of key )/.test(a.name) ? (a.actual > a.expected ? ' (above)' : ' (below)') : '';
  return `${a.source}: ${name}${direction}`;
}

/** An item's expectation ("<region> <id>", "<region> <id> absent") is named by its item alone. */
function itemName(a: AssertionResult): string {
  return isItemExpectation(a) ? a.name.slice(a.name.indexOf(' ') + 1) : a.name;
}

function isItemExpectation(a: AssertionResult): boolean {
  return (a.source === 'expectation' || a.source === 'check') && (a.expected === null || isMap(a.expected));
}

/**
 * How an assertion failed, beyond its signature, for the shrinker: a smaller input must fail this
 * way too. For an item's expectation (`items:`, `regions:`, a check's, a read's), what the item
 * held of the attributes it names and whether it lost a write by then (refused, discarded by
 * last-writer-wins, or put over by a handler that had read the item before it): a write lost to a
 * skewed clock and a write never made both leave the item wrong, but only the first is the bug,
 * and a repro must keep it. Empty for other assertions.
 */
export function assertionDetail(a: AssertionResult, trace: readonly TraceEvent[]): string {
  // An effect applied again because Time to Live deleted its idempotency record first, and one
  // applied again because a retry outran the record's replication, are two bugs; a repro keeps which.
  const key = /^effects of key (.*)$/.exec(a.name)?.[1];
  if (key !== undefined && typeof a.actual === 'number' && typeof a.expected === 'number' && a.actual > a.expected) return recordExpired(trace, key, a.expected) ? 'after its idempotency record expired' : '';
  if (!isMap(a.expected) && !(a.expected === null && isItemExpectation(a))) return '';
  const held = !isMap(a.actual) ? 'missing' : isMap(a.expected) ? `held ${JSON.stringify(heldOf(a.expected, a.actual))}` : 'present';
  if (!isItemExpectation(a)) return held;
  const id = itemName(a).replace(/ absent$/, '');
  const losses = lossesOf(trace, id, a.at);
  // missing in its region while another region's write of it was still on its way (a repro with nobody writing it explains nothing)
  if (held === 'missing' && notArrived(trace, id, a.name.slice(0, a.name.indexOf(' ')), a.at)) losses.push('a write not arrived');
  return `${held}${losses.length > 0 ? `, after ${losses.join(' and ')}` : ''}`;
}

/**
 * How item `id` of the scenario's table lost writes in the run (up to `until`, a check's time): a
 * write refused (a condition, DynamoDB, a newer client write), a replicated write discarded, a
 * write a team's handler put over after reading the item before it (a lost update: it replaced a
 * version it never saw, in one region, no last-writer-wins involved; its own earlier writes it saw).
 */
function lossesOf(trace: readonly TraceEvent[], id: string, until = Infinity): string[] {
  let refused = false;
  let discarded = false;
  let overwritten = false;
  // what each event's handler last read of the item, by region (its cause and the replica it read)
  const lastRead = new Map<string, string>();
  for (const e of trace) {
    if (e.t > until) break;
    if (!('itemId' in e) || e.itemId !== id || ('table' in e && e.table !== undefined)) continue;
    if (e.kind === 'condition-failed' || e.kind === 'operation-failed' || (e.kind === 'event-outcome' && (e.outcome === 'superseded' || e.outcome === 'failed'))) refused = true;
    else if (e.kind === 'replication-discarded') discarded = true;
    // (a projection read part of the item: it says nothing of what the write replaced)
    else if (e.kind === 'read' && e.cause !== undefined && e.error === undefined && e.request?.projection === undefined) lastRead.set(`${e.cause}\u0000${e.region}`, itemJson(e.item));
    else if (e.kind === 'local-write' && e.cause !== undefined) {
      const key = `${e.cause}\u0000${e.region}`;
      const read = lastRead.get(key);
      // A put replaces the whole item: one over a version its writer never saw lost that version.
      // An update may merge (ADD), which the trace cannot tell from a stale SET: not counted.
      if (e.op === 'put' && read !== undefined && read !== itemJson(e.before)) overwritten = true;
      // what it wrote, it knows: its next write over it loses nothing
      if (read !== undefined) lastRead.set(key, itemJson(e.after));
    }
  }
  return [...(refused ? ['a refused write'] : []), ...(discarded ? ['a discarded replicated write'] : []), ...(overwritten ? ['a write overwritten unread'] : [])];
}

/**
 * Whether Time to Live deleted the record of idempotency key `key` (`IDEMPOTENCY#<key>`, the built-in
 * application's) between its first effect and the one that was too many (the `expected`+1-th), in any region.
 */
function recordExpired(trace: readonly TraceEvent[], key: string, expected: number): boolean {
  const id = `IDEMPOTENCY#${key}`;
  const effects = trace.filter((e) => e.kind === 'event-outcome' && e.idempotencyKey === key && e.outcome === 'applied').map((e) => e.t);
  const first = effects[0];
  const excess = effects[expected];
  if (first === undefined || excess === undefined) return false;
  return trace.some((e) => e.kind === 'local-write' && e.expired === true && e.itemId === id && e.t >= first && e.t <= excess);
}

/**
 * Whether a write of item `id` of the scenario's table (a value, not a delete) made in a region other
 * than `region` had not reached `region` by `until`: neither applied nor discarded there.
 */
function notArrived(trace: readonly TraceEvent[], id: string, region: string, until = Infinity): boolean {
  const stamp = (v: { ts: number; region: string }) => `${v.ts}@${v.region}`;
  const sent = new Set<string>();
  for (const e of trace) {
    if (e.t > until) break;
    if (!('itemId' in e) || e.itemId !== id || ('table' in e && e.table !== undefined)) continue;
    if (e.kind === 'local-write' && e.region !== region && e.after !== null) sent.add(stamp(e.version));
    else if (e.kind === 'replication-applied' && e.to === region) sent.delete(stamp(e.version));
    else if (e.kind === 'replication-discarded' && e.to === region) sent.delete(stamp(e.incomingVersion));
    // merged into a newer write of the item on its way (coalescing): that one is what travels
    else if (e.kind === 'replication-coalesced' && e.to === region) sent.delete(stamp(e.dropped));
  }
  return sent.size > 0;
}

function itemJson(item: Item | null): string {
  return item === null ? 'null' : canonicalJson(item);
}

/** What `actual` holds of the attributes `expected` names (nested maps the same way); absent ones are left out. */
function heldOf(expected: Record<string, unknown>, actual: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(expected).sort()) {
    if (!Object.hasOwn(actual, name)) continue;
    const e = expected[name];
    const v = actual[name];
    out[name] = isMap(e) && isMap(v) ? heldOf(e, v) : v;
  }
  return out;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The signatures of every assertion the run failed, in the report's order, each once. */
export function failureSignatures(report: RunReport): string[] {
  const out: string[] = [];
  for (const a of report.assertions) {
    if (a.passed) continue;
    const signature = assertionSignature(a);
    if (!out.includes(signature)) out.push(signature);
  }
  return out;
}

/** The first failed assertion's signature (see assertionSignature); undefined when every assertion passed. */
export function failureSignature(report: RunReport): string | undefined {
  const a = firstFailure(report);
  return a === undefined ? undefined : assertionSignature(a);
}

/** The first assertion the run failed with `signature`. */
function failedWith(report: RunReport, signature: string): AssertionResult | undefined {
  return report.assertions.find((a) => !a.passed && assertionSignature(a) === signature);
}

/** How the run failed with `signature` (assertionDetail); undefined when it did not. */
export function failureDetail(report: RunReport, signature: string): string | undefined {
  const a = failedWith(report, signature);
  return a === undefined ? undefined : assertionDetail(a, report.trace);
}

/**
 * Whether a run fails "the same way" as a failure with `signature`, failed `detail` way, in a run
 * that failed `allowed`: that assertion fails as it did, and no assertion fails that did not fail
 * then (a repro that drops an expectation must not fail an invariant the expectation stood for,
 * and a keep-going failure that came with another may keep it).
 */
export function failsTheSameWay(report: RunReport, signature: string, detail: string, allowed: ReadonlySet<string>): boolean {
  const signatures = failureSignatures(report);
  return signatures.includes(signature) && signatures.every((s) => allowed.has(s)) && failureDetail(report, signature) === detail;
}

/**
 * The failed assertion in the words `geosim run`'s text view uses: "effects of key charge-1:
 * expected 1, got 2". With a signature, the first assertion failed that way; else the first failed.
 */
export function describeFailure(report: RunReport, signature?: string): string | undefined {
  const a = signature === undefined ? firstFailure(report) : failedWith(report, signature);
  if (a === undefined) return undefined;
  const when = a.at !== undefined ? ` at ${formatTime(a.at)}` : '';
  return `${escapeControlChars(assertionLabel(a))}${when}: expected ${showValue(a.expected)}, got ${showValue(a.actual, true)}${a.detail ? ` (${escapeControlChars(a.detail)})` : ''}`;
}
