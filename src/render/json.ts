import { canonicalItem, type Item } from '../trace/item.js';
import type { TraceEvent } from '../trace/events.js';
import type { RunReport } from '../trace/report.js';
import { describeLinkLag } from './lag-words.js';

/** The JSON schema version of `geosim run --format json`; bump on an incompatible change. */
export const JSON_FORMAT_VERSION = 1;

/**
 * Machine output: one document for all scenarios run, each report as is, trace events with
 * `seq`, `t` and `kind` first and their items in the canonical order of `final` (`Id` first, then
 * by name), so the bytes depend on neither the backend nor the order it returns attributes in.
 * Deterministic bytes for a scenario and seed. For tests and small runs; the CLI writes `jsonChunks`.
 */
/** A scenario file `geosim run` did not run: why (one line), and an invalid file's problems. */
export interface NotRun {
  file: string;
  why: string;
  problems?: { line: number; col: number; code: string; message: string }[];
}

export function renderJson(reports: RunReport[], summary: { passed: number; failed: number }): string {
  return [...jsonChunks(reports, summary)].join('');
}

/**
 * The document of `renderJson` in pieces, one per trace event: the same bytes as
 * `JSON.stringify(doc, null, 2)` without ever holding the whole document, which for a long trace of
 * large items exceeds what one string can hold.
 */
export function* jsonChunks(reports: RunReport[], summary: { passed: number; failed: number; notRun?: readonly NotRun[] }): Generator<string> {
  yield `{\n  "geosim": ${JSON_FORMAT_VERSION},\n  "passed": ${summary.passed},\n  "failed": ${summary.failed},\n`;
  // only when a file was not run: every other document keeps its bytes
  if (summary.notRun !== undefined && summary.notRun.length > 0) yield `  "notRun": ${indented(summary.notRun, 2)},\n`;
  yield '  "scenarios": ';
  if (reports.length === 0) {
    yield '[]\n}\n';
    return;
  }
  yield '[\n';
  for (const [i, report] of reports.entries()) {
    // The lag is worded here, in its place among the fields: the JSON contract holds its words.
    const scenario: Record<string, unknown> = { ...report, lag: report.lag.map(describeLinkLag), passed: report.assertions.every((a) => a.passed) };
    const fields = Object.entries(scenario).filter(([, v]) => v !== undefined);
    yield '    {\n';
    for (const [j, [key, value]] of fields.entries()) {
      const end = j < fields.length - 1 ? ',\n' : '\n';
      if (key !== 'trace') {
        yield `      ${JSON.stringify(key)}: ${indented(value, 6)}${end}`;
        continue;
      }
      if (report.trace.length === 0) {
        yield `      "trace": []${end}`;
        continue;
      }
      yield '      "trace": [\n';
      for (const [k, event] of report.trace.entries()) {
        yield `        ${indented(jsonEvent(event), 8)}${k < report.trace.length - 1 ? ',\n' : '\n'}`;
      }
      yield `      ]${end}`;
    }
    yield i < reports.length - 1 ? '    },\n' : '    }\n';
  }
  yield '  ]\n}\n';
}

/** `JSON.stringify(value, null, 2)` as it reads nested `depth` spaces deep (JSON strings hold no raw newline). */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${' '.repeat(depth)}`);
}

/** The trace event fields that hold an item (`Item | null`). */
const ITEM_FIELDS = ['before', 'after', 'current', 'incoming', 'kept', 'winner', 'loser', 'item'] as const;

/** A trace event as the JSON shows it: `seq`, `t`, `kind` first; items in canonical order. */
function jsonEvent({ seq, t, kind, ...rest }: TraceEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { seq, t, kind, ...rest };
  for (const field of ITEM_FIELDS) {
    const item = out[field];
    if (item !== null && typeof item === 'object') out[field] = canonicalItem(item as Item);
  }
  return out;
}
