import { fromPlainItem, type PlainItem } from '../dynamodb/plain.js';
import { writeUnits } from '../dynamodb/table.js';
import { itemSize } from '../dynamodb/value-ops.js';
import type { TraceEvent } from '../trace/events.js';
import { canonicalItem, isIdempotencyRecordId, type Item } from '../trace/item.js';
import type { AssertionResult, RunReport, RunStop } from '../trace/report.js';
import { assertionLabel } from '../render/assertion-label.js';
import { formatTime } from '../render/format-time.js';
import { dominates, versionVector } from '../app/version-vector.js';
import { conflictFeed } from '../trace/conflict-feed.js';

/** What `geosim compare` shows of one run: a column of its table, an entry of its JSON. */
export interface CombinationMetrics {
  mode: string;
  strategy: string;
  /** Items per region at the end, as the run's report has them (idempotency records included). */
  final: RunReport['final'];
  /**
   * How the events ended (the run's counts): applied, superseded by a newer write (client-lww),
   * duplicates, failed (the processor gave up, or a region refused its write), dead-lettered, lost;
   * rejected: sends a region in an outage refused (no processor ran; a client that fails over sends
   * again, and that send is an event of its own).
   */
  outcomes: { events: number; applied: number; superseded: number; duplicates: number; failed: number; deadLettered: number; lost: number; rejected: number };
  /** Distinct writes whose effect a conflict resolution dropped (conflict feed records with `lost`). */
  lostWrites: number;
  /** Pairs of concurrent versions that met (`counts.conflicts`); `merged`: application resolutions that kept both sides; `refused`: writes MRSC refused with ReplicatedWriteConflictException. */
  conflicts: { resolved: number; merged: number; refused: number };
  /**
   * SDK retries (MRSC); `version`: the application's conditional data writes tried again (attempts
   * after the first, when the condition failed and it read the item again: the version strategy's,
   * an increment's whose item moved, in any strategy); Lambda retries.
   */
  retries: { total: number; sdk: number; version: number; lambda: number };
  /** 1 per KB started of the item written (the larger of before and after; 2 in a TransactWriteItems), and of the item a refused conditional write was checked against; replicated: 1 per KB in each receiving replica. */
  writeUnits: { total: number; local: number; replicated: number };
  /** client-event → event-outcome, virtual ms, nearest-rank percentiles; null without a sample. */
  latencyMs: { samples: number; p50: number | null; p95: number | null; p99: number | null; max: number | null };
  assertions: { passed: number; total: number; failed: string[] };
  passed: boolean;
  endedAt: number;
  stopped?: RunStop;
}

/** The whole comparison: what every view renders. */
export interface Comparison {
  scenario: { name: string; file: string };
  seed: number;
  regions: string[];
  /** MRSC's witness, when the scenario has one (it holds no replica: no row of its own). */
  witness?: string;
  combinations: CombinationMetrics[];
}

/** The metrics of one combination's run, from its report alone. */
export function combinationMetrics(report: RunReport, combination: { mode: string; strategy: string }): CombinationMetrics {
  const failed = report.assertions.filter((a) => !a.passed);
  const sdk = report.counts.sdkRetries;
  const version = versionRetries(report.trace);
  const lambda = report.counts.lambdaRetries;
  const units = writeUnitsOf(report.trace);
  return {
    mode: combination.mode,
    strategy: combination.strategy,
    final: report.final,
    outcomes: { events: report.counts.events, applied: report.counts.applied, superseded: report.counts.superseded, duplicates: report.counts.duplicates, failed: report.counts.failed, deadLettered: report.counts.deadLettered, lost: report.counts.lost, rejected: rejectedSends(report.trace) },
    lostWrites: lostWrites(report.trace, (table, itemId) => finalVersions(report, table, itemId)),
    conflicts: { resolved: report.counts.conflicts, merged: report.counts.merges, refused: report.counts.writeConflicts },
    retries: { total: sdk + version + lambda, sdk, version, lambda },
    writeUnits: { total: units.local + units.replicated, ...units },
    latencyMs: latency(report.trace),
    assertions: { passed: report.assertions.length - failed.length, total: report.assertions.length, failed: failed.map(failedName) },
    passed: failed.length === 0,
    endedAt: report.endedAt,
    ...(report.stopped ? { stopped: report.stopped } : {}),
  };
}

/**
 * Lost writes: each conflict record with `lost` names the version that lost (the application's
 * idempotency records left out); one write lost at several replicas (discarded in one, overwritten
 * in another) counts once. A loser whose writes
 * reached the item every region holds at the end is not lost: a client-lww repair that put it back
 * (the final item is the loser), or a merge that folded it in (the final item's version vector
 * includes the loser's). `finals` gives those final items (none known: the loss stands).
 */
export function lostWrites(trace: readonly TraceEvent[], finals: (table: string | undefined, itemId: string) => (Item | undefined)[] = () => []): number {
  const lost = new Set<string>();
  for (const r of conflictFeed(trace)) {
    // the application's idempotency records are its bookkeeping, not data (left out of `final items` too)
    if (!r.lost || (r.table === undefined && isIdempotencyRecordId(r.itemId))) continue;
    const [a, b] = r.versions;
    const loser = same(a, r.result) ? b : a;
    if (loser !== null && reachedTheEnd(loser, finals(r.table, r.itemId))) continue;
    lost.add(`${r.table ?? ''}\u0000${r.itemId}\u0000${loser === null ? 'null' : JSON.stringify(canonicalItem(loser))}`);
  }
  return lost.size;
}

function reachedTheEnd(loser: Item, finals: (Item | undefined)[]): boolean {
  if (finals.length === 0) return false;
  const vector = versionVector(loser);
  const versioned = Object.keys(vector).length > 0;
  return finals.every((f) => f !== undefined && (same(f, loser) || (versioned && dominates(versionVector(f), vector))));
}

/** The item in every region at the end of the run: the scenario's table (`final`) or a declared one. */
function finalVersions(report: RunReport, table: string | undefined, itemId: string): (Item | undefined)[] {
  const byRegion = table === undefined ? report.final : report.tables?.[table];
  return byRegion === undefined ? [] : Object.values(byRegion).map((items) => items[itemId]);
}

function same(a: Item | null, b: Item | null): boolean {
  return a === null || b === null ? a === b : JSON.stringify(canonicalItem(a)) === JSON.stringify(canonicalItem(b));
}

/** The version strategy's retries: conditional-write attempts after the first, per event outcome. */
function versionRetries(trace: readonly TraceEvent[]): number {
  let n = 0;
  for (const e of trace) if (e.kind === 'event-outcome' && e.attempts > 1) n += e.attempts - 1;
  return n;
}

/**
 * Write units as DynamoDB bills them: a write costs 1 per KB started of the item (the item after
 * the write; a delete, the item deleted), at least 1, twice that inside TransactWriteItems (a TTL
 * delete nothing, in the region whose Time to Live made it); every
 * replicated write costs 1 per KB in the replica that receives it, applied or discarded by
 * last-writer-wins (UNCONFIRMED: AWS says each replica consumes replicated write units for every
 * write; that a write discarded on arrival is billed too is our reading).
 *
 * A conditional write refused (`condition-failed`) is billed too, where it was refused: "If a
 * ConditionExpression evaluates to false during a conditional write, DynamoDB still consumes write
 * capacity from the table": 1 when the item does not exist, else 1 per KB of the item (Developer
 * Guide, WorkingWithItems, "Capacity units consumed by conditional writes"). The trace holds the
 * item the condition was checked against (`current`), not the one the write would have made, so a
 * refused write whose new item would have been a KB bigger is billed by the stored one (the newer
 * read-write-operations page bills the larger of the two). It changed nothing, so it replicates
 * nowhere: no replicated units. Inside a cancelled TransactWriteItems each refused item is billed
 * the same 1 per KB, not doubled, and the transaction's other items nothing (UNCONFIRMED: AWS
 * does not document what a cancelled transaction consumes; the two writes per item it documents are
 * a prepare and a commit, and a cancelled one never commits; this is our lower bound).
 */
export function writeUnitsOf(trace: readonly TraceEvent[]): { local: number; replicated: number } {
  let local = 0;
  let replicated = 0;
  for (const e of trace) {
    // a TTL delete is free where Time to Live made it; its replicated deletes are billed (aws-semantics §1.8)
    // a put or update that replaces an item is billed by the larger of the two (the docs' "Capacity
    // unit consumption for write operations"), as the endpoint's own ConsumedCapacity is
    if (e.kind === 'local-write') local += e.expired ? 0 : (e.after !== null && e.before !== null ? Math.max(unitsOf(e.after), unitsOf(e.before)) : unitsOf(e.after ?? e.before)) * (e.transaction ? 2 : 1);
    // a refused conditional write (alone, or an item of a cancelled transaction): see above
    else if (e.kind === 'condition-failed') local += unitsOf(e.current);
    else if (e.kind === 'replication-applied') replicated += unitsOf(e.after ?? e.before);
    // a write dropped with its deleted table reached no replica to bill
    else if (e.kind === 'replication-discarded' && e.reason !== 'table-deleted') replicated += unitsOf(e.incoming ?? e.kept);
  }
  return { local, replicated };
}

function unitsOf(item: Item | null): number {
  return item === null ? 1 : writeUnits(itemSize(fromPlainItem(item as unknown as PlainItem)));
}

/**
 * Latency of each client send: from its `client-event` to the next `event-outcome` of the same
 * event in the same region (sends of one event in one region are answered in order). Sends never
 * answered (lost, dead-lettered) are not samples.
 */
export function latency(trace: readonly TraceEvent[]): CombinationMetrics['latencyMs'] {
  const pending = new Map<string, number[]>();
  const samples: number[] = [];
  for (const e of trace) {
    if (e.kind === 'client-event') {
      const key = `${e.eventId}\u0000${e.region}`;
      const queue = pending.get(key);
      if (queue) queue.push(e.t);
      else pending.set(key, [e.t]);
    } else if (e.kind === 'event-outcome') {
      const sent = pending.get(`${e.eventId}\u0000${e.region}`)?.shift();
      if (sent !== undefined) samples.push(e.t - sent);
    }
  }
  samples.sort((a, b) => a - b);
  return { samples: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), max: samples.at(-1) ?? null };
}

/** Nearest-rank percentile of sorted samples: the smallest sample with at least p% of samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A failed assertion as `geosim run` names it: a check's after its name, with its time (two `count failed` of two checks stay apart). */
function failedName(a: AssertionResult): string {
  return `${assertionLabel(a)}${a.at !== undefined ? ` at ${formatTime(a.at)}` : ''}`;
}

/**
 * Client events a region refused (an outage): `counts.rejected` less the plain read and write
 * steps it refused, which are not events (their rejection names the request).
 */
function rejectedSends(trace: RunReport['trace']): number {
  let n = 0;
  for (const e of trace) if (e.kind === 'request-rejected' && e.request === undefined) n++;
  return n;
}
