import { assertionLabel } from '../render/assertion-label.js';
import { escapeControlChars } from '../render/control-chars.js';
import { formatTime } from '../render/format-time.js';
import { showValue } from '../render/text.js';
import type { AssertionResult, RunReport } from '../trace/report.js';

/** The first assertion of a run that failed, or undefined when every one passed. */
export function firstFailure(report: RunReport): AssertionResult | undefined {
  return report.assertions.find((a) => !a.passed);
}

/**
 * What makes two failures "the same" for explore and the shrinker: the first failed assertion's
 * source and name (a check step's name too, so two checks of `converged` stay apart), and for a
 * count or an effect whether the actual was above or below the expected (a duplicate effect and a
 * lost one are different bugs). Undefined when every assertion passed.
 */
export function failureSignature(report: RunReport): string | undefined {
  const a = firstFailure(report);
  if (a === undefined) return undefined;
  const name = a.source === 'check' ? `${a.check}: ${a.name}` : a.name;
  const direction = typeof a.actual === 'number' && typeof a.expected === 'number' && /^(count |effects of key )/.test(a.name) ? (a.actual > a.expected ? ' (above)' : ' (below)') : '';
  return `${a.source}: ${name}${direction}`;
}

/**
 * The failed assertion in the words `geosim run`'s text view uses: "effects of key charge-1:
 * expected 1, got 2".
 */
export function describeFailure(report: RunReport): string | undefined {
  const a = firstFailure(report);
  if (a === undefined) return undefined;
  const when = a.at !== undefined ? ` at ${formatTime(a.at)}` : '';
  return `${escapeControlChars(assertionLabel(a))}${when}: expected ${showValue(a.expected)}, got ${showValue(a.actual, true)}${a.detail ? ` (${escapeControlChars(a.detail)})` : ''}`;
}
