import { faultPath, stampKey, type TraceEvent, type VersionStamp } from '../../trace/events.js';
import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { formatTime } from '../format-time.js';
import { assertNever } from '../mermaid/assert-never.js';
import { stepView, type StepView } from '../step-view.js';
import { msToNs, traceClock } from './clock.js';

/**
 * One run as trace-viewer shapes: slices on tracks, instants, flows and counters, in nanoseconds
 * on the axis of `traceClock`. Knows nothing of the file format (chunks.ts writes it) nor of
 * process and thread ids (assigned when several runs share one document).
 */
export interface Timeline {
  /** The run's regions: report.regions, then any other region a step names, in order of appearance. */
  regions: string[];
  tracks: Track[];
  slices: Slice[];
  instants: Instant[];
  flows: Flow[];
  counters: CounterSample[];
  /** Replicated writes sent (`replication-sent` events): each whose arrival is in the trace is one flow. */
  writesSent: number;
  /** Replicated writes still in flight when the run ended: they have no arrival, so no flow. */
  inFlightAtEnd: number;
}

/** Who a track belongs to inside a region; the order is the order the tracks are listed in. */
export const ACTORS = ['client', 'application', 'replica', 'link', 'lambda', 'dead-letter queue', 'step functions', 'faults'] as const;
export type Actor = (typeof ACTORS)[number];

const TRACK_NAMES: Record<Exclude<Actor, 'link'>, string> = {
  client: 'client',
  application: 'application',
  replica: 'table replica',
  lambda: 'Lambda',
  'dead-letter queue': 'dead-letter queue',
  'step functions': 'Step Functions',
  faults: 'faults',
};

export interface Track {
  key: string;
  region: string;
  actor: Actor;
  /** Link tracks: the destination region. */
  to?: string;
  name: string;
  /** Lanes the track needed so that no two of its slices overlap (lane 0 is the track itself). */
  lanes: number;
}

export interface Slice {
  track: Track;
  start: number;
  end: number;
  /** Set by `assignLanes`. */
  lane: number;
  name: string;
  cat: string;
  args: Record<string, unknown>;
}

export interface Instant {
  /** A thread-scoped instant sits on a track (on the lane of `on` when given, else lane 0). */
  track?: Track;
  on?: Slice;
  /** A process-scoped instant (a checkpoint) names only its region. */
  region: string;
  ts: number;
  name: string;
  cat: string;
  args: Record<string, unknown>;
}

export interface Flow {
  /** From 1 within the run; the document offsets it so ids stay unique across runs. */
  id: number;
  from: Slice;
  /** The coalescings on its link, where a later version took this write's place in flight (flow steps). */
  through: Slice[];
  to: Slice;
}

export interface CounterSample {
  region: string;
  /** The link's destination: the counter is "in flight → <to>". */
  to: string;
  ts: number;
  value: number;
}

/** A replicated write's identity on one link. */
function writeKey(from: string, to: string, table: string | undefined, itemId: string, version: VersionStamp): string {
  return key(from, to, table ?? '', itemId, stampKey(version));
}

/** A map key of several strings, each after its length: unambiguous whatever characters an id holds. */
function key(...parts: string[]): string {
  let out = '';
  for (const part of parts) out += `${part.length}:${part}`;
  return out;
}

/**
 * For each `replication-sent` (by trace index): the index of its arrival, when the trace has one,
 * and the coalescings it went through. A coalescing does not end a replicated write: the later
 * version takes its place in flight (aws-semantics §1.2), so the send now waits under that version
 * and its flow goes on, through the coalescing, to the apply or discard that finally decides it.
 */
function matchArrivals(trace: TraceEvent[]): { arrival: Map<number, number>; coalescedIn: Map<number, number> } {
  const waiting = new Map<string, number[]>();
  const arrival = new Map<number, number>();
  const coalescedIn = new Map<number, number>();
  const wait = (key: string, sent: number): void => {
    const sends = waiting.get(key);
    if (sends) sends.push(sent);
    else waiting.set(key, [sent]);
  };
  const arrive = (key: string, at: number): void => {
    const sends = waiting.get(key);
    const sent = sends?.shift();
    if (sent !== undefined) arrival.set(sent, at);
  };
  for (const [i, e] of trace.entries()) {
    if (e.kind === 'replication-sent') wait(writeKey(e.from, e.to, e.table, e.itemId, e.version), i);
    else if (e.kind === 'replication-applied') arrive(writeKey(e.from, e.to, e.table, e.itemId, e.version), i);
    else if (e.kind === 'replication-discarded') arrive(writeKey(e.from, e.to, e.table, e.itemId, e.incomingVersion), i);
    else if (e.kind === 'replication-coalesced') {
      const sent = waiting.get(writeKey(e.from, e.to, e.table, e.itemId, e.dropped))?.shift();
      if (sent === undefined) continue;
      coalescedIn.set(i, sent);
      wait(writeKey(e.from, e.to, e.table, e.itemId, e.by), sent);
    }
  }
  return { arrival, coalescedIn };
}

/** The words of a step as slice and instant arguments: where it is in the trace, its text, its items. */
function stepArgs(e: TraceEvent, view: StepView): Record<string, unknown> {
  const args: Record<string, unknown> = { seq: e.seq, at: formatTime(e.t), text: view.text };
  if (view.from !== undefined) args.from = view.from;
  if (view.change) {
    args.before = view.change.before;
    args.after = view.change.after;
  }
  return args;
}

/** What a step is about, for its slice's name: the event, the item, the execution (a state: its name). */
function subject(e: TraceEvent): string {
  if (e.kind === 'state-entered') return escapeControlChars(e.state);
  const loose = e as { itemId?: string; eventId?: string; executionId?: string; eventIds?: string[]; table?: string; name?: string };
  const id = loose.eventId ?? loose.itemId ?? loose.executionId ?? loose.eventIds?.join(', ') ?? (e.kind === 'checkpoint' ? e.name : '');
  return escapeControlChars(loose.table !== undefined && loose.eventId === undefined ? `${loose.table} ${id}` : id);
}

export function buildTimeline(report: RunReport): Timeline {
  const trace = report.trace;
  const clock = traceClock(trace);
  const { arrival: arrivals, coalescedIn } = matchArrivals(trace);
  const regions = [...report.regions];
  const tracks = new Map<string, Track>();
  const slices: Slice[] = [];
  const instants: Instant[] = [];
  const flows: Flow[] = [];
  const counters: CounterSample[] = [];
  const endNs = Math.max(msToNs(report.endedAt), trace.length ? clock.ts[trace.length - 1]! + clock.tick[trace.length - 1]! : 0);

  const track = (region: string, actor: Actor, to?: string): Track => {
    const id = key(region, actor, to ?? '');
    let found = tracks.get(id);
    if (!found) {
      if (!regions.includes(region)) regions.push(region);
      const name = actor === 'link' ? `replication → ${escapeControlChars(to ?? '')}` : TRACK_NAMES[actor];
      found = { key: id, region, actor, name, lanes: 1, ...(to !== undefined ? { to } : {}) };
      tracks.set(id, found);
    }
    return found;
  };
  const slice = (on: Track, start: number, end: number, name: string, cat: string, args: Record<string, unknown>): Slice => {
    const made: Slice = { track: on, start, end, lane: 0, name, cat, args };
    slices.push(made);
    return made;
  };

  // Open spans, closed by a later step: an event's processing (by region and event id), a Step
  // Functions execution (by region and execution id), a fault (by its index, one per region).
  const processing = new Map<string, Slice[]>();
  const executions = new Map<string, Slice>();
  const faults = new Map<number, Slice[]>();
  const openProcessing = (region: string, eventId: string, made: Slice): void => {
    const list = processing.get(key(region, eventId));
    if (list) list.push(made);
    else processing.set(key(region, eventId), [made]);
  };
  /** Ends an event's processing: the oldest attempt for an outcome, the newest for a refusal of the attempt just made. */
  const closeProcessing = (region: string, eventId: string, which: 'oldest' | 'newest', at: number, end: StepView): Slice | undefined => {
    const list = processing.get(key(region, eventId));
    const open = which === 'oldest' ? list?.shift() : list?.pop();
    if (open) {
      open.name = `${open.name}: ${end.label}`;
      open.end = at;
      open.args.end = end.text;
      open.args.endLabel = end.label;
    }
    return open;
  };

  // The slice each write made, by region and version, for its replication flows to start from.
  const writes = new Map<string, Slice>();
  const flowOfSend = new Map<number, Flow>();
  const inFlight = new Map<string, number>();
  const count = (from: string, to: string, ts: number, delta: number): void => {
    const link = key(from, to);
    const value = (inFlight.get(link) ?? 0) + delta;
    inFlight.set(link, value);
    counters.push({ region: from, to, ts, value });
  };
  /** An arrival (apply, discard) at `made`: ends its send's flow, lowers the link's count. */
  const arrive = (i: number, from: string, to: string, ts: number, made: Slice): void => {
    const flow = flowOfSend.get(i);
    if (!flow) return;
    flow.to = made;
    flows.push(flow);
    count(from, to, ts, -1);
  };
  const arrivalOf = new Map<number, number>();
  for (const [sent, at] of arrivals) arrivalOf.set(at, sent);
  let nextFlow = 1;

  for (const [i, e] of trace.entries()) {
    const ts = clock.ts[i]!;
    const tickEnd = ts + clock.tick[i]!;
    const view = stepView(e);
    const args = stepArgs(e, view);
    const name = `${view.label} ${subject(e)}`.trimEnd();
    const tick = (on: Track, cat: string): Slice => slice(on, ts, tickEnd, name, cat, args);
    const instant = (on: Track, cat: string): void => {
      instants.push({ track: on, region: on.region, ts, name, cat, args });
    };
    switch (e.kind) {
      case 'client-event': {
        tick(track(e.region, 'client'), 'client');
        openProcessing(e.region, e.eventId, slice(track(e.region, 'application'), ts, tickEnd, subject(e), 'application', { ...args }));
        break;
      }
      case 'event-outcome': {
        const app = track(e.region, 'application');
        if (e.handler !== undefined) app.name = `application (${escapeControlChars(e.handler)})`;
        if (!closeProcessing(e.region, e.eventId, 'oldest', tickEnd, view)) tick(app, 'application');
        break;
      }
      case 'redriven':
        tick(track(e.region, 'dead-letter queue'), 'dead-letter queue');
        openProcessing(e.region, e.eventId, slice(track(e.region, 'application'), ts, tickEnd, subject(e), 'application', { ...args }));
        break;
      case 'request-rejected':
        closeProcessing(e.region, e.eventId, 'newest', tickEnd, view);
        instant(track(e.region, 'client'), 'fault');
        break;
      case 'dead-lettered':
        closeProcessing(e.region, e.eventId, 'oldest', tickEnd, view);
        instant(track(e.region, 'dead-letter queue'), 'dead-letter queue');
        break;
      case 'event-lost':
        closeProcessing(e.region, e.eventId, 'oldest', tickEnd, view);
        instant(track(e.region, 'lambda'), 'lambda');
        break;
      case 'local-write': {
        const replica = track(e.region, 'replica');
        // MRSC: the write lasts until its caller has the answer (the round trip to another region).
        const made = e.answeredAt !== undefined && msToNs(e.answeredAt) > tickEnd ? slice(replica, ts, msToNs(e.answeredAt), name, 'replica', args) : tick(replica, 'replica');
        writes.set(key(e.region, e.table ?? '', e.itemId, stampKey(e.version)), made);
        break;
      }
      case 'read':
        tick(track(e.region, 'replica'), 'replica');
        break;
      case 'condition-failed':
      case 'operation-failed':
      case 'conflict-resolved':
      case 'conflict-repaired':
        instant(track(e.region, 'replica'), 'conflict');
        break;
      case 'replication-sent': {
        const made = tick(track(e.from, 'link', e.to), 'replication');
        count(e.from, e.to, ts, +1);
        if (arrivals.has(i)) {
          // The arrow starts at the write itself (which the send may follow late, after a pause).
          const write = writes.get(key(e.from, e.table ?? '', e.itemId, stampKey(e.version)));
          flowOfSend.set(i, { id: nextFlow++, from: write ?? made, through: [], to: made });
        }
        break;
      }
      case 'replication-held':
        tick(track(e.from, 'link', e.to), 'replication');
        break;
      case 'replication-coalesced': {
        // Still one write in flight on the link: its flow passes through here, the count stays.
        const made = tick(track(e.from, 'link', e.to), 'replication');
        const sent = coalescedIn.get(i);
        if (sent !== undefined) flowOfSend.get(sent)?.through.push(made);
        break;
      }
      case 'replication-applied':
      case 'replication-discarded': {
        const made = tick(track(e.to, 'replica'), 'replication');
        const sent = arrivalOf.get(i);
        if (sent !== undefined) arrive(sent, e.from, e.to, ts, made);
        // Last-writer-wins at work, marked where it happened: a write dropped, or one overwritten
        // (a write dropped with its deleted table lost to no one: its slice says so, no mark).
        if (e.kind === 'replication-discarded') {
          if (e.reason !== 'table-deleted') instants.push({ track: made.track, on: made, region: e.to, ts: made.end, name: `LWW DISCARD ${subject(e)}`, cat: 'conflict', args });
        } else if (e.conflict) instants.push({ track: made.track, on: made, region: e.to, ts: made.end, name: `CONFLICT ${subject(e)}`, cat: 'conflict', args });
        break;
      }
      case 'checkpoint':
        instants.push({ region: regions[0] ?? '', ts, name, cat: 'check', args: { ...args, passed: e.passed } });
        break;
      case 'fault-started': {
        const spans = (e.regions.length > 0 ? e.regions : report.regions).map((region) => slice(track(region, 'faults'), ts, endNs, `${e.fault} (${faultPath(e.index)})`, 'fault', { ...args, unfinished: true }));
        faults.set(e.index, spans);
        break;
      }
      case 'fault-ended': {
        for (const span of faults.get(e.index) ?? []) {
          span.end = tickEnd;
          span.args.end = view.text;
          delete span.args.unfinished;
        }
        faults.delete(e.index);
        break;
      }
      case 'lambda-attempt-failed':
      case 'lambda-retry-scheduled':
      case 'stream-records-discarded':
        tick(track(e.region, 'lambda'), 'lambda');
        break;
      case 'execution-started':
        executions.set(key(e.region, e.executionId), slice(track(e.region, 'step functions'), ts, endNs, `${escapeControlChars(e.executionId)} (${e.workflow})`, 'step functions', { ...args, unfinished: true }));
        break;
      case 'state-entered': {
        const execution = executions.get(key(e.region, e.executionId));
        instants.push({ track: track(e.region, 'step functions'), region: e.region, ts, name, cat: 'step functions', args, ...(execution ? { on: execution } : {}) });
        break;
      }
      case 'execution-closed': {
        const execution = executions.get(key(e.region, e.executionId));
        if (execution) {
          execution.end = tickEnd;
          execution.args.end = view.text;
          delete execution.args.unfinished;
          executions.delete(key(e.region, e.executionId));
        } else tick(track(e.region, 'step functions'), 'step functions');
        break;
      }
      case 'execution-deduplicated':
      case 'execution-rejected':
        closeProcessing(e.region, e.eventId, 'newest', tickEnd, view);
        instant(track(e.region, 'step functions'), 'step functions');
        break;
      case 'clock-skew-changed':
      case 'sdk-retry':
        instant(track(e.region, 'client'), e.kind === 'sdk-retry' ? 'retry' : 'fault');
        break;
      case 'side-effect':
      case 'handler-problem':
      case 'cold-start': {
        // On the lane of the invocation it belongs to (its event's latest attempt still open), so
        // it sits inside that slice and not on another event's; a late error's invocation is over.
        const attempts = e.eventId === undefined ? undefined : processing.get(key(e.region, e.eventId));
        const on = attempts?.[attempts.length - 1];
        instants.push({ track: track(e.region, 'application'), region: e.region, ts, name, cat: 'application', args, ...(on ? { on } : {}) });
        break;
      }
      case 'redrive-empty':
        instant(track(e.region ?? regions[0] ?? '', 'dead-letter queue'), 'dead-letter queue');
        break;
      default:
        assertNever(e);
    }
  }
  // An event still being processed when the run ended: its slice runs to the end, said in its args.
  for (const list of processing.values()) {
    for (const open of list) {
      open.name = `${open.name}: unfinished`;
      open.end = endNs;
      open.args.unfinished = true;
    }
  }
  const sends = trace.filter((e) => e.kind === 'replication-sent').length;
  assignLanes(slices);
  return {
    regions,
    tracks: [...tracks.values()],
    slices,
    instants,
    flows: flows.sort((a, b) => a.id - b.id),
    counters,
    writesSent: sends,
    inFlightAtEnd: sends - flows.length,
  };
}

/**
 * Puts each slice on the first lane of its track whose last slice ended by the time it starts:
 * slices on one lane never overlap, not even partly (Perfetto would misnest them, catapult hide
 * them); one that starts as the last ends follows it on the lane (a second lane for slices that
 * only touch read as concurrency that was not there: an MRSC write answered, then the next). The
 * slices come in order of their start (the trace's order), so the greedy choice is the fewest lanes
 * for that order and the same lanes for the same report.
 */
function assignLanes(slices: Slice[]): void {
  const ends = new Map<Track, number[]>();
  for (const s of slices) {
    let lanes = ends.get(s.track);
    if (!lanes) ends.set(s.track, (lanes = []));
    let lane = lanes.findIndex((end) => end <= s.start);
    if (lane === -1) {
      lane = lanes.length;
      lanes.push(s.end);
    } else lanes[lane] = s.end;
    s.lane = lane;
    s.track.lanes = Math.max(s.track.lanes, lane + 1);
  }
}
