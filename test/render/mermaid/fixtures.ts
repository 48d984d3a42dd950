import type { Tmf688Envelope } from '../../../src/app/event.js';
import type { Item } from '../../../src/app/item.js';
import type { TraceEvent, TraceEventInput } from '../../../src/trace/events.js';
import type { RunReport } from '../../../src/trace/report.js';

/** Synthetic RunReports for the Mermaid generator, shaped like the simulator's output. */

const E = 'us-east-1';
const W = 'eu-west-1';

function envelope(eventId: string, eventType = 'OrderStateChangeEvent', data: Record<string, string> = {}): Tmf688Envelope {
  return {
    eventId,
    eventTime: '2026-01-01T00:00:00.000Z',
    eventType,
    correlationId: eventId,
    domain: 'order',
    priority: '4',
    timeOcurred: '2026-01-01T00:00:00.000Z',
    event: { order: { id: 'ORDER#1', ...data } },
  };
}

function item(id: string, version: number, region: string, data: Record<string, string>): Item {
  return { Id: id, Version: version, LastUpdatedRegion: region, Timestamp: 1000 + version, Data: data };
}

export function numbered(events: TraceEventInput[]): TraceEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1 }) as TraceEvent);
}

export function reportOf(trace: TraceEventInput[], over: Partial<RunReport> = {}): RunReport {
  return {
    scenario: { name: 'synthetic', file: 'scenarios/synthetic.yaml' },
    seed: 1,
    mode: 'mrec',
    strategy: 'version',
    idempotency: 'local-record',
    regions: [E, W],
    lag: [
      { from: E, to: W, lag: { distribution: 'uniform', min: 300, max: 900 } },
      { from: W, to: E, lag: { distribution: 'uniform', min: 300, max: 900 } },
    ],
    backend: 'memory',
    trace: numbered(trace),
    final: {},
    counts: {
      events: 0, applied: 0, duplicates: 0, superseded: 0, failed: 0, conflicts: 0,
      discardedWrites: 0, conditionFailures: 0, repairs: 0, replicatedWrites: 0, effects: {},
    },
    assertions: [],
    endedAt: trace.length > 0 ? Math.max(...trace.map((e) => e.t)) : 0,
    ...over,
  };
}

/** Two regions write ORDER#1 concurrently; a retry is a duplicate; one replicated write loses. */
export function concurrentWrites(): RunReport {
  const a = item('ORDER#1', 2, E, { status: 'paid' });
  const b = item('ORDER#1', 2, W, { status: 'cancelled' });
  const base = item('ORDER#1', 1, E, { status: 'new' });
  return reportOf([
    { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 1, clientTime: 1000, envelope: envelope('e1', undefined, { status: 'paid' }) },
    { kind: 'local-write', t: 0, region: E, itemId: 'IDEMPOTENCY#k1', op: 'put', before: null, after: { Id: 'IDEMPOTENCY#k1' }, version: { ts: 0, region: E }, cause: 'e1' },
    { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'update', before: base, after: a, version: { ts: 0, region: E }, cause: 'e1' },
    { kind: 'event-outcome', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'applied', attempts: 1 },
    { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'IDEMPOTENCY#k1', version: { ts: 0, region: E }, arrivesAt: 600 },
    { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'ORDER#1', version: { ts: 0, region: E }, arrivesAt: 650 },
    { kind: 'client-event', t: 100, region: W, eventId: 'e2', idempotencyKey: 'k2', itemId: 'ORDER#1', attempt: 1, clientTime: 1100, envelope: envelope('e2', undefined, { status: 'cancelled' }) },
    { kind: 'local-write', t: 100, region: W, itemId: 'ORDER#1', op: 'update', before: base, after: b, version: { ts: 100, region: W }, cause: 'e2' },
    { kind: 'event-outcome', t: 100, region: W, eventId: 'e2', idempotencyKey: 'k2', itemId: 'ORDER#1', outcome: 'applied', attempts: 1 },
    { kind: 'replication-sent', t: 100, from: W, to: E, itemId: 'ORDER#1', version: { ts: 100, region: W }, arrivesAt: 500 },
    { kind: 'client-event', t: 200, region: W, eventId: 'e1-r', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 2, retryOf: 'e1', clientTime: 1200, envelope: envelope('e1-r') },
    { kind: 'condition-failed', t: 200, region: W, itemId: 'ORDER#1', condition: 'Version = 1', current: b, cause: 'e1-r' },
    { kind: 'event-outcome', t: 200, region: W, eventId: 'e1-r', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'failed', attempts: 3, detail: 'version conflict' },
    { kind: 'replication-applied', t: 500, from: W, to: E, itemId: 'ORDER#1', before: a, after: b, version: { ts: 100, region: W }, conflict: true },
    { kind: 'replication-applied', t: 600, from: E, to: W, itemId: 'IDEMPOTENCY#k1', before: null, after: { Id: 'IDEMPOTENCY#k1' }, version: { ts: 0, region: E }, conflict: false },
    { kind: 'replication-discarded', t: 650, from: E, to: W, itemId: 'ORDER#1', incoming: a, kept: b, incomingVersion: { ts: 0, region: E }, keptVersion: { ts: 100, region: W }, reason: 'older' },
    { kind: 'client-event', t: 700, region: W, eventId: 'e1-r2', idempotencyKey: 'k1', itemId: 'ORDER#1', attempt: 3, retryOf: 'e1', clientTime: 1700, envelope: envelope('e1-r2') },
    { kind: 'event-outcome', t: 700, region: W, eventId: 'e1-r2', idempotencyKey: 'k1', itemId: 'ORDER#1', outcome: 'duplicate', attempts: 0 },
    { kind: 'conflict-repaired', t: 800, region: E, itemId: 'ORDER#1', winner: b, loser: a },
    { kind: 'replication-coalesced', t: 800, from: E, to: W, itemId: 'ORDER#1', dropped: { ts: 790, region: E }, by: { ts: 800, region: E } },
    { kind: 'read', t: 900, region: E, itemId: 'ORDER#1', consistency: 'strong', item: b },
    { kind: 'read', t: 900, region: W, itemId: 'ORDER#2', consistency: 'eventual', item: null },
    { kind: 'checkpoint', t: 1000, name: 'converged', passed: true },
  ], { scenario: { name: 'concurrent writes', file: 'scenarios/concurrent-writes.yaml' } });
}

/** `n` independent events in the first region, each replicated: a long, routine scenario. */
export function burst(n: number): RunReport {
  const trace: TraceEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const t = i * 10;
    const id = `ORDER#${i}`;
    const after = item(id, 1, E, { status: 'new' });
    trace.push(
      { kind: 'client-event', t, region: E, eventId: `e${i}`, idempotencyKey: `k${i}`, itemId: id, attempt: 1, clientTime: 1000 + t, envelope: envelope(`e${i}`) },
      { kind: 'local-write', t, region: E, itemId: id, op: 'put', before: null, after, version: { ts: t, region: E }, cause: `e${i}` },
      { kind: 'event-outcome', t, region: E, eventId: `e${i}`, idempotencyKey: `k${i}`, itemId: id, outcome: 'applied', attempts: 1 },
      { kind: 'replication-sent', t, from: E, to: W, itemId: id, version: { ts: t, region: E }, arrivesAt: t + 500 },
    );
  }
  for (let i = 0; i < n; i++) {
    const t = i * 10 + 500;
    const id = `ORDER#${i}`;
    trace.push({ kind: 'replication-applied', t, from: E, to: W, itemId: id, before: null, after: item(id, 1, E, { status: 'new' }), version: { ts: t - 500, region: E }, conflict: false });
  }
  // Sort by time the way the simulator emits them.
  trace.sort((x, y) => x.t - y.t);
  trace.splice(Math.floor(trace.length / 2), 0, { kind: 'checkpoint', t: trace[Math.floor(trace.length / 2)]?.t ?? 0, name: 'halfway', passed: false });
  return reportOf(trace, { scenario: { name: `burst of ${n}`, file: `scenarios/burst-${n}.yaml` } });
}

/** Names full of characters Mermaid treats specially. */
export function hostileNames(): RunReport {
  const id = 'ORD;ER#1: <b>"x"</b> %% end';
  return reportOf([
    { kind: 'client-event', t: 0, region: E, eventId: 'e1', idempotencyKey: 'k;#:1', itemId: id, attempt: 1, clientTime: 0, envelope: envelope('e1', 'Type;With#Hash:Colon', { 'note;': 'a#b:c<d>' }) },
    { kind: 'local-write', t: 0, region: E, itemId: id, op: 'put', before: null, after: { Id: id, Data: { 'note;': 'a#b:c<d>' } }, version: { ts: 0, region: E }, cause: 'e1' },
    { kind: 'condition-failed', t: 5, region: E, itemId: id, condition: 'attribute_not_exists(Id); #x: y', current: null, cause: 'e1' },
    { kind: 'checkpoint', t: 10, name: 'name;with#specials: and %% more', passed: true },
  ], { scenario: { name: 'hostile; #names: here', file: 'scenarios/hostile.yaml' }, regions: [E, W] });
}

/** Faults, Lambda failures, the dead-letter queue and Step Functions (issue 7's trace kinds). */
export function failuresAndFaults(): RunReport {
  const ev = (t: number, id: string): TraceEventInput => ({
    kind: 'client-event', t, region: E, eventId: id, idempotencyKey: `k-${id}`, itemId: 'ORDER#9', attempt: 1, clientTime: t, envelope: envelope(id),
  });
  return reportOf([
    { kind: 'fault-started', t: 100, fault: 'pause-replication', index: 0, description: 'replication paused into and out of eu-west-1', regions: [W], until: 1100 },
    { kind: 'replication-held', t: 150, from: E, to: W, itemId: 'ORDER#1', version: { ts: 150, region: E } },
    { kind: 'replication-held', t: 160, from: E, to: W, itemId: 'ORDER#2', version: { ts: 160, region: E } },
    { kind: 'replication-held', t: 170, from: E, to: W, itemId: 'ORDER#3', version: { ts: 170, region: E } },
    ev(200, 'e9'),
    { kind: 'lambda-attempt-failed', t: 200, region: E, invocation: 'async', eventIds: ['e9'], attempt: 1, error: 'throw', message: 'boom; #1: bad' },
    { kind: 'lambda-retry-scheduled', t: 200, region: E, invocation: 'async', eventIds: ['e9'], attempt: 2, at: 60200 },
    { kind: 'fault-ended', t: 1100, fault: 'pause-replication', index: 0, description: 'replication paused into and out of eu-west-1', regions: [W], released: 3 },
    { kind: 'clock-skew-changed', t: 1200, region: W, from: 0, to: -3000 },
    { kind: 'request-rejected', t: 1300, region: W, eventId: 'steps[3]', reason: 'region-outage', failoverTo: E, failoverAt: 1400 },
    { kind: 'dead-lettered', t: 180200, region: E, eventId: 'e9', idempotencyKey: 'k-e9', itemId: 'ORDER#9', source: 'async', error: 'boom', attempts: 3, metadataOnly: false },
    { kind: 'redriven', t: 200000, region: E, eventId: 'e9' },
    { kind: 'event-lost', t: 200001, region: W, eventId: 'e10', reason: 'no dead-letter queue' },
    { kind: 'execution-started', t: 300000, region: E, workflow: 'standard', name: 'k-e11', executionId: 'x1', eventId: 'e11' },
    { kind: 'state-entered', t: 300000, region: E, executionId: 'x1', eventId: 'e11', state: 'Process' },
    { kind: 'state-entered', t: 300001, region: E, executionId: 'x1', eventId: 'e11', state: 'Done' },
    { kind: 'execution-deduplicated', t: 300002, region: E, name: 'k-e11', executionId: 'x1', eventId: 'e11-retry' },
    { kind: 'execution-closed', t: 300003, region: E, executionId: 'x1', eventId: 'e11', status: 'SUCCEEDED' },
    { kind: 'execution-rejected', t: 300004, region: E, name: 'k-e11', executionId: 'x1', eventId: 'e11-late', error: 'ExecutionAlreadyExists', reason: 'closed' },
  ], { scenario: { name: 'failures and faults', file: 'scenarios/failures.yaml' } });
}
