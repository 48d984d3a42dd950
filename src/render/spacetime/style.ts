import { num } from './svg.js';
import { shapeSvg } from './shapes.js';

/**
 * The diagram's one `<style>` and its `<defs>` (arrow heads, the hatching of fault windows).
 * Every class and id starts with `st-`, so the SVG can be inlined in a page without clashing.
 * Nothing relies on colour alone: a discarded write is dashed and crossed, a held stretch dotted,
 * a pause hatched one way and an outage both ways, a conflict a diamond.
 */
export const STYLE = `<style>
.geosim-spacetime{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;font-size:11px;fill:#222}
.st-title{font-size:15px;font-weight:600}
.st-sub,.st-note{fill:#555}
.st-note{font-weight:600;fill:#8a4b00}
.st-region-name{font-size:13px;font-weight:600;text-anchor:middle}
.st-line{stroke:#333;stroke-width:1.5}
.st-tick{fill:#666;font-size:10px;text-anchor:end}
.st-grid{stroke:#eee;stroke-width:1}
.st-break{fill:#f4f4f4}
.st-zigzag{stroke:#333;stroke-width:1.5;fill:none}
.st-break-text{fill:#555;font-style:italic;font-size:10px}
.st-label{font-size:11px}
.st-write .st-dot{fill:#1f4e9c;stroke:#fff;stroke-width:1}
.st-write.st-aux .st-dot{fill:#fff;stroke:#8c96a3;stroke-width:1}
.st-replication path{fill:none;stroke:#1f4e9c;stroke-width:1.4}
.st-replication.st-aux path{stroke:#c3cad4;stroke-width:1}
.st-replication.st-discarded path{stroke:#b7322a;stroke-dasharray:6 4}
.st-replication.st-inflight path{stroke-dasharray:3 3;stroke:#777}
.st-conflict .st-shape{fill:#f0a030;stroke:#7a3e00;stroke-width:1}
.st-coalesced path{stroke:#1f4e9c;stroke-width:1;stroke-dasharray:1.5 2.5}
.st-coalesced circle{fill:#fff;stroke:#1f4e9c;stroke-width:1.2}
.st-fault-band{stroke:none}
.st-fault-pause .st-fault-band{fill:#f0a030;fill-opacity:.16}
.st-fault-outage .st-fault-band{fill:#c0392b;fill-opacity:.13}
.st-fault-label{font-size:10px;fill:#7a3e00}
.st-fault-outage .st-fault-label{fill:#8e241b}
.st-effective{stroke:#7a3e00;stroke-width:1;stroke-dasharray:4 2}
.st-event .st-shape{fill:#555;stroke:#555}
.st-event.st-retry .st-shape{fill:none;stroke:#555}
.st-event .st-hollow{fill:#fff}
.st-event.st-rejected .st-shape,.st-event.st-refused .st-shape{stroke:#b7322a;stroke-width:1.6}
.st-read .st-shape{fill:#fff;stroke:#1e8449;stroke-width:1.3}
.st-read.st-read-none .st-shape{stroke-dasharray:2 1.5}
.st-lambda .st-shape{fill:#b7322a;stroke:#b7322a;stroke-width:1.6}
.st-lambda.st-retry .st-shape{fill:none}
.st-cold .st-shape{fill:#2a6fb7;stroke:#2a6fb7}
.st-fault .st-shape{fill:#f0a030;stroke:#7a3e00}
.st-check.st-pass .st-shape{stroke:#1e8449;stroke-width:1.8;fill:none}
.st-check.st-fail .st-shape{stroke:#b7322a;stroke-width:1.8;fill:none}
.st-legend-box{fill:#fafafa;stroke:#ddd}
.st-replication path.st-held-part{stroke-dasharray:2 3}
.st-replication path.st-cross,path.st-cross{stroke:#b7322a;stroke-width:2.4;stroke-dasharray:none}
.st-replication path.st-conflict-mark{fill:#f0a030;stroke:#7a3e00;stroke-width:1;stroke-dasharray:none}
</style>`;

export const DEFS = `<defs>
<marker id="st-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#1f4e9c"/></marker>
<marker id="st-head-aux" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#c3cad4"/></marker>
<pattern id="st-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#7a3e00" stroke-opacity=".35" stroke-width="1.5"/></pattern>
<pattern id="st-hatch-x" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path d="M0,0V6M0,0H6" stroke="#8e241b" stroke-opacity=".35" stroke-width="1.5"/></pattern>
</defs>`;

/** Legend rows: a sample drawn as the diagram draws it, its words, and the class that shows it is used (none: always shown). */
const LEGEND: { sample: (x: number, y: number) => string; text: string; shows?: RegExp }[] = [
  { sample: (x, y) => `<g class="st-write">${shapeSvg('dot', x + 14, y)}</g>`, text: 'write (item and value; hover for all)' },
  { sample: (x, y) => `<g class="st-replication"><path d="M${num(x)},${num(y - 6)}L${num(x + 28)},${num(y + 6)}" marker-end="url(#st-head)"/></g>`, text: 'replicated write, sent → applied (slope = lag)' },
  { sample: (x, y) => `<g class="st-replication st-discarded"><path d="M${num(x)},${num(y - 6)}L${num(x + 26)},${num(y + 5)}"/>${cross(x + 26, y + 5)}</g>`, text: 'replicated write discarded (last writer wins)', shows: /class="st-replication st-discarded/ },
  { sample: (x, y) => `<g class="st-conflict">${shapeSvg('diamond', x + 14, y)}</g>`, text: 'conflict: a concurrent write overwritten, or merged', shows: /st-conflict/ },
  { sample: (x, y) => `<g class="st-replication"><path class="st-held-part" d="M${num(x + 14)},${num(y - 7)}V${num(y + 7)}"/></g>`, text: 'held at a paused link (dotted)', shows: /st-held-part/ },
  { sample: (x, y) => `<g class="st-replication st-coalesced"><circle cx="${num(x + 14)}" cy="${num(y)}" r="3"/></g>`, text: 'later write merged into one in flight (coalesced)', shows: /st-coalesced/ },
  { sample: (x, y) => `<g class="st-fault-pause"><rect class="st-fault-band" x="${num(x + 4)}" y="${num(y - 7)}" width="20" height="14"/><rect x="${num(x + 4)}" y="${num(y - 7)}" width="20" height="14" fill="url(#st-hatch)"/></g>`, text: 'replication paused', shows: /st-fault st-fault-pause/ },
  { sample: (x, y) => `<g class="st-fault-outage"><rect class="st-fault-band" x="${num(x + 4)}" y="${num(y - 7)}" width="20" height="14"/><rect x="${num(x + 4)}" y="${num(y - 7)}" width="20" height="14" fill="url(#st-hatch-x)"/></g>`, text: 'region outage', shows: /st-fault st-fault-outage/ },
  { sample: (x, y) => `<g class="st-fault">${shapeSvg('bar', x + 14, y)}</g>`, text: 'fault starts or ends (a Lambda failure, a clock skew) ▮', shows: /class="st-fault( st-clock)?"/ },
  { sample: (x, y) => `<g class="st-event">${shapeSvg('triangle', x + 8, y)}</g><g class="st-event">${shapeSvg('square', x + 20, y)}</g>`, text: 'client event ▸, processed ■ (hollow: duplicate, failed)', shows: /class="st-event/ },
  { sample: (x, y) => `<g class="st-event st-refused">${shapeSvg('x', x + 8, y)}</g><g class="st-read">${shapeSvg('diamond', x + 20, y)}</g>`, text: 'refused / rejected ×, read ◇ (dashed: found nothing)', shows: /st-refused|st-rejected|class="st-read/ },
  { sample: (x, y) => `<g class="st-lambda st-failed">${shapeSvg('x', x + 6, y)}</g><g class="st-lambda st-retry">${shapeSvg('ring', x + 15, y)}</g><g class="st-lambda st-dlq">${shapeSvg('bar', x + 24, y)}</g>`, text: 'Lambda failed ×, retry ○, given up ▮ (DLQ or dropped)', shows: /class="st-lambda/ },
  { sample: (x, y) => `<g class="st-cold">${shapeSvg('bar', x + 14, y)}</g>`, text: 'cold start: a new execution environment', shows: /class="st-cold/ },
  { sample: (x, y) => `<g class="st-event st-check st-pass">${shapeSvg('check', x + 14, y)}</g>`, text: 'check passed (✗ failed)', shows: /st-check/ },
];

export const LEGEND_ROW = 18;

/** The legend of what `body` (the drawing) uses, in `columns` columns of `colWidth` px from (x, y); returns its SVG and height. */
export function legend(x: number, y: number, columns: number, colWidth: number, body: string): { svg: string; height: number } {
  const entries = LEGEND.filter((entry) => !entry.shows || entry.shows.test(body));
  const rows = Math.ceil(entries.length / columns);
  const height = rows * LEGEND_ROW + 16;
  let svg = `<g class="st-legend"><rect class="st-legend-box" x="${num(x)}" y="${num(y)}" width="${num(columns * colWidth + 8)}" height="${num(height)}" rx="4"/>`;
  entries.forEach((entry, i) => {
    const cx = x + 8 + Math.floor(i / rows) * colWidth;
    const cy = y + 16 + (i % rows) * LEGEND_ROW;
    svg += `${entry.sample(cx, cy)}<text x="${num(cx + 36)}" y="${num(cy + 4)}">${entry.text}</text>`;
  });
  return { svg: `${svg}</g>`, height };
}

/** The cross that ends a discarded write's arrow. */
export function cross(x: number, y: number): string {
  const d = 5;
  return `<path class="st-cross" d="M${num(x - d)},${num(y - d)}L${num(x + d)},${num(y + d)}M${num(x - d)},${num(y + d)}L${num(x + d)},${num(y - d)}"/>`;
}
