import { describe, expect, it } from 'vitest';
import { perfettoChunks, perfettoDocument, PERFETTO_FORMAT_VERSION } from '../../../src/render/perfetto/chunks.js';
import type { TraceEvent, TraceEventInput, VersionStamp } from '../../../src/trace/events.js';
import type { RunReport } from '../../../src/trace/report.js';
import { validateTrace } from './validate.js';

const US = 'us-east-1';
const EU = 'eu-west-1';

/** A small hand-made report: the trace numbered in order. */
function report(events: TraceEventInput[], extra: Partial<RunReport> = {}): RunReport {
  const trace = events.map((e, i) => ({ ...e, seq: i + 1 }) as TraceEvent);
  return {
    scenario: { name: 'hand-made', file: 'hand-made.yaml' },
    seed: 1,
    mode: 'mrec',
    strategy: 'service-lww',
    idempotency: 'none',
    regions: [US, EU],
    lag: [],
    backend: 'memory',
    trace,
    final: {},
    counts: {} as RunReport['counts'],
    assertions: [{ source: 'expectation', name: 'converged', passed: true, expected: true, actual: true }],
    endedAt: trace.length ? trace[trace.length - 1]!.t : 0,
    ...extra,
  };
}

const v = (ts: number, region = US): VersionStamp => ({ ts, region });
const write = (t: number, region: string, itemId: string, data: string, extra: object = {}): TraceEventInput => ({
  kind: 'local-write', t, region, itemId, op: 'put', before: null, after: { Id: itemId, Data: data }, version: v(t, region), ...extra,
});
const sent = (t: number, from: string, to: string, itemId: string, version: VersionStamp): TraceEventInput => ({ kind: 'replication-sent', t, from, to, itemId, version, arrivesAt: t + 500 });
const applied = (t: number, from: string, to: string, itemId: string, version: VersionStamp, conflict = false): TraceEventInput => ({
  kind: 'replication-applied', t, from, to, itemId, before: null, after: { Id: itemId }, version, conflict,
});

interface Ev {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid?: number;
  id?: number;
  bp?: string;
  s?: string;
  cat?: string;
  args: Record<string, unknown>;
}
interface Doc {
  traceEvents: Ev[];
  displayTimeUnit: string;
  otherData: { geosim: number; passed: number; failed: number; scenarios: Record<string, unknown>[] };
}

function render(...reports: RunReport[]): Doc {
  const doc = JSON.parse([...perfettoChunks(reports)].join('')) as Doc;
  expect(validateTrace(doc).problems).toEqual([]);
  return doc;
}
/** Thread names by pid/tid, and the process name of a pid. */
function names(doc: Doc) {
  const threads = new Map<string, string>();
  const processes = new Map<number, string>();
  for (const e of doc.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}/${e.tid}`, e.args.name as string);
    if (e.ph === 'M' && e.name === 'process_name') processes.set(e.pid, e.args.name as string);
  }
  return { thread: (e: Ev) => `${processes.get(e.pid)} / ${threads.get(`${e.pid}/${e.tid}`)}`, threads, processes };
}
/** The slice of a thread that encloses ts. */
const enclosing = (doc: Doc, e: Ev) => doc.traceEvents.find((s) => s.ph === 'X' && s.pid === e.pid && s.tid === e.tid && s.ts < e.ts && e.ts < s.ts + s.dur!);

describe('perfettoChunks', () => {
  it('is the Trace Event Format object form, with the format version and verdicts in otherData', () => {
    const doc = render(report([write(0, US, 'A', 'x')]));
    expect(doc.displayTimeUnit).toBe('ms');
    // First, where Perfetto's tokenizer reads it before any event (later it counts as "too late").
    expect([...perfettoChunks([])][0]).toMatch(/^\{"displayTimeUnit":"ms","traceEvents":\[/);
    expect(doc.otherData).toMatchObject({ geosim: PERFETTO_FORMAT_VERSION, passed: 1, failed: 0, scenarios: [{ name: 'hand-made', seed: 1, passed: true }] });
  });

  it('draws a replicated write as one flow from its write to the apply, and counts it in flight on its link', () => {
    const doc = render(report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0)), applied(500, US, EU, 'A', v(0))]));
    const { thread } = names(doc);
    const s = doc.traceEvents.find((e) => e.ph === 's')!;
    const f = doc.traceEvents.find((e) => e.ph === 'f')!;
    expect(s.id).toBe(f.id);
    expect(f.bp).toBe('e');
    expect(thread(s)).toBe('us-east-1 / table replica');
    expect(enclosing(doc, s)!.name).toBe('WRITE A');
    expect(thread(f)).toBe('eu-west-1 / table replica');
    expect(enclosing(doc, f)!.name).toBe('APPLY A');
    expect(f.ts).toBeGreaterThanOrEqual(500_000);
    const counter = doc.traceEvents.filter((e) => e.ph === 'C');
    expect(counter.map((c) => [c.name, c.ts, c.args.writes])).toEqual([
      ['in flight → eu-west-1', counter[0]!.ts, 1],
      ['in flight → eu-west-1', counter[1]!.ts, 0],
    ]);
    expect(thread(counter[0]!)).toBe('us-east-1 / replication → eu-west-1');
    expect(counter[1]!.ts).toBeGreaterThanOrEqual(500_000);
  });

  it('ends a discarded write\'s flow at the discard, marked as a last-writer-wins instant; a conflict is marked too', () => {
    const doc = render(
      report([
        write(0, US, 'A', 'old'),
        sent(0, US, EU, 'A', v(0)),
        write(10, EU, 'A', 'new'),
        sent(10, EU, US, 'A', v(10, EU)),
        { kind: 'replication-discarded', t: 500, from: US, to: EU, itemId: 'A', incoming: { Id: 'A', Data: 'old' }, kept: { Id: 'A', Data: 'new' }, incomingVersion: v(0), keptVersion: v(10, EU), reason: 'older', conflict: true },
        applied(510, EU, US, 'A', v(10, EU), true),
      ]),
    );
    const { thread } = names(doc);
    const finishes = doc.traceEvents.filter((e) => e.ph === 'f');
    expect(finishes.map((f) => enclosing(doc, f)!.name)).toEqual(['DISCARD A', 'APPLY A']);
    const instants = doc.traceEvents.filter((e) => e.ph === 'i');
    expect(instants.map((i) => [i.name, thread(i), i.s])).toEqual([
      ['LWW DISCARD A', 'eu-west-1 / table replica', 't'],
      ['CONFLICT A', 'us-east-1 / table replica', 't'],
    ]);
    expect(instants[0]!.args.text).toMatch(/A 0ms@us-east-1 silently dropped: loses to 10ms@eu-west-1 \(older\); was old/);
  });

  it('carries a coalesced write\'s flow through the coalescing on its link to the apply of the version that took its place', () => {
    const doc = render(
      report([
        write(0, US, 'A', 'one'),
        sent(0, US, EU, 'A', v(0)),
        write(40, US, 'A', 'two'),
        { kind: 'replication-coalesced', t: 40, from: US, to: EU, itemId: 'A', dropped: v(0), by: v(40) },
        write(80, US, 'A', 'three'),
        { kind: 'replication-coalesced', t: 80, from: US, to: EU, itemId: 'A', dropped: v(40), by: v(80) },
        applied(500, US, EU, 'A', v(80)),
      ]),
    );
    const { thread } = names(doc);
    const ends = doc.traceEvents.filter((e) => e.ph === 's' || e.ph === 't' || e.ph === 'f');
    expect(ends.map((e) => e.ph)).toEqual(['s', 't', 't', 'f']);
    expect(new Set(ends.map((e) => e.id)).size).toBe(1);
    expect(ends.map((e) => enclosing(doc, e)!.name)).toEqual(['WRITE A', 'COALESCE A', 'COALESCE A', 'APPLY A']);
    expect(ends.slice(1, 3).map(thread)).toEqual(['us-east-1 / replication → eu-west-1', 'us-east-1 / replication → eu-west-1']);
    expect(thread(ends[3]!)).toBe('eu-west-1 / table replica');
    // One write in flight from the send until the apply: a coalescing does not land anything.
    expect(doc.traceEvents.filter((e) => e.ph === 'C').map((c) => c.args.writes)).toEqual([1, 0]);
    expect(doc.otherData.scenarios[0]).toMatchObject({ writesSent: 1, flows: 1, inFlightAtEnd: 0 });
  });

  it('leaves out the flow of a write still in flight when the run stopped, and counts it', () => {
    const doc = render(report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0))], { endedAt: 100 }));
    expect(doc.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f')).toEqual([]);
    expect(doc.otherData.scenarios[0]).toMatchObject({ writesSent: 1, flows: 0, inFlightAtEnd: 1 });
    expect(doc.traceEvents.filter((e) => e.ph === 'C').map((c) => c.args.writes)).toEqual([1]);
  });

  it('gives steps of one millisecond distinct, increasing times inside it, and args with the step\'s words and items', () => {
    const doc = render(report([write(7, US, 'A', 'x'), write(7, US, 'B', 'y'), write(7, US, 'C', 'z')]));
    const slices = doc.traceEvents.filter((e) => e.ph === 'X');
    expect(slices.map((s) => s.ts)).toEqual([7000, 7100, 7200]);
    for (const s of slices) expect(s.dur).toBe(50);
    expect(slices[1]!.args).toEqual({ seq: 2, at: '7ms', text: 'B 7ms@us-east-1', before: '(absent)', after: 'y' });
  });

  it('puts events processed at once on lanes of the application track, never overlapping on one thread', () => {
    const event = (t: number, eventId: string): TraceEventInput => ({
      kind: 'client-event', t, region: US, eventId, idempotencyKey: eventId, itemId: 'A', attempt: 1, clientTime: t, envelope: { eventType: 'x', event: { order: { id: 'A', status: 'x' } } } as never,
    });
    const outcome = (t: number, eventId: string): TraceEventInput => ({ kind: 'event-outcome', t, region: US, eventId, idempotencyKey: eventId, itemId: 'A', outcome: 'applied', attempts: 1 });
    const doc = render(report([event(0, 'e1'), event(10, 'e2'), outcome(50, 'e1'), outcome(100, 'e2'), event(200, 'e3')], { endedAt: 300 }));
    const { thread } = names(doc);
    const app = doc.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'application');
    expect(app.map((s) => [s.name, thread(s), s.ts, s.ts + s.dur!])).toEqual([
      ['e1: PROCESSED', 'us-east-1 / application', 0, 50_050],
      ['e2: PROCESSED', 'us-east-1 / application 2', 10_000, 100_050],
      // Still being processed when the run ended: to the end, said so.
      ['e3: unfinished', 'us-east-1 / application', 200_000, 300_000],
    ]);
    expect(app[2]!.args.unfinished).toBe(true);
  });

  it('puts a cold start, a side effect and a handler problem on the lane of the invocation they belong to', () => {
    const event = (t: number, eventId: string): TraceEventInput => ({
      kind: 'client-event', t, region: US, eventId, idempotencyKey: eventId, itemId: 'A', attempt: 1, clientTime: t, envelope: { eventType: 'x', event: { order: { id: 'A', status: 'x' } } } as never,
    });
    const outcome = (t: number, eventId: string): TraceEventInput => ({ kind: 'event-outcome', t, region: US, eventId, idempotencyKey: eventId, itemId: 'A', outcome: 'applied', attempts: 1 });
    const doc = render(
      report(
        [
          event(0, 'e1'),
          event(10, 'e2'),
          { kind: 'cold-start', t: 10, region: US, function: 'app.mjs#handler', reason: 'busy', eventId: 'e2', environments: 2 },
          { kind: 'side-effect', t: 20, region: US, eventId: 'e2', service: 'sqs', operation: 'SendMessage' },
          { kind: 'handler-problem', t: 30, region: US, eventId: 'e2', problem: 'refused', message: 'no network' },
          outcome(50, 'e1'),
          outcome(100, 'e2'),
          // after its invocation ended: no slice to sit on, the track itself
          { kind: 'handler-problem', t: 150, region: US, eventId: 'e2', problem: 'late-error', message: 'late' },
        ],
        { endedAt: 300 },
      ),
    );
    const { thread } = names(doc);
    const instants = doc.traceEvents.filter((e) => e.ph === 'i' && e.cat === 'application');
    expect(instants.map((e) => [e.name.split(' ')[0], thread(e)])).toEqual([
      ['COLD', 'us-east-1 / application 2'],
      [expect.any(String), 'us-east-1 / application 2'],
      [expect.any(String), 'us-east-1 / application 2'],
      [expect.any(String), 'us-east-1 / application'],
    ]);
    expect(validateTrace(doc).problems).toEqual([]);
  });

  it('draws an MRSC write until its answer, on a second lane when another write overlaps it', () => {
    const doc = render(report([write(0, US, 'A', 'x', { answeredAt: 80 }), write(10, US, 'B', 'y', { answeredAt: 90 }), write(100, US, 'C', 'z')], { mode: 'mrsc' }));
    const { thread } = names(doc);
    const writes = doc.traceEvents.filter((e) => e.ph === 'X');
    expect(writes.map((s) => [s.name, thread(s), s.ts, s.dur])).toEqual([
      ['WRITE A', 'us-east-1 / table replica', 0, 80_000],
      ['WRITE B', 'us-east-1 / table replica 2', 10_000, 80_000],
      ['WRITE C', 'us-east-1 / table replica', 100_000, 50],
    ]);
  });

  it('a write that starts as the last one ends follows it on its lane (a second lane read as an overlap that was not there)', () => {
    const doc = render(report([write(0, US, 'A', 'x', { answeredAt: 80 }), write(80, US, 'B', 'y', { answeredAt: 160 })], { mode: 'mrsc' }));
    const { thread } = names(doc);
    const writes = doc.traceEvents.filter((e) => e.ph === 'X');
    expect(writes.map((s) => [s.name, thread(s), s.ts, s.ts + s.dur!])).toEqual([
      ['WRITE A', 'us-east-1 / table replica', 0, 80_000],
      ['WRITE B', 'us-east-1 / table replica', 80_000, 160_000],
    ]);
    expect(validateTrace(doc).problems).toEqual([]);
  });

  it('draws a fault as a slice on each affected region\'s faults track', () => {
    const fault = { fault: 'pause-replication' as const, index: 0, description: 'replication paused', regions: [US, EU] };
    const doc = render(report([{ kind: 'fault-started', t: 100, ...fault }, write(150, US, 'A', 'x'), { kind: 'fault-ended', t: 900, ...fault }, { kind: 'fault-started', t: 1000, ...fault, index: 1, regions: [EU] }], { endedAt: 2000 }));
    const { thread } = names(doc);
    const faults = doc.traceEvents.filter((e) => e.cat === 'fault');
    expect(faults.map((s) => [s.name, thread(s), s.ts, s.ts + s.dur!])).toEqual([
      ['pause-replication (faults[0])', 'us-east-1 / faults', 100_000, 900_050],
      ['pause-replication (faults[0])', 'eu-west-1 / faults', 100_000, 900_050],
      ['pause-replication (faults[1])', 'eu-west-1 / faults', 1_000_000, 2_000_000],
    ]);
    expect(faults[0]!.args).toMatchObject({ text: 'replication paused', end: 'replication paused ends' });
    expect(faults[2]!.args.unfinished).toBe(true);
  });

  it('draws a Step Functions execution as a slice, its states as instants on its lane', () => {
    const base = { region: US, executionId: 'x1', eventId: 'e1' };
    const doc = render(
      report([
        { kind: 'execution-started', t: 0, workflow: 'standard', name: 'n', ...base },
        { kind: 'state-entered', t: 0, state: 'Pay', ...base },
        { kind: 'execution-started', t: 5, workflow: 'standard', name: 'n2', ...base, executionId: 'x2' },
        { kind: 'state-entered', t: 6, state: 'Charge', ...base, executionId: 'x2' },
        { kind: 'execution-closed', t: 10, status: 'SUCCEEDED', ...base },
        { kind: 'execution-closed', t: 20, status: 'FAILED', ...base, executionId: 'x2' },
      ]),
    );
    const { thread } = names(doc);
    expect(doc.traceEvents.filter((e) => e.ph === 'X' || e.ph === 'i').map((e) => [e.ph, e.name, thread(e)])).toEqual([
      ['X', 'x1 (standard)', 'us-east-1 / Step Functions'],
      ['i', 'STATE Pay', 'us-east-1 / Step Functions'],
      ['X', 'x2 (standard)', 'us-east-1 / Step Functions 2'],
      ['i', 'STATE Charge', 'us-east-1 / Step Functions 2'],
    ]);
  });

  it('lists only the tracks a run used, in a fixed order, with sort indexes', () => {
    const doc = render(report([{ kind: 'lambda-attempt-failed', t: 0, region: EU, invocation: 'async', eventIds: ['e1'], attempt: 1, error: 'throw', message: 'boom' }, write(1, US, 'A', 'x'), sent(1, US, EU, 'A', v(1)), applied(2, US, EU, 'A', v(1))]));
    const { threads, processes } = names(doc);
    expect([...processes.values()]).toEqual([US, EU]);
    expect([...threads.values()]).toEqual(['table replica', 'replication → eu-west-1', 'table replica', 'Lambda']);
    const sorts = doc.traceEvents.filter((e) => e.name === 'thread_sort_index').map((e) => e.args.sort_index);
    expect(sorts).toEqual([0, 1, 0, 1]);
  });

  it('puts several runs in one document: a process per scenario and region, flow ids unique', () => {
    const one = report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0)), applied(500, US, EU, 'A', v(0))]);
    const two = { ...one, scenario: { name: 'second', file: 'second.yaml' }, assertions: [{ source: 'expectation' as const, name: 'x', passed: false, expected: 1, actual: 2 }] };
    const doc = render(one, two);
    expect([...names(doc).processes.values()]).toEqual(['hand-made · us-east-1', 'hand-made · eu-west-1', 'second · us-east-1', 'second · eu-west-1']);
    expect(doc.traceEvents.filter((e) => e.ph === 's').map((e) => e.id)).toEqual([1, 2]);
    expect(doc.otherData).toMatchObject({ passed: 1, failed: 1, scenarios: [{ name: 'hand-made', passed: true }, { name: 'second', passed: false }] });
  });

  it('tells apart two scenarios of one name by their files (in the process names and otherData)', () => {
    const one = report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0)), applied(500, US, EU, 'A', v(0))]);
    const again = { ...one, scenario: { name: one.scenario.name, file: 'w/copy.yaml' } };
    const other = { ...one, scenario: { name: 'second', file: 'second.yaml' } };
    const doc = render(one, again, other);
    const file = one.scenario.file;
    expect([...names(doc).processes.values()]).toEqual([`hand-made (${file}) · us-east-1`, `hand-made (${file}) · eu-west-1`, 'hand-made (w/copy.yaml) · us-east-1', 'hand-made (w/copy.yaml) · eu-west-1', 'second · us-east-1', 'second · eu-west-1']);
    expect(doc.otherData.scenarios.map((s) => [s.name, s.file])).toEqual([['hand-made', file], ['hand-made', 'w/copy.yaml'], ['second', 'second.yaml']]);
  });

  it('is the same bytes for the same report, in pieces of one event each', () => {
    const r = report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0)), applied(500, US, EU, 'A', v(0))]);
    const chunks = [...perfettoChunks([r])];
    expect(chunks.join('')).toBe([...perfettoChunks([r])].join(''));
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1000);
  });

  it('as a document to size and then write: the same bytes on every pass', () => {
    const r = report([write(0, US, 'A', 'x'), sent(0, US, EU, 'A', v(0)), applied(500, US, EU, 'A', v(0))]);
    const doc = perfettoDocument([r]);
    const first = [...doc.chunks()].join('');
    expect([...doc.chunks()].join('')).toBe(first);
    expect(first).toBe([...perfettoChunks([r])].join(''));
  });

  it('escapes control characters a scenario put in its ids, as every view does', () => {
    const doc = render(report([write(0, US, 'A\u001b[31m', 'x\u0007')]));
    const slice = doc.traceEvents.find((e) => e.ph === 'X')!;
    expect(slice.name).toBe('WRITE A\\x1b[31m');
    expect(JSON.stringify(slice)).not.toMatch(/\\u001b|\\u0007/);
  });

  it('is an empty trace when no run was made', () => {
    const doc = render();
    expect(doc.traceEvents).toEqual([]);
    expect(doc.otherData).toMatchObject({ passed: 0, failed: 0, scenarios: [] });
  });
});
