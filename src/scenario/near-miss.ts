/**
 * "Did you mean" suggestions for misspelled keys, by edit distance. A generated file can hold tens of
 * thousands of unknown keys: the loader asks for a suggestion only for the problems it shows, and
 * both functions skip candidates whose length alone puts them out of reach.
 */

/**
 * Edit distances computed since the process started. Tests read it to check that the work done for
 * suggestions is bounded by the problems shown, not by the size of the file (no timing needed).
 */
export const nearMissWork = { editDistances: 0 };

/** Suggestions are made within this many edits (exclusive). */
const MAX_DISTANCE = 3;

/** ` (did you mean "x"?)` for the allowed key closest to `key` (case-insensitive, first on a tie), else ''. */
export function suggest(key: string, allowed: readonly string[]): string {
  const best = closest(key, allowed);
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

/** True when `key` is within reach of a suggestion of `target`. */
export function isNear(key: string, target: string): boolean {
  return closest(key, [target]) !== undefined;
}

/** True when `suggest(key, allowed)` would name `target`: one distance unless `key` is near `target`. */
export function suggests(key: string, allowed: readonly string[], target: string): boolean {
  return isNear(key, target) && closest(key, allowed) === target;
}

/** The allowed key closest to `key` within reach of a suggestion, if any. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const a = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = MAX_DISTANCE;
  for (const candidate of allowed) {
    const b = candidate.toLowerCase();
    // The distance is at least the difference in length.
    if (Math.abs(a.length - b.length) >= bestDistance) continue;
    const d = editDistance(a, b);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  nearMissWork.editDistances++;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
