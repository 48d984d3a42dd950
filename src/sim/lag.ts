import type { LagSpec } from '../scenario/model.js';
import type { Rng } from './rng.js';

/**
 * Draws one replication delay in whole virtual ms. Replication has no SLA (aws-semantics §1.2), so
 * every distribution is open to the scenario; normal is clamped at 0.
 */
export function sampleLag(lag: LagSpec, rng: Rng): number {
  switch (lag.distribution) {
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
