import type { RunReport } from '../trace/report.js';
import { describeStep } from './describe.js';
import { formatItem, formatValue } from './format-item.js';
import { isIdempotencyRecordId } from '../app/item.js';

/**
 * The plain timeline: the same content as the terminal view without escape codes, for pipes, CI
 * logs and `--format text`. One line per trace event, then final items and assertions.
 */
export function renderText(report: RunReport): string {
  const out: string[] = [];
  out.push(`━━ ${report.scenario.name}  (${report.scenario.file})`);
  if (report.scenario.description) for (const line of wrap(report.scenario.description, 96)) out.push(`   ${line}`);
  out.push(
    `   regions ${report.regions.join(', ')} · ${report.mode.toUpperCase()} · strategy ${report.strategy} · idempotency ${report.idempotency} · seed ${report.seed} · backend ${report.backend}`,
  );
  out.push(`   lag ${report.lag.join(' · ')}`);
  out.push('');
  const laneWidth = Math.max(...report.regions.map((r) => r.length)) * 2 + 3;
  out.push(`   ${'time'.padStart(8)}  ${'where'.padEnd(laneWidth)}  step`);
  for (const e of report.trace) {
    const s = describeStep(e);
    const where = s.from ? `${s.from} → ${s.region}` : s.region;
    out.push(`   ${`${s.t}ms`.padStart(8)}  ${where.padEnd(laneWidth)}  ${s.label.padEnd(10)} ${s.text}`);
    if (s.change) {
      const indent = ' '.repeat(3 + 8 + 2 + laneWidth + 2 + 11);
      out.push(`${indent}before: ${s.change.before}`);
      out.push(`${indent}after:  ${s.change.after}`);
    }
  }
  out.push('', ...renderFinal(report), '', ...renderAssertions(report));
  return out.join('\n') + '\n';
}

function renderFinal(report: RunReport): string[] {
  const out = [`   final items (after replication drained at ${report.endedAt}ms)`];
  const ids = new Set<string>();
  for (const items of Object.values(report.final)) for (const id of Object.keys(items)) if (!isIdempotencyRecordId(id)) ids.add(id);
  const regionWidth = Math.max(...report.regions.map((r) => r.length));
  for (const id of [...ids].sort()) {
    const shown = report.regions.map((r) => formatItem(report.final[r]?.[id]));
    const diverged = shown.some((s) => s !== shown[0]);
    report.regions.forEach((region, i) => {
      const head = i === 0 ? `${id}${diverged ? ' (DIVERGED)' : ''}` : '';
      out.push(`     ${head.padEnd(22)} ${region.padEnd(regionWidth)}  ${shown[i]}`);
    });
  }
  const records = report.regions.map((r) => `${r} ${Object.keys(report.final[r] ?? {}).filter(isIdempotencyRecordId).length}`);
  out.push(`     idempotency records: ${records.join(', ')}`);
  return out;
}

function renderAssertions(report: RunReport): string[] {
  if (report.assertions.length === 0) return ['   no assertions'];
  const out = ['   assertions'];
  for (const a of report.assertions) {
    const when = a.at !== undefined ? ` at ${a.at}ms` : '';
    const verdict = a.passed ? 'ok  ' : 'FAIL';
    out.push(`     ${verdict} ${a.name}${when}: expected ${show(a.expected)}, got ${show(a.actual)}${a.detail ? ` (${a.detail})` : ''}`);
  }
  const failed = report.assertions.filter((a) => !a.passed).length;
  out.push(`   ${report.scenario.name}: ${failed === 0 ? 'PASSED' : 'FAILED'} (${report.assertions.length - failed}/${report.assertions.length} assertions)`);
  return out;
}

function show(v: unknown): string {
  if (v !== null && typeof v === 'object' && 'Id' in (v as object)) return formatItem(v as never);
  return formatValue(v as never);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split(/\n+/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}
