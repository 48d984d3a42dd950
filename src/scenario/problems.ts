import { printable } from './printable.js';

/**
 * A problem found in a scenario file, located precisely enough for an editor to jump to it.
 * The loader returns every problem it finds; the CLI prints them and exits 2.
 */
export interface ScenarioProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Characters to underline from col (at least 1). */
  length: number;
  /** Short stable code, e.g. unknown-key, wrong-type, missing-key, yaml-syntax. */
  code: string;
  message: string;
  /** How to fix it, or the valid values. */
  hint?: string;
  /** The offending source line, for the caret display. */
  sourceLine?: string;
}

// The helpers of the loader (schema keys, semantic checks, partial checks) report these; they live
// here rather than in load.ts, which imports those helpers.
/** Path into the parsed document, as zod reports it. */
export type DocPath = readonly PropertyKey[];

/** A problem before it is located in the file. */
export interface PathProblem {
  path: DocPath;
  code: string;
  message: string;
  hint?: string | undefined;
  /** Point at the key of the last path element rather than its value. */
  atKey?: boolean;
  /** For missing-key problems: the key that is missing. */
  missingKey?: string;
  /**
   * For unknown-key problems: the hint ends with a "did you mean" for the path's last key among
   * these, computed only if the problem is among those shown (an edit distance per candidate).
   */
  suggestFrom?: readonly string[];
}

/**
 * Formats problems the way compilers do:
 *
 * ```
 * scenarios/bad.yaml:7:3 error[unknown-key] unknown key "lagg" in replication
 *   hint: expected one of lag, links, coalesce, tieBreak
 *    7 |   lagg: 300
 *      |   ^^^^
 * ```
 */
export function formatProblems(problems: ScenarioProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

function formatProblem(p: ScenarioProblem): string {
  const lines = [`${printable(p.file)}:${p.line}:${p.col} error[${p.code}] ${printable(p.message)}`];
  if (p.hint) lines.push(`  hint: ${printable(p.hint)}`);
  if (p.sourceLine !== undefined) {
    const gutter = String(p.line).padStart(4);
    const { text, caretAt, caretWidth } = excerpt(p.sourceLine, p.col, p.length);
    lines.push(`${gutter} | ${text}`);
    lines.push(`${' '.repeat(gutter.length)} | ${' '.repeat(caretAt)}${'^'.repeat(caretWidth)}`);
  }
  return lines.join('\n') + '\n';
}

/** Characters of a source line shown before and after the underlined part, at most. */
const EXCERPT_BEFORE = 60;
const EXCERPT_MARK = 60;
const EXCERPT_AFTER = 40;

/**
 * The source line as printed under a problem: control characters escaped (a file must not drive
 * the terminal), a long line cut to a window around the column, and where the caret goes in it.
 */
function excerpt(sourceLine: string, col: number, length: number): { text: string; caretAt: number; caretWidth: number } {
  const line = sourceLine.replace(/\t/g, ' ');
  const start = Math.min(col - 1, line.length);
  const end = Math.min(line.length, start + Math.max(1, length));
  let before = printable(line.slice(0, start));
  let mark = printable(line.slice(start, end));
  let after = printable(line.slice(end));
  if (before.length > EXCERPT_BEFORE) before = '…' + before.slice(before.length - EXCERPT_BEFORE + 1);
  if (mark.length > EXCERPT_MARK) mark = mark.slice(0, EXCERPT_MARK - 1) + '…';
  if (after.length > EXCERPT_AFTER) after = after.slice(0, EXCERPT_AFTER - 1) + '…';
  // A problem just past the end of the line (a missing bracket) keeps its caret there.
  const pastEnd = Math.max(0, col - 1 - line.length);
  return { text: before + mark + after, caretAt: before.length + pastEnd, caretWidth: Math.max(1, mark.length) };
}
