import { Decimal } from 'decimal.js';

/** DynamoDB's numbers: decimal, up to 38 significant digits (DynamoDB Developer Guide, "Number" data type). */
const Exact = Decimal.clone({ precision: 38, rounding: Decimal.ROUND_HALF_EVEN });

/**
 * `a + b` as DynamoDB's ADD computes it: in decimal, so 0.1 + 0.2 is 0.3 (not 0.30000000000000004),
 * then read back as the JS number the SDK would unmarshall from DynamoDB's answer. Whole numbers
 * whose sum is a safe integer, the common case (a Version counter), skip the decimal arithmetic.
 */
export function addNumbers(a: number, b: number): number {
  const sum = a + b;
  if (Number.isInteger(a) && Number.isInteger(b) && Number.isSafeInteger(sum)) return sum;
  return Number(new Exact(a).plus(b).toString());
}
