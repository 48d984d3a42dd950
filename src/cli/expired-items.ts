import type { Scenario } from '../scenario/model.js';
import type { RunReport } from '../trace/report.js';
import { EPOCH_MS } from '../sim/simulation.js';
import { DEFAULT_TABLES } from '../sim/tables.js';
import { TTL_MAX_AGE_SECONDS } from '../dynamodb/ttl-index.js';

/** An item a run on --backend dynamodb ended with, that Time to Live would have deleted in the model. */
export interface ExpiredItem {
  table: string;
  region: string;
  /** Its key string, as `final` names it. */
  key: string;
  /** Virtual ms at which the model would have deleted it. */
  expiredAt: number;
}

/**
 * The items a run ended with whose Time to Live expiry came before the run's end: the model
 * deletes an item at its expiry in the run's time (aws-semantics §1.8, `ttlDelay` 0), while on
 * --backend dynamodb nothing does (DynamoDB expires items on its own clock, and DynamoDB Local's
 * tables hold geosim's GlobalEventTable without TTL), so such a run is not the model's. Earliest
 * first. Items TTL ignores (no Number, an expiry more than five years past) are not counted.
 */
export function itemsExpiredDuringRun(scenario: Pick<Scenario, 'tables'>, report: Pick<RunReport, 'final' | 'tables' | 'endedAt'>): ExpiredItem[] {
  const specs = scenario.tables ?? DEFAULT_TABLES;
  const oldest = (EPOCH_MS + report.endedAt) / 1000 - TTL_MAX_AGE_SECONDS;
  const expired: ExpiredItem[] = [];
  specs.forEach((spec, index) => {
    const attribute = spec.ttlAttribute;
    if (attribute === undefined) return;
    const regions = report.tables?.[spec.name] ?? (index === 0 ? report.final : undefined);
    for (const [region, items] of Object.entries(regions ?? {})) {
      for (const [key, item] of Object.entries(items)) {
        const seconds = item[attribute];
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < oldest) continue;
        // the model's sweep for it is due then (World.planExpiry), and runs before a task due at the same time
        const expiredAt = Math.max(0, Math.ceil(seconds * 1000) - EPOCH_MS);
        if (expiredAt <= report.endedAt) expired.push({ table: spec.name, region, key, expiredAt });
      }
    }
  });
  return expired.sort((a, b) => a.expiredAt - b.expiredAt);
}
