import type { PathProblem } from './problems.js';
import { durationMs, isBetween } from './schema.js';

/** A range's lo must not be above its hi (units resolved). */
export function rangeProblems(value: unknown, path: PathProblem['path']): PathProblem[] {
  if (!isBetween(value)) return [];
  const [lo, hi] = value.between.map(durationMs) as [number, number];
  if (Math.ceil(lo) <= Math.floor(hi)) return [];
  return [{ path: [...path, 'between'], code: 'bad-range', message: `the range's low end (${lo}ms) is above its high end (${hi}ms)`, hint: 'a range is { between: [lo, hi] } with lo ≤ hi' }];
}
