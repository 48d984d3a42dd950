/** How DynamoDB reads a request's integer parameters (`Limit`, `Segment`, `TotalSegments`). */

/**
 * An integer parameter as DynamoDB reads one: a fraction is cut to its whole part (`Limit: 1.5`
 * reads as 1, as DynamoDB Local answers; the model read 1.5, and a Scan answered 2 items for it).
 * A value that is no number stays NaN, for the caller's own refusal.
 */
export function wholeNumber(value: unknown): number {
  return typeof value === 'number' ? Math.trunc(value) : Number(value);
}
