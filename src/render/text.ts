import { recordTest, type RunReport } from '../trace/report.js';
import { stepViewOrKind, notationLegend } from './step-view.js';
import { FLIGHT_LANE, laneCells, shortRegionNames } from './lanes.js';
import { formatItem, formatValue } from './format-item.js';
import { finalItemsWhen, formatTime } from './format-time.js';
import { describeLinkLag } from './lag-words.js';
import { escapeControlChars } from './control-chars.js';
import { assertionLabel } from './assertion-label.js';
import { breakWord, CODE_UNITS, type Measure } from './wrap.js';

/**
 * The plain timeline: the same content as the terminal view without escape codes, for pipes, CI
 * logs and `--format text`. One line per trace event, then final items and assertions.
 */
export function renderText(report: RunReport): string {
  const safe = escapeControlChars;
  // Arrays concatenated, never spread into push: a long trace has more lines than a call takes arguments.
  const head: string[] = [];
  head.push(`━━ ${safe(report.scenario.name)}  (${safe(report.scenario.file)})`);
  if (report.scenario.description) for (const line of wrapWords(safe(report.scenario.description), 96)) head.push(`   ${line}`);
  head.push(
    safe(`   regions ${report.regions.join(', ')}${report.witness !== undefined ? ` + witness ${report.witness}` : ''} · ${report.mode.toUpperCase()} · strategy ${report.strategy} · idempotency ${report.idempotency} · seed ${report.seed} · backend ${report.backend}`),
  );
  head.push(safe(`   lag ${report.lag.map(describeLinkLag).join(' · ')}`));
  if (report.drawn) head.push(safe(`   drawn: ${Object.entries(report.drawn).map(([label, v]) => `${label}=${typeof v === 'number' ? formatTime(v) : v}`).join(', ')}`));
  head.push(`   ${notationLegend(report.regions)}`);
  head.push('');
  return head.concat(renderLanes(report), [''], renderFinal(report), [''], renderAssertions(report)).join('\n') + '\n';
}

/**
 * The timeline as a lane grid, like the terminal view: a lane per region and one for replication
 * in flight hold each step's label; the full wording follows, untruncated, since logs can be wide.
 */
function renderLanes(report: RunReport): string[] {
  const short = shortRegionNames(report.regions);
  const steps = report.trace.map(stepViewOrKind);
  const cells = steps.map((s) => laneCells(s, report.regions, short));
  const regions = report.regions.map(escapeControlChars);
  const times = steps.map((s) => formatTime(s.t));
  // Widths by a loop: Math.max(...array) overflows the stack on a long trace.
  let lane = longest(regions);
  let flight = FLIGHT_LANE.length;
  for (const c of cells) {
    lane = Math.max(lane, longest(c.regions));
    flight = Math.max(flight, c.flight.length);
  }
  const time = Math.max(6, longest(times));
  const row = (at: string, lanes: string[], inFlight: string, text: string): string =>
    `${at.padStart(time + 2)} │ ${lanes.map((l) => l.padEnd(lane)).join(' │ ')} │ ${inFlight.padEnd(flight)} │ ${text}`.trimEnd();
  const empty = report.regions.map(() => '');
  const out = [row('time', regions, FLIGHT_LANE, 'step')];
  steps.forEach((s, i) => {
    out.push(row(times[i]!, cells[i]!.regions, cells[i]!.flight, s.text));
    if (s.change) {
      out.push(row('', empty, '', `  before ${s.change.before}`));
      out.push(row('', empty, '', `  after  ${s.change.after}`));
    }
  });
  return out;
}

function renderFinal(report: RunReport): string[] {
  // A scenario with its own tables (report.tables): one section per table, items by key string.
  if (report.tables !== undefined) {
    return Object.entries(report.tables).flatMap(([table, final]) => renderFinalItems(report, final, `   final items of ${escapeControlChars(table)} (${finalItemsWhen(report)})`, false));
  }
  return renderFinalItems(report, report.final, `   final items (${finalItemsWhen(report)})`, true);
}

function renderFinalItems(report: RunReport, final: RunReport['final'], title: string, records: boolean): string[] {
  const out = [title];
  const ids = new Set<string>();
  const isRecord = recordTest(report);
  for (const items of Object.values(final)) for (const id of Object.keys(items)) if (!records || !isRecord(id)) ids.add(id);
  const regions = report.regions.map(escapeControlChars);
  const regionWidth = longest(regions);
  for (const id of [...ids].sort()) {
    const shown = report.regions.map((r) => formatItem(final[r]?.[id]));
    const diverged = shown.some((s) => s !== shown[0]);
    regions.forEach((region, i) => {
      const head = i === 0 ? `${escapeControlChars(id)}${diverged ? ' (DIVERGED)' : ''}` : '';
      out.push(`     ${head.padEnd(22)} ${region.padEnd(regionWidth)}  ${shown[i]}`);
    });
  }
  if (!records) return out;
  const counts = report.regions.map((r, i) => `${regions[i]} ${Object.keys(final[r] ?? {}).filter(isRecord).length}`);
  out.push(`     idempotency records: ${counts.join(', ')}`);
  return out;
}

function renderAssertions(report: RunReport): string[] {
  // What `sometimes` reached is no verdict: shown before the closing line, never as a failure.
  const sometimes = (report.sometimes ?? []).map((s) => `   sometimes: ${escapeControlChars(s.name)}: ${s.hit ? 'hit' : 'not hit'} in this run`);
  if (report.assertions.length === 0) return ['   no assertions', ...sometimes];
  const out = ['   assertions'];
  for (const a of report.assertions) {
    const when = a.at !== undefined ? ` at ${formatTime(a.at)}` : '';
    const verdict = a.passed ? 'ok  ' : 'FAIL';
    // A failed check shows the whole actual item, attribute by attribute, so the mismatch is visible.
    out.push(`     ${verdict} ${escapeControlChars(assertionLabel(a))}${when}: expected ${showValue(a.expected)}, got ${showActual(a)}${a.detail ? ` (${escapeControlChars(a.detail)})` : ''}`);
  }
  out.push(...sometimes);
  out.push(`   ${escapeControlChars(report.scenario.name)}: ${verdictLine(report)}`);
  return out;
}

/** An assertion's expected or actual value on one line: items in their short form unless `full`. */
export function showValue(v: unknown, full = false): string {
  if (v !== null && typeof v === 'object' && 'Id' in (v as object)) {
    if (!full) return formatItem(v as never);
    const { Id: _id, ...attributes } = v as Record<string, never>;
    return formatValue(attributes);
  }
  return formatValue(v as never);
}

/**
 * An assertion's actual value as the views show it: in full when it failed, or when what was
 * expected names an attribute the short form leaves out (`IdempotencyKey`), so `expected
 * {IdempotencyKey: o1}` is never answered by an empty-looking `got {}`.
 */
export function showActual(a: { actual: unknown; expected: unknown; passed: boolean }, full = !a.passed): string {
  const namesHidden = a.expected !== null && typeof a.expected === 'object' && Object.hasOwn(a.expected, 'IdempotencyKey');
  return showValue(a.actual, full || namesHidden);
}

/** "PASSED (5 assertions)" or "FAILED: 2 of 5 assertions failed". */
export function verdictLine(report: RunReport): string {
  const total = report.assertions.length;
  const failed = report.assertions.filter((a) => !a.passed).length;
  return failed === 0 ? `PASSED (${total} assertion${total === 1 ? '' : 's'})` : `FAILED: ${failed} of ${total} assertions failed`;
}

/** The length of the longest string, 0 for none. */
function longest(texts: string[]): number {
  let n = 0;
  for (const t of texts) n = Math.max(n, t.length);
  return n;
}

/**
 * Splits prose into lines of at most `width` characters at spaces; a longer word is broken, not cut
 * (wrap.ts). `measure` counts characters (code units) unless a view measures in terminal columns.
 */
export function wrapWords(text: string, width: number, measure: Measure = CODE_UNITS): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\n+/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && measure.width(line) + measure.width(word) + 1 > width) {
        lines.push(line);
        line = '';
      }
      if (line) {
        line = `${line} ${word}`;
        continue;
      }
      // a word wider than the line is broken, not cut: a view that truncates lines would drop its rest
      const pieces = breakWord(word, width, measure);
      lines.push(...pieces.slice(0, -1));
      line = pieces[pieces.length - 1]!;
    }
    if (line) lines.push(line);
  }
  return lines;
}
