import type { TraceEvent } from '../../trace/events.js';
import type { RunReport } from '../../trace/report.js';
import { formatTime } from '../format-time.js';
import { buildAxis, typicalPositive, yAt, type AxisPoint } from './axis.js';
import { faultWindows, type FaultWindow } from './faults.js';
import { pairFlights, type Flight } from './flights.js';
import { markKind, markRegion, stepWords } from './marks.js';
import { shapeSvg } from './shapes.js';
import { cross, DEFS, legend, STYLE } from './style.js';
import { cut, num, thousands, title, xml } from './svg.js';
import { cutToWidth, textWidth } from './text-width.js';

/**
 * The space-time (Lamport) diagram of one run, as an SVG document: a vertical line per region,
 * virtual time flowing down, each replicated write a slanted arrow from its send to its arrival
 * (so a write in flight while the other region writes the same item crosses that write), a
 * discarded write's arrow dashed and crossed out, faults shaded over the regions they hit.
 * Reads only the report; same report, same bytes.
 *
 * Marks (the HTML report's script and the tests rely on these): every mark is a `<g>` with
 * `data-seq` (the trace seq it stands for) and a class (`st-write`, `st-replication`,
 * `st-discarded`, `st-conflict`, `st-fault`, `st-event`, `st-read`, `st-lambda`) and a `<title>`
 * with the step's words. A replication group's `data-seq` is its arrival (the apply or discard:
 * the step that decides its fate) or, still in flight at the end of what is drawn, its send;
 * `data-send-seq` names the send, `data-from`/`data-to` the link. A fault window's group has
 * `data-seq` of its fault-started and `data-end-seq` of its fault-ended.
 */
export interface SpacetimeOptions {
  /** Trace events drawn at most; the rest are summarised in a note. */
  maxSteps?: number;
}

/** Trace events drawn by default (`geosim diagram --max-steps`): enough for any scenario, bounded for a 100k-event run. */
export const SPACETIME_MAX_STEPS = 2000;

export interface SpacetimeDrawing {
  /** A standalone SVG document, deterministic bytes. */
  svg: string;
  /** px */
  width: number;
  height: number;
  /** Virtual time → y (px): breakpoints, increasing in t and y; y(t) interpolates linearly, clamps at the ends. */
  axis: { t: number; y: number }[];
  /** Trace events drawn: trace[0 .. drawnSteps-1]. */
  drawnSteps: number;
}

// Layout, px.
const AXIS_X = 64; // right edge of the tick labels
const LABEL_ROOM = 275; // beside a region's line for write labels
const REGION_GAP = 300;
const TOP = 112; // first time's y
const TAIL = 28; // below the last time: room for arrows still in flight
const SIDE_FIRST = 13; // first side mark from the line
const SIDE_STEP = 10;
/** Side marks of one row spread over at most this many places; more pile up on the last (each keeps its title). */
const SIDE_SLOTS = 6;
/** The labels' font size (style.ts), for their drawn width (text-width.ts). */
const LABEL_FONT_PX = 11;
const HOLD_OFFSET = 22; // a held write waits this far before its destination's line
const MIN_LEGEND_COL = 330;

export function spacetime(report: RunReport, options: SpacetimeOptions = {}): SpacetimeDrawing {
  const maxSteps = Math.max(1, Math.floor(options.maxSteps ?? SPACETIME_MAX_STEPS));
  const total = report.trace.length;
  const drawn = total > maxSteps ? report.trace.slice(0, maxSteps) : report.trace;
  const bySeq = new Map<number, TraceEvent>();
  for (const e of drawn) bySeq.set(e.seq, e);

  // Regions: the report's, then any a trace names that it does not (a recorded session).
  const regions = [...report.regions];
  const regionIndex = new Map<string, number>(regions.map((r, i) => [r, i]));
  const addRegion = (r: string): void => {
    if (r !== '' && !regionIndex.has(r)) {
      regionIndex.set(r, regions.length);
      regions.push(r);
    }
  };
  for (const e of drawn) {
    addRegion(markRegion(e));
    if ('from' in e && typeof e.from === 'string' && 'to' in e && typeof e.to === 'string') {
      addRegion(e.from);
      addRegion(e.to);
    }
  }
  const xOf = (r: string): number => AXIS_X + 8 + LABEL_ROOM + (regionIndex.get(r) ?? 0) * REGION_GAP;
  // Labels and side marks go outward: left of the first line, right of the others.
  const sideOf = (r: string): number => ((regionIndex.get(r) ?? 0) === 0 && regions.length > 1 ? -1 : 1);

  const flights = pairFlights(drawn);
  const lastT = drawn.length ? drawn[drawn.length - 1]!.t : 0;
  const windows = faultWindows(drawn, lastT);

  // The axis: every time something is drawn at.
  const times: number[] = drawn.map((e) => e.t);
  for (const w of windows) if (w.effectiveAt !== undefined && w.effectiveAt <= lastT) times.push(w.effectiveAt);
  for (const f of flights) times.push(f.sentAt);
  const lags = flights.filter((f) => f.send && f.arrival && !f.held && f.arrival.heldSince === undefined).map((f) => f.arrival!.t - f.sentAt);
  const sortedTimes = [...new Set(times)].sort((a, b) => a - b);
  const gaps = sortedTimes.slice(1).map((t, i) => t - sortedTimes[i]!);
  const typical = typicalPositive(lags) ?? typicalPositive(gaps) ?? 1000;
  const axis = buildAxis(sortedTimes, typical, TOP);
  const y = (t: number): number => yAt(axis.points, t);
  const bodyBottom = axis.bottom + TAIL;

  const width = Math.round(xOf(regions[regions.length - 1] ?? '') + LABEL_ROOM + 16);
  const parts: string[] = [];

  // ---- background: breaks, grid, axis ticks ----
  for (const b of axis.breaks) {
    parts.push(`<rect class="st-break" x="0" y="${num(b.y0 + 6)}" width="${width}" height="${num(b.y1 - b.y0 - 12)}"/>`);
    parts.push(`<text class="st-break-text" x="${num(AXIS_X + 8)}" y="${num((b.y0 + b.y1) / 2 + 3)}">… ${xml(formatTime(b.to - b.from))} later</text>`);
  }
  let lastLabelY = -Infinity;
  for (const p of axis.points) {
    if (p.y - lastLabelY < 13) continue;
    lastLabelY = p.y;
    parts.push(`<line class="st-grid" x1="${AXIS_X + 4}" y1="${num(p.y)}" x2="${width}" y2="${num(p.y)}"/><text class="st-tick" x="${AXIS_X}" y="${num(p.y + 3.5)}">${xml(formatTime(p.t))}</text>`);
  }

  // ---- region lines (broken by a zig-zag at each break) ----
  for (const r of regions) {
    const x = xOf(r);
    // MRSC's witness has a line only when a fault names it: it holds no replica
    parts.push(`<text class="st-region-name" x="${num(x)}" y="${TOP - 22}">${xml(r === report.witness ? `${r} (witness)` : r)}</text>`);
    let from = TOP - 14;
    for (const b of axis.breaks) {
      parts.push(`<line class="st-line" x1="${num(x)}" y1="${num(from)}" x2="${num(x)}" y2="${num(b.y0 + 8)}"/>`);
      parts.push(`<path class="st-zigzag" d="${zigzag(x, b.y0 + 8, b.y1 - 8)}"/>`);
      from = b.y1 - 8;
    }
    parts.push(`<line class="st-line" x1="${num(x)}" y1="${num(from)}" x2="${num(x)}" y2="${num(bodyBottom)}"/>`);
  }

  // ---- fault windows ----
  for (const w of windows) parts.push(faultSvg(w, y, xOf, sideOf));

  // ---- replication, muted ones first so the data's arrows lie on top ----
  const ordered = [...flights.filter((f) => f.aux), ...flights.filter((f) => !f.aux)];
  for (const f of ordered) parts.push(flightSvg(f, { y, xOf, bySeq, windows, bodyBottom }));

  // ---- marks on and beside the lines ----
  parts.push(...marksSvg(drawn, y, xOf, sideOf));

  // ---- header, note, legend ----
  const header: string[] = [];
  header.push(`<text class="st-title" x="12" y="22">${xml(cut(report.scenario.name, 90))}</text>`);
  header.push(
    `<text class="st-sub" x="12" y="40">space-time diagram · ${xml(report.mode.toUpperCase())} · ${regions.length} region${regions.length === 1 ? '' : 's'}${report.witness !== undefined && regions.includes(report.witness) ? ' (one the witness)' : ''} · virtual time flows down · ${xml(thousands(total))} step${total === 1 ? '' : 's'}</text>`,
  );
  if (total > drawn.length) {
    header.push(`<text class="st-note" x="12" y="58">first ${thousands(drawn.length)} of ${thousands(total)} steps; raise with --max-steps</text>`);
  }
  const columns = Math.max(1, Math.min(3, Math.floor((width - 24) / MIN_LEGEND_COL)));
  const colWidth = Math.floor((width - 32) / columns);
  const body = parts.join('\n');
  const leg = legend(12, bodyBottom + 20, columns, colWidth, body);
  const height = Math.round(bodyBottom + 20 + leg.height + 12);

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="geosim-spacetime" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xml(`space-time diagram of ${report.scenario.name}`)}">\n` +
    `${STYLE}\n${DEFS}\n<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>\n` +
    `${header.join('\n')}\n${body}\n${leg.svg}\n</svg>\n`;
  return { svg, width, height, axis: axis.points.map((p): AxisPoint => ({ t: p.t, y: Math.round(p.y * 10) / 10 })), drawnSteps: drawn.length };
}

/**
 * The marks of every step that is not replication or a fault window: writes on their region's line
 * (labelled; when several share a row, the first label says `+N`), the rest as small marks beside
 * it, outward, spreading over SIDE_SLOTS places; steps of no region (checks) by the time axis.
 */
function marksSvg(drawn: TraceEvent[], y: (t: number) => number, xOf: (r: string) => number, sideOf: (r: string) => number): string[] {
  const slots = new Map<string, number>();
  const labels = new Map<string, { x: number; y: number; side: number; text: string; extra: number }>();
  const markSvg: string[] = [];
  for (const e of drawn) {
    const kind = markKind(e);
    if (!kind) continue;
    const region = markRegion(e);
    const my = y(e.t);
    const cls = kind.cls;
    let x: number;
    let side = 1;
    if (kind.place === 'axis' || region === '') {
      const key = `axis:${num(my)}`;
      const k = slots.get(key) ?? 0;
      slots.set(key, k + 1);
      x = AXIS_X + 14 + Math.min(k, SIDE_SLOTS - 1) * SIDE_STEP;
    } else {
      side = sideOf(region);
      const lx = xOf(region);
      if (kind.place === 'line') x = lx;
      else {
        const key = `${region}:${num(my)}`;
        const k = slots.get(key) ?? 0;
        slots.set(key, k + 1);
        x = lx + side * (SIDE_FIRST + Math.min(k, SIDE_SLOTS - 1) * SIDE_STEP);
      }
      if (kind.label !== undefined) {
        const key = `${region}:${num(my)}`;
        const existing = labels.get(key);
        if (existing) existing.extra++;
        else labels.set(key, { x: lx, y: my, side, text: kind.label, extra: 0 });
      }
    }
    markSvg.push(`<g class="${cls}" data-seq="${e.seq}">${title(stepWords(e))}${shapeSvg(kind.shape, x, my, -side)}</g>`);
  }
  const out = markSvg;
  for (const [key, l] of labels) {
    const used = Math.min(slots.get(key) ?? 0, SIDE_SLOTS);
    const offset = SIDE_FIRST + used * SIDE_STEP + 2;
    const x = l.x + l.side * offset;
    const more = l.extra > 0 ? ` +${l.extra}` : '';
    const room = LABEL_ROOM - offset - 12 - textWidth(more, LABEL_FONT_PX);
    out.push(`<text class="st-label" x="${num(x)}" y="${num(l.y + 3.5)}"${l.side < 0 ? ' text-anchor="end"' : ''}>${xml(cutToWidth(l.text, room, LABEL_FONT_PX) + more)}</text>`);
  }

  return out;
}

interface FlightContext {
  y: (t: number) => number;
  xOf: (r: string) => number;
  bySeq: Map<number, TraceEvent>;
  windows: FaultWindow[];
  bodyBottom: number;
}

/** One flight: a slanted arrow from send to arrival; held stretches dotted; discarded crossed out. */
function flightSvg(f: Flight, c: FlightContext): string {
  const xF = c.xOf(f.from);
  const xT = c.xOf(f.to);
  const dir = xT >= xF ? 1 : -1;
  const yS = c.y(f.sentAt);
  const a = f.arrival;
  const heldAt = f.held?.t ?? a?.heldSince;
  const yEnd = a ? c.y(a.t) : c.bodyBottom - 4;
  const classes = ['st-replication'];
  if (a?.kind === 'replication-discarded') classes.push('st-discarded');
  if (a?.conflict) classes.push('st-conflict');
  if (f.aux) classes.push('st-aux');
  if (heldAt !== undefined) classes.push('st-held');
  if (!a) classes.push('st-inflight');
  const head = a?.kind === 'replication-applied' ? ` marker-end="url(#${f.aux ? 'st-head-aux' : 'st-head'})"` : '';

  let d: string;
  let held = '';
  // The first leg (send → arrival, or → where it waited): where coalesced writes join the message.
  let leg: { x0: number; y0: number; x1: number; y1: number };
  if (heldAt !== undefined) {
    const xh = xT - dir * HOLD_OFFSET;
    const yh = c.y(heldAt);
    // Released when its fault window ended (then, with lag, it arrives), else it waits on.
    const releasedAt = a ? Math.max(heldAt, ...c.windows.filter((w) => w.end >= heldAt && w.end <= a.t && w.endSeq !== undefined).map((w) => w.end)) : undefined;
    const yr = releasedAt !== undefined ? c.y(releasedAt) : yEnd;
    d = `M${num(xF)},${num(yS)}L${num(xh)},${num(yh)}`;
    held = `<path class="st-held-part" d="M${num(xh)},${num(yh)}L${num(xh)},${num(yr)}"/>`;
    if (a) held += `<path d="M${num(xh)},${num(yr)}L${num(xT)},${num(yEnd)}"${head}/>`;
    leg = { x0: xF, y0: yS, x1: xh, y1: yh };
  } else if (yEnd === yS && Math.abs(xT - xF) > REGION_GAP) {
    // Synchronous (MRSC) to a region past the next one: an arc over the line between, not through it.
    const lift = 12 * (Math.abs(xT - xF) / REGION_GAP - 1);
    d = `M${num(xF)},${num(yS)}Q${num((xF + xT) / 2)},${num(yS - 2 * lift)} ${num(xT)},${num(yEnd)}`;
    leg = { x0: xF, y0: yS, x1: xT, y1: yEnd };
  } else {
    d = `M${num(xF)},${num(yS)}L${num(xT)},${num(yEnd)}`;
    leg = { x0: xF, y0: yS, x1: xT, y1: yEnd };
  }
  const main = `<path d="${d}"${heldAt === undefined ? head : ''}/>`;
  let end = '';
  if (a?.kind === 'replication-discarded') end = cross(xT - dir * 5, yEnd);
  else if (a?.conflict) end = `<path class="st-conflict-mark" d="M${num(xT - dir * 12)},${num(yEnd - 5)}l5,5l-5,5l-5,-5z"/>`;

  const words: string[] = [];
  for (const seq of [f.send?.seq, f.held?.seq, a?.seq]) {
    const e = seq !== undefined ? c.bySeq.get(seq) : undefined;
    if (e) words.push(stepWords(e));
  }
  if (!a) words.push('(still in flight where the drawing ends)');
  const seq = a?.seq ?? f.send?.seq ?? 0;
  const attrs = `class="${classes.join(' ')}" data-seq="${seq}"${f.send ? ` data-send-seq="${f.send.seq}"` : ''} data-from="${xml(f.from)}" data-to="${xml(f.to)}"`;
  let out = `<g ${attrs}>${title(words.join('\n'))}${main}${held}${end}</g>`;

  for (const co of f.coalesced) {
    const e = c.bySeq.get(co.seq);
    const yc = c.y(co.t);
    const frac = leg.y1 > leg.y0 ? Math.min(1, Math.max(0, (yc - leg.y0) / (leg.y1 - leg.y0))) : 0;
    const px = leg.x0 + frac * (leg.x1 - leg.x0);
    out += `\n<g class="st-replication st-coalesced" data-seq="${co.seq}" data-from="${xml(f.from)}" data-to="${xml(f.to)}">${title(e ? stepWords(e) : 'coalesced')}<path d="M${num(xF)},${num(yc)}L${num(px)},${num(yc)}"/><circle cx="${num(px)}" cy="${num(yc)}" r="3"/></g>`;
  }
  return out;
}

/** A fault window: a translucent, hatched band over each affected region's line, labelled once. */
function faultSvg(w: FaultWindow, y: (t: number) => number, xOf: (r: string) => number, sideOf: (r: string) => number): string {
  const kind = w.fault === 'outage' ? 'outage' : 'pause';
  const y0 = y(w.start);
  const y1 = Math.max(y(w.end), y0 + 4);
  let out = `<g class="st-fault st-fault-${kind}" data-seq="${w.seq}"${w.endSeq !== undefined ? ` data-end-seq="${w.endSeq}"` : ''}>`;
  out += title(`${w.description}: ${formatTime(w.start)} to ${w.endSeq !== undefined ? formatTime(w.end) : 'the end of the drawing'}${w.effectiveAt !== undefined ? ` (replication stops at ${formatTime(w.effectiveAt)})` : ''}`);
  w.regions.forEach((r, i) => {
    const x = xOf(r);
    const rect = `x="${num(x - 17)}" y="${num(y0)}" width="34" height="${num(y1 - y0)}"`;
    out += `<rect class="st-fault-band" ${rect}/><rect ${rect} fill="url(#${kind === 'outage' ? 'st-hatch-x' : 'st-hatch'})"/>`;
    if (w.effectiveAt !== undefined) {
      const ye = y(w.effectiveAt);
      out += `<line class="st-effective" x1="${num(x - 17)}" y1="${num(ye)}" x2="${num(x + 17)}" y2="${num(ye)}"/>`;
    }
    if (i === 0) {
      // Inward, away from the write labels.
      const inward = -sideOf(r);
      out += `<text class="st-fault-label" x="${num(x + inward * 21)}" y="${num(y0 + 11)}"${inward < 0 ? ' text-anchor="end"' : ''}>${xml(cut(w.description, 44))}</text>`;
    }
  });
  return `${out}</g>`;
}

/** A zig-zag down a region's line across a break. */
function zigzag(x: number, y0: number, y1: number): string {
  const steps = 4;
  const h = (y1 - y0) / steps;
  let d = `M${num(x)},${num(y0)}`;
  for (let i = 1; i <= steps; i++) d += `L${num(i === steps ? x : x + (i % 2 ? 5 : -5))},${num(y0 + i * h)}`;
  return d;
}
