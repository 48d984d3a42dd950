import type { PathProblem } from './problems.js';
import { durationMs, isBetween, type ScenarioParsed } from './schema.js';

/** A range's lo must not be above its hi (units resolved). */
export function rangeProblems(value: unknown, path: PathProblem['path']): PathProblem[] {
  if (!isBetween(value)) return [];
  const [lo, hi] = value.between.map(durationMs) as [number, number];
  if (Math.ceil(lo) <= Math.floor(hi)) return [];
  if (lo <= hi) return [{ path: [...path, 'between'], code: 'bad-range', message: `the range from ${lo}ms to ${hi}ms holds no whole ms`, hint: 'a run draws whole ms from the range: widen it to take one' }];
  return [{ path: [...path, 'between'], code: 'bad-range', message: `the range's low end (${lo}ms) is above its high end (${hi}ms)`, hint: 'a range is { between: [lo, hi] } with lo ≤ hi' }];
}

/**
 * A lag the schema accepts but no link can have: a uniform lag whose min is above its max. Shared
 * by scenarios and `geosim serve --lag`, so serve refuses exactly what a scenario does.
 */
export function lagProblems(lag: NonNullable<ScenarioParsed['replication']['lag']>, path: PathProblem['path']): PathProblem[] {
  if (lag.distribution === 'uniform' && durationMs(lag.min) > durationMs(lag.max)) {
    return [{ path: [...path, 'min'], code: 'bad-range', message: `uniform lag: min (${durationMs(lag.min)}ms) is above max (${durationMs(lag.max)}ms)` }];
  }
  return [];
}
