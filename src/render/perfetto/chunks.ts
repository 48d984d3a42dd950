import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { ACTORS, buildTimeline, type Slice, type Timeline, type Track } from './timeline.js';

/** The version of `geosim run --format perfetto`'s document (in otherData); bump on an incompatible change. */
export const PERFETTO_FORMAT_VERSION = 1;

/**
 * `geosim run --format perfetto`: the runs as one document in the Trace Event Format's JSON
 * object form, `{"displayTimeUnit": "ms", "traceEvents": [...], "otherData": {...}}`, one event
 * a line, in pieces (never the document as one string). Timestamps are virtual time in µs.
 *
 * What both viewers load, and why these phases (Perfetto's JSON importer and catapult's
 * chrome://tracing both read them):
 * - `X` complete slices (ts + dur), never `B`/`E` pairs: one line per slice, no pairing to get wrong.
 *   Slices that can overlap on one actor (events processed at once, executions, faults, MRSC
 *   writes awaiting their answer) go to numbered lanes of its track (timeline.ts): on one thread
 *   they are disjoint, which both viewers need (Perfetto misnests partly overlapping slices).
 * - Flows in the v1 form `s` → (`t` at each coalescing) → `f` with `bp: "e"`: both bind `s` and, with `bp: "e"`, `f` to the
 *   slice enclosing their timestamp on their thread. The v2 form (`bind_id`/`flow_in`/`flow_out`
 *   on `X`) is Perfetto's; catapult's older builds ignore it. Perfetto keys v1 flows by (id,
 *   cat, name), so a flow's two ends share all three; ids are unique in the document. Each end sits
 *   1 ns into its slice: inside it, and never at another event's timestamp (clock.ts).
 * - `i` instants with scope `t` (thread) for a step that takes no time on a track (a discard, a
 *   failed condition), `p` (process) for checkpoints. Perfetto draws them as zero-length slices,
 *   which nest in any slice: they can never overlap one partly.
 * - `C` counters per region process, "in flight → <region>": replicated writes sent and not yet
 *   arrived on that link, after each send and arrival.
 * - `M` metadata: process_name, process_sort_index, thread_name, thread_sort_index. catapult reads
 *   all four; Perfetto's importer reads only the names (it orders tracks by its own rules), so pids
 *   and tids also count up in the intended order.
 * Perfetto's FAQ (perfetto.dev/docs/faq, "overlapping events in JSON traces") and its importer
 * (src/trace_processor/importers/json/) are where these choices were checked; no viewer was run
 * here (the Perfetto UI is a web app, and Chromium's chrome://tracing is disabled in headless mode).
 */
export function perfettoChunks(reports: RunReport[]): Generator<string> {
  return perfettoDocument(reports).chunks();
}

/**
 * The document of `perfettoChunks`, to be written more than once: the CLI sizes it against
 * --max-output-size before writing it, and each run's timeline (the costly part: every step's
 * words) is built on the first pass and kept for the second.
 */
export function perfettoDocument(reports: RunReport[]): { chunks: () => Generator<string> } {
  const timelines = new Map<RunReport, Timeline>();
  const timeline = (report: RunReport): Timeline => {
    let built = timelines.get(report);
    if (!built) timelines.set(report, (built = buildTimeline(report)));
    return built;
  };
  return { chunks: () => documentChunks(reports, timeline) };
}

function* documentChunks(reports: RunReport[], timelineOf: (report: RunReport) => Timeline): Generator<string> {
  const several = reports.length > 1;
  // scenarios of one name (two files both `name: concurrent`) are told apart by their files
  const named = new Map<string, number>();
  for (const report of reports) named.set(report.scenario.name, (named.get(report.scenario.name) ?? 0) + 1);
  const prefixOf = (report: RunReport): string => {
    if (!several) return '';
    const { name, file } = report.scenario;
    return `${escapeControlChars(named.get(name)! > 1 ? `${name} (${file})` : name)} · `;
  };
  const ids = { next: 0, processes: 0, flow: 0 };
  const scenarios: Record<string, unknown>[] = [];
  let first = true;
  const line = (event: Record<string, unknown>): string => {
    const text = (first ? '\n' : ',\n') + JSON.stringify(event);
    first = false;
    return text;
  };
  // displayTimeUnit first: Perfetto's tokenizer notes one that comes after the first chunk it reads
  // as "too late" (json_display_time_unit_too_late), and a long trace is read in many chunks.
  yield '{"displayTimeUnit":"ms","traceEvents":[';
  for (const report of reports) {
    const timeline = timelineOf(report);
    const threads = threadIds(timeline, prefixOf(report), ids, report.witness);
    for (const meta of threads.metadata) yield line(meta);
    for (const chunk of eventLines(timeline, threads, ids.flow)) yield line(chunk);
    ids.flow += timeline.flows.length;
    scenarios.push({
      name: report.scenario.name,
      file: report.scenario.file,
      seed: report.seed,
      mode: report.mode,
      strategy: report.strategy,
      backend: report.backend,
      passed: report.assertions.every((a) => a.passed),
      endedAt: report.endedAt,
      writesSent: timeline.writesSent,
      flows: timeline.flows.length,
      inFlightAtEnd: timeline.inFlightAtEnd,
      ...(report.stopped ? { stopped: report.stopped.limit } : {}),
    });
  }
  const failed = scenarios.filter((s) => !s.passed).length;
  const otherData = { geosim: PERFETTO_FORMAT_VERSION, timeUnit: 'virtual time, µs', passed: scenarios.length - failed, failed, scenarios };
  yield `${first ? '' : '\n'}],\n"otherData":${JSON.stringify(otherData)}}\n`;
}

interface Threads {
  metadata: Record<string, unknown>[];
  pid: Map<string, number>;
  /** By track, then lane. */
  tid: Map<Track, number[]>;
}

/**
 * A process per region that has a track (in the run's region order), a thread per track lane, in
 * the order of ACTORS (links in region order). Pids and tids come from one counter through the
 * document: each run's regions get their own processes, the numbers follow the display order, and
 * no tid is ever a pid. That last matters: Perfetto's importer takes an event without a tid (a
 * process name, a process-scoped instant) as on thread `tid = pid`, and a thread whose tid it has
 * seen in another process is split into a new one.
 */
function threadIds(timeline: Timeline, prefix: string, ids: { next: number; processes: number }, witness?: string): Threads {
  const metadata: Record<string, unknown>[] = [];
  const pid = new Map<string, number>();
  const tid = new Map<Track, number[]>();
  const order = (t: Track): number => ACTORS.indexOf(t.actor) * 10_000 + (t.to !== undefined ? timeline.regions.indexOf(t.to) : 0);
  for (const region of timeline.regions) {
    const tracks = timeline.tracks.filter((t) => t.region === region).sort((a, b) => order(a) - order(b));
    if (tracks.length === 0 && !timeline.instants.some((i) => i.region === region)) continue;
    const p = ++ids.next;
    pid.set(region, p);
    // MRSC's witness has a process only when a fault names it: it holds no replica
    metadata.push({ name: 'process_name', ph: 'M', pid: p, args: { name: `${prefix}${escapeControlChars(region)}${region === witness ? ' (witness)' : ''}` } });
    metadata.push({ name: 'process_sort_index', ph: 'M', pid: p, args: { sort_index: ++ids.processes } });
    let sort = 0;
    for (const track of tracks) {
      const lanes: number[] = [];
      for (let lane = 0; lane < track.lanes; lane++) {
        const t = ++ids.next;
        lanes.push(t);
        metadata.push({ name: 'thread_name', ph: 'M', pid: p, tid: t, args: { name: lane === 0 ? track.name : `${track.name} ${lane + 1}` } });
        metadata.push({ name: 'thread_sort_index', ph: 'M', pid: p, tid: t, args: { sort_index: sort++ } });
      }
      tid.set(track, lanes);
    }
  }
  return { metadata, pid, tid };
}

/** The order of phases at one timestamp: a slice before what it encloses. */
const PHASE_ORDER = { X: 0, i: 1, s: 2, t: 3, f: 4, C: 5 } as const;

interface Entry {
  ts: number;
  phase: keyof typeof PHASE_ORDER;
  /** Creation order, the last tie-break: the same report gives the same bytes. */
  n: number;
  make: () => Record<string, unknown>;
}

/** The run's events in time order (viewers sort anyway; a reader of the file need not). */
function* eventLines(timeline: Timeline, threads: Threads, flowBase: number): Generator<Record<string, unknown>> {
  const entries: Entry[] = [];
  const at = (s: Slice): { pid: number; tid: number } => ({ pid: threads.pid.get(s.track.region)!, tid: threads.tid.get(s.track)![s.lane]! });
  const push = (ts: number, phase: Entry['phase'], make: Entry['make']): void => {
    entries.push({ ts, phase, n: entries.length, make });
  };
  for (const s of timeline.slices) {
    push(s.start, 'X', () => ({ name: s.name, cat: s.cat, ph: 'X', ts: us(s.start), dur: us(s.end - s.start), ...at(s), args: s.args }));
  }
  for (const i of timeline.instants) {
    const pid = threads.pid.get(i.region)!;
    if (i.track === undefined) {
      push(i.ts, 'i', () => ({ name: i.name, cat: i.cat, ph: 'i', s: 'p', ts: us(i.ts), pid, args: i.args }));
      continue;
    }
    const tid = threads.tid.get(i.track)![i.on?.lane ?? 0]!;
    push(i.ts, 'i', () => ({ name: i.name, cat: i.cat, ph: 'i', s: 't', ts: us(i.ts), pid, tid, args: i.args }));
  }
  for (const flow of timeline.flows) {
    const id = flowBase + flow.id;
    push(flow.from.start + 1, 's', () => ({ name: 'replicated write', cat: 'replication', ph: 's', id, ts: us(flow.from.start + 1), ...at(flow.from) }));
    for (const step of flow.through) {
      push(step.start + 1, 't', () => ({ name: 'replicated write', cat: 'replication', ph: 't', id, ts: us(step.start + 1), ...at(step) }));
    }
    push(flow.to.start + 1, 'f', () => ({ name: 'replicated write', cat: 'replication', ph: 'f', bp: 'e', id, ts: us(flow.to.start + 1), ...at(flow.to) }));
  }
  for (const c of timeline.counters) {
    const link = timeline.tracks.find((t) => t.actor === 'link' && t.region === c.region && t.to === c.to)!;
    const tid = threads.tid.get(link)![0]!;
    push(c.ts, 'C', () => ({ name: `in flight → ${escapeControlChars(c.to)}`, cat: 'replication', ph: 'C', ts: us(c.ts), pid: threads.pid.get(c.region)!, tid, args: { writes: c.value } }));
  }
  entries.sort((a, b) => a.ts - b.ts || PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || a.n - b.n);
  for (const e of entries) yield e.make();
}

/** ns on the format's µs axis: the nearest double, as exact as the format's numbers get. */
function us(ns: number): number {
  return ns / 1000;
}
