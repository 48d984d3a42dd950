import type { LagSpec } from '../scenario/model.js';
import type { LagSource } from '../sim/lag.js';

/** A link's key in recorded lags and in repro files' comments: "us-east-1→eu-west-1". */
export function linkKey(from: string, to: string): string {
  return `${from}→${to}`;
}

/** A LagSource that records every lag it gave, per link in send order, for a repro to pin. */
export interface LagRecorder {
  source: LagSource;
  /** Lags per link key, in send order (only links that carried writes). */
  lags(): Record<string, number[]>;
}

/**
 * Records the lags of a run: each write's lag comes from `inner` (explore's strategy) or, without
 * one, from the link's own seeded distribution, as a run without explore would draw it.
 */
export function recordingLagSource(inner?: LagSource): LagRecorder {
  const recorded = new Map<string, number[]>();
  const source: LagSource = {
    lag(from: string, to: string, n: number, spec: LagSpec, draw: () => number): number {
      const ms = inner ? inner.lag(from, to, n, spec, draw) : draw();
      const key = linkKey(from, to);
      let list = recorded.get(key);
      if (list === undefined) recorded.set(key, (list = []));
      list[n] = ms;
      return ms;
    },
  };
  return {
    source,
    lags: () => Object.fromEntries([...recorded].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
