import { DEFAULT_LAG, durationMs } from '../scenario/schema.js';
import { linkKey } from './lag-recorder.js';

/** How same-millisecond tasks were ordered in the run a repro pins (`replication.simultaneous`). */
export type Simultaneous = 'scheduled' | 'seeded';

type Input = Record<string, unknown>;
type LagInput = Record<string, unknown> & { distribution?: unknown };
type LinkInput = { from: string; to: string; lag: LagInput };

/**
 * Pins every lag draw of a run: each link that carried writes gets its recorded lags as a
 * `sequence` in `replication.links` (replacing that pair's entry in place, or added after the
 * declared ones in key order); links that carried none keep their spec. `seed` is the run's, so
 * whatever else the seed draws (Lambda failure probabilities, tie-breaks) draws the same, and
 * `replication.simultaneous` is set when the run had it (a scenario without the key ran as today).
 *
 * @example
 * const recorder = recordingLagSource();
 * await runInput(input, { file, lagSource: recorder.source });
 * const repro = pinLags(input, recorder.lags(), 42); // runs the same trace without the recorder
 */
export function pinLags(input: Input, lags: Record<string, number[]>, seed: number, simultaneous?: Simultaneous): Input {
  const out = structuredClone(input);
  out.seed = seed;
  const replication = (isMap(out.replication) ? out.replication : {}) as Input;
  const pinned = new Map(Object.entries(lags).map(([key, ms]) => [key, { distribution: 'sequence', ms: [...ms] }]));
  const links = (Array.isArray(replication.links) ? replication.links : []) as LinkInput[];
  const kept = links.map((link) => {
    const lag = pinned.get(linkKey(link.from, link.to));
    pinned.delete(linkKey(link.from, link.to));
    return lag ? { ...link, lag } : link;
  });
  const added = [...pinned].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, lag]) => {
    const [from, to] = key.split('→') as [string, string];
    return { from, to, lag };
  });
  if (kept.length + added.length > 0) replication.links = [...kept, ...added];
  if (simultaneous !== undefined) replication.simultaneous = simultaneous;
  if (Object.keys(replication).length > 0) out.replication = replication;
  return out;
}

/**
 * The least lag each directed link's declared distribution can draw (uniform: min; fixed: its ms;
 * normal and exponential: 0; a hand-written sequence: its least value), by link key. The shrinker
 * lowers pinned lags no further, so a repro's lags stay ones the scenario could have drawn. Read
 * from the input before `pinLags` replaces the links' specs.
 */
export function lagFloors(input: Input): Record<string, number> {
  const regions = (Array.isArray(input.regions) ? input.regions : []) as string[];
  const replication = (isMap(input.replication) ? input.replication : {}) as Input;
  const fallback = (isMap(replication.lag) ? replication.lag : DEFAULT_LAG) as LagInput;
  const declared = new Map(((Array.isArray(replication.links) ? replication.links : []) as LinkInput[]).map((l) => [linkKey(l.from, l.to), l.lag]));
  const floors: Record<string, number> = {};
  for (const from of regions) {
    for (const to of regions) {
      if (from !== to) floors[linkKey(from, to)] = leastLag(declared.get(linkKey(from, to)) ?? fallback);
    }
  }
  return floors;
}

function leastLag(lag: LagInput): number {
  const ms = (v: unknown) => durationMs(v as number | string);
  switch (lag.distribution) {
    case 'fixed':
      return ms(lag.ms);
    case 'uniform':
      return ms(lag.min);
    case 'sequence':
      return Math.min(...(lag.ms as Array<number | string>).map(ms));
    default:
      return 0;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
