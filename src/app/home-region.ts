/**
 * The region that owns a key's idempotency record under `home-region` idempotency: a stable hash
 * (FNV-1a) of the key over the replica regions, so every region, the model and the deployed handler
 * agree without coordination (AWS's "write to your Region" mode, aws-semantics §1.3).
 */
export function homeRegion(key: string, regions: readonly string[]): string {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return regions[(h >>> 0) % regions.length]!;
}
