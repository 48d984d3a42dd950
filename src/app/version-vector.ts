import type { AttributeValue, Item } from './item.js';

/**
 * The version vector a merge strategy keeps in each data item (attribute `VersionVector`: region →
 * number of the application's writes there that the item includes). It tells a stream consumer
 * whether the version the service's last-writer-wins replaced was concurrent with its replacement
 * (neither includes the other: a write was lost) or an ancestor of it (nothing lost).
 */
export const VERSION_VECTOR = 'VersionVector';

export type VersionVector = Record<string, number>;

export function versionVector(item: Item | undefined): VersionVector {
  const raw = item?.[VERSION_VECTOR];
  const out: VersionVector = {};
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [region, n] of Object.entries(raw as Record<string, AttributeValue>)) if (typeof n === 'number') out[region] = n;
  return out;
}

/** a includes every write b includes. */
export function dominates(a: VersionVector, b: VersionVector): boolean {
  for (const [region, n] of Object.entries(b)) if ((a[region] ?? 0) < n) return false;
  return true;
}

/** Neither version includes the other: each has a write the other lacks. */
export function concurrent(a: VersionVector, b: VersionVector): boolean {
  return !dominates(a, b) && !dominates(b, a);
}

/** The pointwise maximum, regions sorted (so equal vectors are equal items in every backend). */
export function joinVectors(a: VersionVector, b: VersionVector): VersionVector {
  const out: VersionVector = {};
  for (const region of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[region] = Math.max(a[region] ?? 0, b[region] ?? 0);
  return out;
}

/** The vector of a write in `region` on top of `base`. */
export function bump(base: VersionVector, region: string): VersionVector {
  return joinVectors(base, { [region]: (base[region] ?? 0) + 1 });
}
