import type { Comparison } from '../compare/metrics.js';
import { canonicalItem, type Item } from '../trace/item.js';
import { JSON_FORMAT_VERSION } from './json.js';

/**
 * `geosim compare --format json`: one document, deterministic for a scenario and seed. Each
 * combination's final items are in the canonical order of `geosim run --format json`.
 */
export function renderComparisonJson(comparison: Comparison): string {
  const doc = {
    geosim: JSON_FORMAT_VERSION,
    scenario: comparison.scenario,
    seed: comparison.seed,
    regions: comparison.regions,
    ...(comparison.witness !== undefined ? { witness: comparison.witness } : {}),
    combinations: comparison.combinations.map((c) => ({
      ...c,
      final: Object.fromEntries(Object.entries(c.final).map(([region, items]) => [region, Object.fromEntries(Object.entries(items).map(([id, item]) => [id, canonicalItem(item as Item)]))])),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
