import { Chalk, type ChalkInstance } from 'chalk';
import type { Comparison } from '../compare/metrics.js';
import { wrapHanging, type CellTone } from './compare-table.js';
import { renderComparison } from './compare-view.js';

/**
 * The narrowest terminal the view is laid out for (a narrower one gets the view of this width).
 * From here up no line is wider than the terminal: a table too wide for it lists each combination
 * on its own.
 */
export const MIN_WIDTH = 30;

/**
 * The terminal view of `geosim compare`: the plain table at the terminal's width, with colour.
 * The CLI picks it only for a TTY without NO_COLOR; `colorLevel` 0 still lays it out, uncoloured.
 */
export function renderComparisonPretty(comparison: Comparison, options: { columns: number; colorLevel: 0 | 1 | 2 | 3 }): string {
  const chalk = new Chalk({ level: options.colorLevel });
  const tones: Record<CellTone, ChalkInstance | undefined> = {
    plain: undefined,
    head: chalk.bold,
    good: chalk.green,
    bad: chalk.redBright.bold,
    warn: chalk.yellow,
    dim: chalk.gray,
  };
  // Lines end where the text does (the layout trims them); colour codes never count as width.
  return renderComparison(comparison, { width: Math.max(MIN_WIDTH, options.columns), paint: (tone, text) => (text.trim() === '' || !tones[tone] ? text : tones[tone]!(text)) });
}

/** Lines of the CLI's own beside the view (its closing count), wrapped at the same width. */
export function wrapForTerminal(text: string, columns: number): string {
  const width = Math.max(MIN_WIDTH, columns);
  return text
    .split('\n')
    .map((line) => wrapHanging(line, width, width).join('\n'))
    .join('\n');
}
