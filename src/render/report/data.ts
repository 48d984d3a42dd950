import type { TraceEvent, VersionStamp } from '../../trace/events.js';
import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { formatTime } from '../format-time.js';
import { shortRegionNames } from '../lanes.js';
import { stepViewOrKind } from '../step-view.js';
import { stateItemKey } from '../step-state.js';
import { gzipBytes } from './gzip.js';

/**
 * The steps of a run as the report's page replays them: columns of numbers (one entry per trace
 * event) pointing into one table of strings, so a word, a label or an item that recurs is stored
 * once. The page decodes it with JSON.parse only; items are deltas (at most one item changes per
 * step, as step-state.ts replays them), flights are added and removed by the step that sent them.
 */
export interface ReportData {
  /** Format of this object, so a page never misreads another version's data. */
  v: 1;
  regions: string[];
  /** Every string the columns point to. */
  s: string[];
  seq: number[];
  /** Virtual ms of each step, and its words (string index). */
  t: number[];
  time: number[];
  label: number[];
  tone: number[];
  /** Region index of the step (-1: none, a run-wide step). */
  region: number[];
  /** Sending region's index for replication steps, else -1. */
  from: number[];
  /** The step's words, as they are: nearly every step's are its own, so a table would only cost. */
  text: string[];
  /** The item before and after (string indexes), -1 when the step changes none. */
  before: number[];
  after: number[];
  /** The item the step changes: region index (-1: none), item id, its new summary (-1: gone). */
  dr: number[];
  di: number[];
  dv: number[];
  /** 0: no flight change; k > 0: a flight leaves, worded by string k-1; k < 0: the flight sent at step -k-1 lands. */
  fl: number[];
  /** The space-time drawing's time axis, flattened [t0, y0, t1, y1, ...]. */
  axis: number[];
  /** Steps between two states the page keeps whole, so a jump replays at most this many. */
  every: number;
  /** Ids besides `IDEMPOTENCY#…` the page shows as idempotency records (report.records: Powertools'); absent when none. */
  records?: string[];
}

/**
 * Fewest steps between two states the page keeps whole. More when a run holds many items: each
 * checkpoint copies every item, each jump replays up to `every` deltas (a Map set each, cheap), so
 * `every` near sqrt(steps × items) keeps both small (118k steps, 30k items: every 60k, 2 copies).
 */
export const CHECKPOINT_EVERY = 1000;

/** The checkpoint interval for a run of `steps` steps that holds at most `items` items at once (over all regions). */
export function checkpointEvery(steps: number, items: number): number {
  return Math.max(CHECKPOINT_EVERY, Math.ceil(Math.sqrt(steps * items)));
}

export function reportData(report: RunReport, axis: { t: number; y: number }[]): ReportData {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (text: string): number => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      index.set(text, i);
    }
    return i;
  };
  const regionIndex = new Map(report.regions.map((r, i) => [r, i]));
  const regionOf = (r: string | undefined): number => (r === undefined ? -1 : (regionIndex.get(r) ?? -1));
  const short = shortRegionNames(report.regions);
  const d: ReportData = { v: 1, regions: report.regions, s: strings, seq: [], t: [], time: [], label: [], tone: [], region: [], from: [], text: [], before: [], after: [], dr: [], di: [], dv: [], fl: [], axis: axis.flatMap((p) => [p.t, p.y]), every: CHECKPOINT_EVERY };
  if (report.records !== undefined && report.records.length > 0) d.records = report.records;
  // Flights in the air, keyed as step-state.ts matches a landing to its send.
  const inFlight = new Map<string, number[]>();
  const flightKey = (from: string, to: string, itemId: string, v: VersionStamp): string => `${from}\u0000${to}\u0000${itemId}\u0000${v.ts}\u0000${v.region}`;
  const land = (key: string): number => {
    const sent = inFlight.get(key);
    const step = sent?.shift();
    if (sent !== undefined && sent.length === 0) inFlight.delete(key);
    return step === undefined ? 0 : -(step + 1);
  };
  // How many items the regions hold at most, for the checkpoint interval.
  const held = report.regions.map(() => new Set<number>());
  let most = 0;
  report.trace.forEach((e: TraceEvent, i) => {
    const view = stepViewOrKind(e);
    d.seq.push(e.seq);
    d.t.push(e.t);
    d.time.push(intern(formatTime(e.t)));
    d.label.push(intern(view.label));
    d.tone.push(intern(view.tone));
    d.region.push(regionOf(view.region));
    d.from.push(regionOf(view.from));
    d.text.push(view.text);
    d.before.push(view.change ? intern(view.change.before) : -1);
    d.after.push(view.change ? intern(view.change.after) : -1);
    let delta: [number, number, number] = [-1, -1, -1];
    let flight = 0;
    switch (e.kind) {
      // The item's new summary is the step's own `after` (formatItem, as the views show it).
      case 'local-write':
        delta = [regionOf(e.region), intern(escapeControlChars(stateItemKey(e))), e.after ? d.after[i]! : -1];
        break;
      case 'replication-applied':
        flight = land(flightKey(e.from, e.to, stateItemKey(e), e.version));
        delta = [regionOf(e.to), intern(escapeControlChars(stateItemKey(e))), e.after ? d.after[i]! : -1];
        break;
      case 'replication-discarded':
        flight = land(flightKey(e.from, e.to, stateItemKey(e), e.incomingVersion));
        break;
      case 'replication-coalesced':
        flight = land(flightKey(e.from, e.to, stateItemKey(e), e.dropped));
        break;
      case 'replication-sent': {
        const key = flightKey(e.from, e.to, stateItemKey(e), e.version);
        inFlight.set(key, [...(inFlight.get(key) ?? []), i]);
        flight = intern(`${escapeControlChars(stateItemKey(e))} ${short[e.from] ?? e.from}▸${short[e.to] ?? e.to} at ${formatTime(e.arrivesAt)}`) + 1;
        break;
      }
      default:
        break;
    }
    // A step in a region the run does not list changes nothing the page shows.
    if (delta[0] < 0) delta = [-1, -1, -1];
    else {
      const region = held[delta[0]]!;
      const before = region.size;
      if (delta[2] >= 0) region.add(delta[1]);
      else region.delete(delta[1]);
      if (region.size > before) most = Math.max(most, held.reduce((n, r) => n + r.size, 0));
    }
    d.dr.push(delta[0]);
    d.di.push(delta[1]);
    d.dv.push(delta[2]);
    d.fl.push(flight);
  });
  d.every = checkpointEvery(report.trace.length, most);
  return d;
}

/**
 * The data as the page carries it: JSON, gzip, base64. Base64 has no `<`, so no `</script>` can
 * appear in the page however the scenario's strings read.
 */
export function packData(data: ReportData): string {
  return gzipBytes(JSON.stringify(data)).toString('base64');
}
