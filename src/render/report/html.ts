import { recordTest, type AssertionResult, type RunReport } from '../../trace/report.js';
import type { Item } from '../../trace/item.js';
import { COUNT_NAMES } from '../../trace/count-names.js';
import { assertionLabel } from '../assertion-label.js';
import { escapeControlChars } from '../control-chars.js';
import { formatItem } from '../format-item.js';
import { formatTime } from '../format-time.js';
import { describeLinkLag } from '../lag-words.js';
import { showActual, showValue, verdictLine } from '../text.js';
import { reportData, packData } from './data.js';
import { escapeHtml } from './escape.js';
import { PAGE_JS } from './page-script.js';
import type { SpacetimeDrawing } from '../spacetime/spacetime.js';
import { REPORT_CSS } from './style.js';

/** What a report page is made of besides the run itself. */
export interface ReportParts {
  spacetime: SpacetimeDrawing;
  /** The Mermaid sequence diagram's source (sequenceDiagram(report)). */
  mermaid: string;
  /** base64 of the gzipped mermaid.min.js, or '' to leave the live render out. */
  mermaidBundle: string;
}

/**
 * The page allows no request at all: scripts and styles only inline, images only data: URLs. So
 * the report works from file://, and a report mailed around can never call home.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** Scenario text, safe in HTML: control characters escaped as every view does, then HTML-escaped. */
const h = (text: string): string => escapeHtml(escapeControlChars(text));

/** A run failed when an assertion failed (a run stopped at a limit has a failed `limit` assertion too). */
export function runFailed(report: RunReport): boolean {
  return report.stopped !== undefined || report.assertions.some((a) => !a.passed);
}

/**
 * One run as a self-contained HTML page (DESIGN: issue 16, part REPORT): the verdict first, the
 * assertions, the space-time drawing, a step slider over every region's items, the final items and
 * counts, and the Mermaid diagram for comparison. Same report and parts, same bytes.
 */
export function reportHtml(report: RunReport, parts: ReportParts): string {
  const failed = runFailed(report);
  const verdict = verdictLine(report);
  const steps = report.trace.length;
  const data = packData(reportData(report, parts.spacetime.axis));
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(report.scenario.name)}: ${failed ? 'FAILED' : 'PASSED'} · geosim report</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
  );
  out.push(header(report, verdict, failed));
  out.push(assertionsSection(report.assertions));
  out.push(spacetimeSection(parts.spacetime, steps));
  out.push(stepsSection(steps));
  out.push(finalSection(report));
  out.push(mermaidSection(parts));
  out.push(`<script type="application/octet-stream" id="rp-data">${data}</script>`);
  if (parts.mermaidBundle !== '') out.push(`<script type="application/octet-stream" id="rp-mermaid-bundle">${parts.mermaidBundle}</script>`);
  out.push(`<script>${PAGE_JS}</script>`, '</body>', '</html>', '');
  return out.join('\n');
}

function header(report: RunReport, verdict: string, failed: boolean): string {
  const facts: [string, string][] = [
    ['file', report.scenario.file],
    ['seed', String(report.seed)],
    ['mode', report.mode + (report.witness !== undefined ? ` (witness ${report.witness})` : '')],
    ['strategy', `${report.strategy}, idempotency ${report.idempotency}`],
    ['regions', report.regions.join(', ')],
    ['replication lag', report.lag.map(describeLinkLag).join('; ') || '–'],
    ['backend', report.backend],
    ['steps', `${report.trace.length} trace events, ended at ${formatTime(report.endedAt)}`],
  ];
  const stopped = report.stopped
    ? `<p class="rp-stopped">Stopped at a limit at ${h(formatTime(report.stopped.at))}: ${
        report.stopped.limit === 'horizon'
          ? `work still due after the horizon (--horizon ${h(formatTime(report.stopped.horizon))})`
          : report.stopped.limit === 'trace-events'
            ? `the trace passed ${report.stopped.maxTraceEvents} events (--max-trace-events)`
            : `${h(report.stopped.handler)} ran longer than ${h(String(report.stopped.syncLimit))}ms of wall-clock time without yielding (--sync-limit)`
      }</p>`
    : '';
  return [
    '<header>',
    `<h1>${h(report.scenario.name)}</h1>`,
    `<div class="rp-verdict ${failed ? 'rp-fail' : 'rp-pass'}" id="rp-verdict">${h(verdict)}</div>`,
    stopped,
    report.scenario.description ? `<p class="rp-description">${h(report.scenario.description)}</p>` : '',
    `<dl class="rp-facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${h(v)}</dd>`).join('')}</dl>`,
    '</header>',
  ].join('\n');
}

/** Passed assertions shown beside failed ones; more fold into a section of their own. */
const FOLD_PASSED = 8;

function assertionsSection(assertions: AssertionResult[]): string {
  if (assertions.length === 0) return '<section id="assertions"><h2>Assertions</h2><p>No assertions.</p></section>';
  // Failed first, each group in the report's order; a long list of passed ones folds away (printed open).
  const failed = assertions.filter((a) => !a.passed);
  const passed = assertions.filter((a) => a.passed);
  const fold = passed.length > FOLD_PASSED;
  const head = '<thead><tr><th></th><th>assertion</th><th>expected</th><th>actual</th><th>detail</th><th>at</th></tr></thead>';
  const row = (a: AssertionResult): string =>
    `<tr class="${a.passed ? 'rp-passed' : 'rp-failed'}"><td>${a.passed ? 'ok' : 'FAIL'}</td><td>${h(assertionLabel(a))}</td><td class="rp-json">${h(showValue(a.expected))}</td><td class="rp-json">${h(showActual(a))}</td><td>${h(a.detail ?? '')}</td><td>${a.at !== undefined ? h(formatTime(a.at)) : 'end'}</td></tr>`;
  const shown = fold ? failed : [...failed, ...passed];
  return [
    '<section id="assertions">',
    '<h2>Assertions</h2>',
    shown.length > 0 ? `<table class="rp-table" id="rp-assertions">${head}<tbody>\n${shown.map(row).join('\n')}\n</tbody></table>` : '',
    fold ? `<details class="rp-passed-list" id="rp-passed-assertions"><summary>${failed.length === 0 ? 'all ' : ''}${passed.length} assertions passed</summary><table class="rp-table">${head}<tbody>${passed.map(row).join('\n')}</tbody></table></details>` : '',
    '</section>',
  ].join('\n');
}

function spacetimeSection(drawing: SpacetimeDrawing, steps: number): string {
  // The SVG goes inline (so the page's script can move its cursor): any XML prolog is dropped.
  const svg = drawing.svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
  const note =
    drawing.drawnSteps < steps
      ? `<p class="rp-note">The drawing shows the first ${drawing.drawnSteps} of ${steps} steps (raise with --max-steps); the slider below covers every step.</p>`
      : '';
  return [
    '<section id="spacetime-section">',
    '<h2>Space-time</h2>',
    '<p class="rp-note rp-noprint">Time flows down; a line per region; a slanted arrow is a replicated write in flight. Click a mark to step to it; the dashed line is the current step.</p>',
    note,
    `<div class="rp-spacetime" id="rp-spacetime">${svg}</div>`,
    '</section>',
  ].join('\n');
}

function stepsSection(steps: number): string {
  return [
    '<section id="steps">',
    '<h2>Step through</h2>',
    '<div class="rp-controls">',
    '<button type="button" id="rp-prev" aria-label="previous step">◀ Prev</button>',
    `<input type="range" id="rp-slider" min="1" max="${Math.max(1, steps)}" value="1" step="1" aria-label="step"${steps === 0 ? ' disabled' : ''}>`,
    '<button type="button" id="rp-next" aria-label="next step">Next ▶</button>',
    '<button type="button" id="rp-play" aria-pressed="false">Play</button>',
    `<span id="rp-step-no">${steps === 0 ? 'no steps' : `step 1 of ${steps}`}</span>`,
    '</div>',
    '<p class="rp-note rp-noprint">Keys: ← → one step, Shift+← → ten, Home / End first and last.</p>',
    '<div class="rp-step" id="rp-step"><div class="rp-step-head"><span id="rp-step-label" class="rp-label"></span><span id="rp-step-time"></span><span id="rp-step-region"></span></div>',
    '<div id="rp-step-text"></div><div id="rp-step-change"></div></div>',
    '<div class="rp-regions" id="rp-regions"></div>',
    '</section>',
  ].join('\n');
}

/** Final data items listed per region, and idempotency records listed while no more than this. */
const FINAL_ITEMS = 2000;
const FINAL_RECORDS = 40;

function finalSection(report: RunReport): string {
  // With tables of its own (a scenario's `tables:`, a serve session's): every table under its name,
  // as the text view lists them (`final` holds the first one's only); records told apart without.
  const tables: [string | undefined, RunReport['final']][] = report.tables !== undefined ? Object.entries(report.tables) : [[undefined, report.final]];
  const isRecord = report.tables !== undefined ? () => false : recordTest(report);
  const sections = tables.map(([table, final]) => `${table !== undefined ? `<h3>${h(table)}</h3>` : ''}<div class="rp-regions">${finalRegions(report, final, isRecord).join('')}</div>`);
  const counts = COUNT_NAMES.filter((name) => report.counts[name] !== 0);
  const countRows = counts.map((name) => `<tr><td>${name}</td><td>${report.counts[name]}</td></tr>`).join('');
  return [
    '<section id="final">',
    '<h2>Final items</h2>',
    ...sections,
    '<h2>Counts</h2>',
    counts.length > 0 ? `<table class="rp-table rp-counts" id="rp-counts">${countRows}</table>` : '',
    `<p class="rp-note">${counts.length === 0 ? 'Every count is 0.' : 'Every other count is 0.'}</p>`,
    '</section>',
  ].join('\n');
}

/** One table's final items, a column per region. */
function finalRegions(report: RunReport, final: RunReport['final'], isRecord: (id: string) => boolean): string[] {
  return report.regions.map((region) => {
    const items = final[region] ?? {};
    // Every data item (up to a limit); the idempotency records listed while few, else counted (a long run has one per event).
    const all = Object.keys(items).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const data = all.filter((id) => !isRecord(id));
    const records = all.length - data.length;
    const ids = [...data.slice(0, FINAL_ITEMS), ...(records <= FINAL_RECORDS ? all.filter(isRecord) : [])];
    const notes = [
      data.length > FINAL_ITEMS ? `<p class="rp-note">… ${data.length - FINAL_ITEMS} more items not shown</p>` : '',
      records > FINAL_RECORDS ? `<p class="rp-note">${records} idempotency records</p>` : '',
    ].join('');
    // As the step panel shows them: the id, its value under it; a record is told by its id alone.
    const rows = ids.map((id) =>
      isRecord(id)
        ? `<tr class="rp-record"><td class="rp-item"><div class="rp-id">${h(id)}</div></td></tr>`
        : `<tr><td class="rp-item"><div class="rp-id">${h(id)}</div><div class="rp-value">${h(formatItem(items[id] as Item))}</div></td></tr>`,
    );
    return `<section class="rp-region"><h4>${h(region)}${all.length === 0 ? '  (empty)' : ''}</h4><table class="rp-items">${rows.join('')}</table>${notes}</section>`;
  });
}

function mermaidSection(parts: ReportParts): string {
  return [
    '<details class="rp-mermaid" id="rp-mermaid">',
    '<summary>Mermaid sequence diagram (for comparison)</summary>',
    parts.mermaidBundle === ''
      ? '<p class="rp-note">The live render was left out of this report (no Mermaid bundle); paste the source into a Mermaid viewer to draw it.</p>'
      : '<div id="rp-mermaid-live"></div>',
    // The source is Mermaid text geosim wrote (user strings already made safe there): its newlines stay.
    `<pre id="rp-mermaid-source">${escapeHtml(parts.mermaid)}</pre>`,
    '</details>',
  ].join('\n');
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** One line of the index of several reports. */
export interface IndexEntry {
  /** The report's file, relative to the index (`concurrent.html`). */
  href: string;
  report: RunReport;
}

/** The index of several reports: a table of scenario, verdict, failed assertions, counts and a link. */
export function indexHtml(entries: IndexEntry[]): string {
  const failed = entries.filter((e) => runFailed(e.report)).length;
  const rows = entries.map(({ href, report }) => {
    const bad = runFailed(report);
    const failures = report.assertions.filter((a) => !a.passed).map((a) => `<li>${h(assertionLabel(a))}</li>`);
    const counts = [plural(report.trace.length, 'step'), plural(report.counts.events, 'event'), plural(report.counts.conflicts, 'conflict'), plural(report.counts.discardedWrites, 'discarded write')].join(', ');
    return `<tr class="${bad ? 'rp-failed' : 'rp-passed'}"><td>${bad ? 'FAILED' : 'PASSED'}</td><td><a href="${h(encodeURI(href))}">${h(report.scenario.name)}</a></td><td>${h(verdictLine(report))}${report.stopped ? ' (stopped at a limit)' : ''}</td><td>${failures.length > 0 ? `<ul>${failures.join('')}</ul>` : ''}</td><td>${counts}</td></tr>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>geosim reports: ${entries.length - failed} passed, ${failed} failed</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>geosim reports</h1>',
    `<div class="rp-verdict ${failed > 0 ? 'rp-fail' : 'rp-pass'}">${entries.length - failed} passed, ${failed} failed</div>`,
    '<table class="rp-table" id="rp-index"><thead><tr><th></th><th>scenario</th><th>verdict</th><th>failed assertions</th><th>counts</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
