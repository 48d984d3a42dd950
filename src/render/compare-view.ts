import type { CombinationMetrics, Comparison } from '../compare/metrics.js';
import { isIdempotencyRecordId, type Item } from '../trace/item.js';
import { limitFlag } from '../trace/report.js';
import { escapeControlChars } from './control-chars.js';
import { formatItem } from './format-item.js';
import { formatTime } from './format-time.js';
import { renderTable, wrapHanging, type CellTone, type TableCell, type TableRow } from './compare-table.js';
import { wrapWords } from './text.js';

/** The width of the plain view (a pipe has none of its own): readable in a 100-column log. */
export const TEXT_WIDTH = 100;

/**
 * `geosim compare`'s table in words: a title, then one column per combination (mode, strategy)
 * and a row per measure, then which assertions failed where. The plain view passes no `paint`;
 * the terminal view paints tones and gives the terminal's width.
 */
export function renderComparison(comparison: Comparison, options: { width?: number; paint?: (tone: CellTone, text: string) => string } = {}): string {
  const width = options.width ?? TEXT_WIDTH;
  const paint = options.paint ?? ((_tone: CellTone, text: string) => text);
  const safe = escapeControlChars;
  const { combinations } = comparison;
  const out: string[] = [];
  // a long name, path or list of regions wraps, under the title's text
  const [title, ...more] = wrapHanging(`━━ compare ${safe(comparison.scenario.name)}  (${safe(comparison.scenario.file)})`, width, width - 3);
  out.push(paint('head', title!), ...more.map((line) => `   ${paint('head', line)}`));
  const about = `seed ${comparison.seed} · regions ${comparison.regions.map(safe).join(', ')}${comparison.witness !== undefined ? ` + witness ${safe(comparison.witness)}` : ''} · ${combinations.length} combination${combinations.length === 1 ? '' : 's'}`;
  for (const line of wrapHanging(about, width - 3, width - 3)) out.push(`   ${line}`);
  out.push('');
  const headers: TableCell[][] = combinations.map((c) => [{ text: safe(c.mode), tone: 'head' }, { text: safe(c.strategy), tone: 'head' }]);
  out.push(...renderTable(headers, [...finalRows(comparison), ...measureRows(combinations)], { width, paint }));
  out.push('');
  for (const line of wrapWords(LEGEND, width - 3)) out.push(paint('dim', `   ${line}`));
  const failed = combinations.filter((c) => !c.passed);
  if (failed.length > 0) {
    out.push('');
    for (const c of failed) {
      const what = c.stopped ? `stopped at its ${limitFlag(c.stopped)} limit` : `failed ${c.assertions.failed.map(safe).join('; ')}`;
      const lines = wrapWords(`${safe(c.mode)} · ${safe(c.strategy)}: ${what}`, width - 5);
      lines.forEach((line, i) => out.push(paint(i === 0 ? 'bad' : 'plain', `${i === 0 ? '   ✘ ' : '     '}${line}`)));
    }
  }
  return `${out.join('\n')}\n`;
}

const LEGEND =
  'items without their client Timestamp; = as the region above · lost writes: writes a conflict resolution dropped (none where a merge keeps the loser in its version vector, even if a value it wrote was overwritten) · ' +
  'retries: SDK + the application’s conditional writes tried again + Lambda · write units: 1 per KB written (2 in a transaction) + 1 per KB per replica · latency: event to outcome';

/** The final data items: a row per item and region, or one row for every region when all hold the same in every column. */
function finalRows(comparison: Comparison): TableRow[] {
  const { combinations, regions } = comparison;
  const ids = new Set<string>();
  for (const c of combinations) for (const items of Object.values(c.final)) for (const id of Object.keys(items)) if (!isIdempotencyRecordId(id)) ids.add(id);
  const rows: TableRow[] = [{ label: 'final items', heading: true, cells: combinations.map(() => ({ text: '' })) }];
  if (ids.size === 0) rows.push({ label: '  (none)', cells: combinations.map(() => ({ text: '' })) });
  for (const id of [...ids].sort()) {
    const shown = combinations.map((c) => regions.map((r) => compactItem(Object.hasOwn(c.final[r] ?? {}, id) ? c.final[r]![id] : undefined)));
    const converged = shown.map((perRegion) => perRegion.every((s) => s === perRegion[0]));
    rows.push({ label: `  ${escapeControlChars(id)}`, cells: combinations.map(() => ({ text: '' })) });
    if (converged.every(Boolean)) {
      rows.push({ label: '    every region', cells: shown.map((perRegion) => ({ text: perRegion[0]! })) });
      continue;
    }
    regions.forEach((region, k) => {
      rows.push({
        label: `    ${escapeControlChars(region)}`,
        cells: shown.map((perRegion, i) => (k > 0 && perRegion[k] === perRegion[k - 1] ? { text: '=', tone: 'dim' } : { text: perRegion[k]!, tone: converged[i] ? 'plain' : 'warn' })),
      });
    });
  }
  return rows;
}

/** An item on one line without the client Timestamp (the same across strategies, noise in a comparison). */
export function compactItem(item: Item | undefined): string {
  if (item === undefined) return '(absent)';
  const { Timestamp: _ts, ...rest } = item;
  return formatItem(rest as Item);
}

function measureRows(combinations: CombinationMetrics[]): TableRow[] {
  const row = (label: string, cell: (c: CombinationMetrics) => TableCell): TableRow => ({ label, cells: combinations.map(cell) });
  const ms = (v: number | null): TableCell => ({ text: v === null ? '–' : formatTime(v) });
  return [
    row('events', (c) => {
      const o = c.outcomes;
      const parts: Array<[string, number]> = [['applied', o.applied], ['superseded', o.superseded], ['duplicate', o.duplicates], ['failed', o.failed], ['dead-lettered', o.deadLettered], ['lost', o.lost], ['rejected', o.rejected]];
      // an event that did not take effect is what a strategy or a mode costs: a newer write won, a region refused it
      // (a refused send warns: the client was told, and may have failed over)
      return { text: withParts(o.events, parts), tone: o.failed + o.lost + o.deadLettered > 0 ? 'bad' : o.superseded + o.rejected > 0 ? 'warn' : 'good' };
    }),
    row('lost writes', (c) => ({ text: String(c.lostWrites), tone: c.lostWrites > 0 ? 'warn' : 'good' })),
    row('conflicts', (c) => ({ text: withParts(c.conflicts.resolved, [['merged', c.conflicts.merged], ['refused', c.conflicts.refused]]) })),
    row('retries', (c) => ({ text: withParts(c.retries.total, [['sdk', c.retries.sdk], ['conditional', c.retries.version], ['lambda', c.retries.lambda]]) })),
    row('write units', (c) => ({ text: `${c.writeUnits.total} (${c.writeUnits.local} + ${c.writeUnits.replicated} repl)` })),
    row('latency p50', (c) => ms(c.latencyMs.p50)),
    row('        p95', (c) => ms(c.latencyMs.p95)),
    row('        p99', (c) => ms(c.latencyMs.p99)),
    row('        max', (c) => ms(c.latencyMs.max)),
    row('assertions', (c) => (c.passed ? { text: `${c.assertions.passed}/${c.assertions.total} passed`, tone: 'good' } : { text: c.stopped ? 'stopped' : `${c.assertions.passed}/${c.assertions.total} FAILED`, tone: 'bad' })),
  ];
}

/** `5 (sdk 2, conditional 3)`: a total and its non-zero parts. */
function withParts(total: number, parts: Array<[string, number]>): string {
  const shown = parts.filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`);
  return shown.length > 0 ? `${total} (${shown.join(', ')})` : String(total);
}
