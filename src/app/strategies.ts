/**
 * The built-in application's conflict strategies: the one list (the scenario schema, the Lambda
 * handler and `geosim compare` read it). What each keeps and costs: README "Conflict strategies".
 */
export const STRATEGIES = ['lww-item', 'service-lww', 'client-lww', 'version', 'lww-attribute', 'automerge', 'counter', 'custom'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** The name a strategy runs under: `service-lww` is the old name of `lww-item`, kept for old scenarios. */
export type CanonicalStrategy = Exclude<Strategy, 'service-lww'>;
/** The seed's design, the default of a scenario and of the deployed handler. */
export const DEFAULT_STRATEGY: Strategy = 'client-lww';

export function canonicalStrategy(strategy: Strategy): CanonicalStrategy {
  return strategy === 'service-lww' ? 'lww-item' : strategy;
}

/** Strategies whose stream consumers merge concurrent versions the service's last-writer-wins replaced. */
export const MERGE_STRATEGIES = ['lww-attribute', 'automerge', 'counter', 'custom'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

export function isMergeStrategy(strategy: Strategy): strategy is MergeStrategy {
  return (MERGE_STRATEGIES as readonly string[]).includes(strategy);
}
