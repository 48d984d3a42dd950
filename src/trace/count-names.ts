/**
 * Every count a run reports and a scenario's `counts:` may assert, in the report's order: the one
 * list of count names (the scenario schema, `RunCounts` and `countTrace` all derive from it).
 * What each counts: README "Assertions", and `countTrace` (src/check/counts.ts).
 */
export const COUNT_NAMES = [
  'events',
  'applied',
  'duplicates',
  'superseded',
  'failed',
  'conflicts',
  'discardedWrites',
  'conditionFailures',
  'operationFailures',
  'repairs',
  'replicatedWrites',
  'rejected',
  'failovers',
  'heldWrites',
  'lambdaFailures',
  'lambdaRetries',
  'deadLettered',
  'redriven',
  'lost',
  'executions',
  'executionsDeduplicated',
  'executionsRejected',
  'writeConflicts',
  'sdkRetries',
  // Issue 15, part STRATEGIES: application resolutions that kept both sides.
  'merges',
] as const;

export type CountName = (typeof COUNT_NAMES)[number];
