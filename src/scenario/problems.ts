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
  const lines = [`${p.file}:${p.line}:${p.col} error[${p.code}] ${p.message}`];
  if (p.hint) lines.push(`  hint: ${p.hint}`);
  if (p.sourceLine !== undefined) {
    const gutter = String(p.line).padStart(4);
    const shown = p.sourceLine.replace(/\t/g, ' ');
    const width = Math.max(1, Math.min(p.length, Math.max(1, shown.length - (p.col - 1))));
    lines.push(`${gutter} | ${shown}`);
    lines.push(`${' '.repeat(gutter.length)} | ${' '.repeat(p.col - 1)}${'^'.repeat(width)}`);
  }
  return lines.join('\n') + '\n';
}
