import type { FailoverSpec } from '../../scenario/model.js';

/**
 * The region a client tries next after a rejected request: the first in its failover order that
 * it has not tried for this request (default order: the scenario's regions, starting after the
 * one that failed). Undefined when every region has refused: the client gets the error.
 */
export function failoverTarget(failover: FailoverSpec, regions: readonly string[], tried: readonly string[]): string | undefined {
  const last = tried[tried.length - 1]!;
  const start = regions.indexOf(last);
  const order = failover.regions ?? regions.map((_, i) => regions[(start + 1 + i) % regions.length]!);
  return order.find((r) => !tried.includes(r));
}
