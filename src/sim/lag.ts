import type { LagSpec } from '../scenario/model.js';
import type { Rng } from './rng.js';

/**
 * Decides each replicated write's lag in place of the link's distribution: how `geosim explore`
 * varies and records lags. `draw()` is the default draw (it consumes the link's seeded stream).
 */
export interface LagSource {
  /** ms for the n-th write (0-based) sent on the link from→to. */
  lag(from: string, to: string, n: number, spec: LagSpec, draw: () => number): number;
}

/**
 * Draws one replication delay in whole virtual ms. Replication has no SLA (aws-semantics §1.2), so
 * every distribution is open to the scenario; normal is clamped at 0.
 */
export function sampleLag(lag: LagSpec, rng: Rng, n = 0): number {
  switch (lag.distribution) {
    case 'sequence':
      // The n-th write on the link (0-based); after the list, its last value again.
      return lag.ms[Math.min(n, lag.ms.length - 1)]!;
    case 'fixed':
      return lag.ms;
    case 'uniform':
      return Math.round(lag.min + (lag.max - lag.min) * rng.next());
    case 'normal':
      return Math.max(0, Math.round(lag.mean + lag.stddev * rng.normal()));
    case 'exponential':
      return Math.round(-lag.mean * Math.log(1 - rng.next()));
  }
}
