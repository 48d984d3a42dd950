import { Chalk, type ChalkInstance } from 'chalk';
import type { Comparison } from '../compare/metrics.js';
import type { CellTone } from './compare-table.js';
import { renderComparison } from './compare-view.js';

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
  return renderComparison(comparison, { width: Math.max(60, options.columns), paint: (tone, text) => (text.trim() === '' || !tones[tone] ? text : tones[tone]!(text)) });
}
