// stand-in until part SPACETIME lands: a minimal `spacetime()` following design-16.md's contract
// (src/render/spacetime/spacetime.ts replaces it; the integrator swaps the import in
// src/render/report/parts.ts and deletes this file). It keeps the element conventions the report's
// script and tests rely on: a line per region, marks as <g data-seq class="st-...">, a replication
// arrow per sent write, a discarded one as `.st-discarded` holding a `.st-cross`.
import type { TraceEvent, VersionStamp } from '../../trace/events.js';
import type { RunReport } from '../../trace/report.js';
import { stepViewOrKind } from '../step-view.js';
import { escapeHtml } from './escape.js';

export interface SpacetimeOptions {
  /** Trace events drawn at most; the rest are summarised in a note. */
  maxSteps?: number;
}
export const SPACETIME_MAX_STEPS = 2000;
export interface SpacetimeDrawing {
  svg: string;
  width: number;
  height: number;
  axis: { t: number; y: number }[];
  drawnSteps: number;
}

const TOP = 50;
const ROW = 22;
const LEFT = 90;
const COLUMN = 240;

export function spacetime(report: RunReport, options: SpacetimeOptions = {}): SpacetimeDrawing {
  const drawnSteps = Math.min(report.trace.length, options.maxSteps ?? SPACETIME_MAX_STEPS);
  const steps = report.trace.slice(0, drawnSteps);
  // One row per distinct time: idle gaps take no room (the real drawing marks the break).
  const times = [...new Set(steps.map((e) => e.t))].sort((a, b) => a - b);
  const axis = times.map((t, i) => ({ t, y: TOP + i * ROW }));
  const yOf = new Map(axis.map((p) => [p.t, p.y]));
  const x = (region: string): number => LEFT + Math.max(0, report.regions.indexOf(region)) * COLUMN;
  const width = LEFT + report.regions.length * COLUMN;
  const height = TOP + Math.max(1, times.length) * ROW + 30;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="geosim-spacetime" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push('<style>.st-line{stroke:#888}.st-write circle{fill:#1f6feb}.st-replication line{stroke:#1f6feb}.st-discarded line{stroke:#b42318;stroke-dasharray:4 3}.st-cross{stroke:#b42318;stroke-width:2}.st-fault rect{fill:#f5a524;opacity:.25}.st-event circle{fill:#777}</style>');
  for (const region of report.regions) {
    out.push(`<text x="${x(region)}" y="20" text-anchor="middle">${escapeHtml(region)}</text><line class="st-line" x1="${x(region)}" y1="30" x2="${x(region)}" y2="${height - 10}"/>`);
  }
  for (const p of axis) out.push(`<text x="8" y="${p.y + 4}" font-size="10">${p.t}ms</text>`);
  const key = (from: string, to: string, itemId: string, v: VersionStamp): string => `${from}\u0000${to}\u0000${itemId}\u0000${v.ts}\u0000${v.region}`;
  const arrivals = new Map<string, TraceEvent>();
  for (const e of steps) {
    if (e.kind === 'replication-applied') arrivals.set(key(e.from, e.to, e.itemId, e.version), e);
    else if (e.kind === 'replication-discarded') arrivals.set(key(e.from, e.to, e.itemId, e.incomingVersion), e);
  }
  for (const e of steps) {
    const title = `<title>${escapeHtml(stepViewOrKind(e).text)}</title>`;
    const y = yOf.get(e.t) ?? TOP;
    if (e.kind === 'local-write') {
      out.push(`<g class="st-write" data-seq="${e.seq}">${title}<circle cx="${x(e.region)}" cy="${y}" r="5"/></g>`);
    } else if (e.kind === 'replication-sent') {
      const end = arrivals.get(key(e.from, e.to, e.itemId, e.version));
      const y2 = end ? (yOf.get(end.t) ?? y) : y + ROW;
      const discarded = end?.kind === 'replication-discarded';
      const [x2, cls] = [x(e.to), discarded ? 'st-replication st-discarded' : 'st-replication'];
      out.push(
        `<g class="${cls}" data-seq="${e.seq}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}">${title}<line x1="${x(e.from)}" y1="${y}" x2="${x2}" y2="${y2}"/>` +
          (discarded ? `<path class="st-cross" d="M${x2 - 6} ${y2 - 6}L${x2 + 6} ${y2 + 6}M${x2 - 6} ${y2 + 6}L${x2 + 6} ${y2 - 6}"/>` : '') +
          '</g>',
      );
    } else if (e.kind === 'fault-started') {
      for (const r of e.regions) out.push(`<g class="st-fault" data-seq="${e.seq}">${title}<rect x="${x(r) - 20}" y="${y}" width="40" height="${ROW}"/></g>`);
    } else if (e.kind !== 'replication-applied' && e.kind !== 'replication-discarded') {
      const region = stepViewOrKind(e).region;
      if (report.regions.includes(region)) out.push(`<g class="st-event" data-seq="${e.seq}">${title}<circle cx="${x(region)}" cy="${y}" r="3"/></g>`);
    }
  }
  out.push('</svg>');
  return { svg: out.join('\n'), width, height, axis, drawnSteps };
}
