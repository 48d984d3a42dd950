/**
 * The loader's limits (DESIGN §5), documented in the README's scenario format section. Each one
 * answers a hostile or mistaken file with a located problem (exit 2) instead of a long wait, a
 * crash or a stack overflow.
 */

/**
 * Largest scenario file read by default, in bytes; `geosim run --max-file-size` raises it.
 * Measured (README): a valid 1 MB file (about 9,000 steps) loads in about 0.6 s and runs in about
 * 2 s; 2 MB twice that; a 5 MB file takes over 5 s to load. Real scenarios are a few KB.
 */
export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

/**
 * Deepest nesting of mappings and lists, counting the top-level mapping as 1. A scenario needs
 * about 6 levels plus the depth of its item data, and DynamoDB itself refuses attribute values
 * nested deeper than 32 levels; the limit is checked before anything recursive runs.
 */
export const MAX_NESTING = 64;

/** Problems of one file reported in full; more are counted in one closing line. */
export const MAX_PROBLEMS = 100;

/**
 * Most values (scalars, mappings and lists) a file may stand for once its aliases (*name) are
 * written out: more than a 1 MB file without aliases can hold (about 500,000), so only a file whose
 * aliases multiply it is refused. Measured (README): the billion-laughs corpus file (4.8 million
 * values) is refused in milliseconds; a file just under it (a 10,000-value list aliased 99 times) loads and runs in about 3 s.
 */
export const MAX_ALIAS_VALUES = 1_000_000;

/**
 * Largest time or duration anywhere in a scenario (step times, lags, fault windows, Lambda and
 * Step Functions settings, clock skews): 365 days of virtual time. Far beyond any story a scenario
 * tells, and sums of a few of these from the 2026-01-01 epoch stay far inside what a Date holds.
 */
export const MAX_TIME_MS = 365 * 86_400_000;

/** "1 MB", "512 KB", "300 B": sizes as the README and messages write them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MB`;
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/**
 * A size and the limit it broke, as `formatBytes` writes them ("4 KB; … limited to 2 KB"), or both
 * in bytes when those would mislead: rounding makes them read the same ("1 KB; … 1 KB", "1.0 MB;
 * … 1 MB"), their units differ ("1 KB; … 1000 B"), or the limit is not a whole KB or MB, as
 * `formatBytes` would round it ("977 KB" for 1,000,000).
 */
export function formatBytesAgainst(size: number, limit: number): [size: string, limit: string] {
  const [a, b] = [formatBytes(size), formatBytes(limit)];
  const [aNumber, aUnit] = a.split(' ');
  const [bNumber, bUnit] = b.split(' ');
  const limitExact = limit < 1024 || (limit < 1_048_576 ? limit % 1024 === 0 : limit % 1_048_576 === 0);
  const misleading = aUnit !== bUnit || parseFloat(aNumber!) === parseFloat(bNumber!) || !limitExact;
  return misleading ? [`${size.toLocaleString('en')} bytes`, `${limit.toLocaleString('en')} bytes`] : [a, b];
}
