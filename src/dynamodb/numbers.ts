/**
 * DynamoDB's numbers: decimal, up to 38 significant digits, magnitude 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (or zero), exact addition and subtraction.
 * Stored and returned in a canonical form without exponent, leading or trailing zeros
 * ("1.50" → "1.5", "1e3" → "1000", "-0" → "0"), as DynamoDB Local answers GetItem.
 */
import { Decimal } from 'decimal.js';
import { validation } from './errors.js';

/** Enough precision that + and - of two 38-digit numbers 256 orders apart stay exact, and no exponent in output. */
const D = Decimal.clone({ precision: 400, toExpNeg: -9e15, toExpPos: 9e15 });

/** What DynamoDB accepts as a number: no spaces, no hex, no Infinity/NaN, optional sign and exponent. */
const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const NUMBER_MESSAGES = {
  notANumber: 'A value provided cannot be converted into a number',
  precision: 'DynamoDB only supports precision up to 38 digits',
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
} as const;

const MAX = new D('9.9999999999999999999999999999999999999E+125');
const MIN = new D('1E-130');

function parse(text: string): Decimal {
  if (!NUMBER_SYNTAX.test(text)) throw validation(NUMBER_MESSAGES.notANumber);
  return new D(text);
}

/** Checks DynamoDB's limits (precision first, then range, as Local reports them) and prints canonically. */
function finish(value: Decimal): string {
  if (value.isZero()) return '0';
  if (value.sd() > 38) throw validation(NUMBER_MESSAGES.precision);
  const magnitude = value.abs();
  if (magnitude.gt(MAX)) throw validation(NUMBER_MESSAGES.overflow);
  if (magnitude.lt(MIN)) throw validation(NUMBER_MESSAGES.underflow);
  return value.toFixed();
}

/*
 * Fast path of addition: most numbers the model adds are small integers (counters, versions);
 * parsing them with decimal.js dominated a run's profile. The sum of two 15-digit integers is exact
 * in a double.
 */
/** A canonical integer a double holds exactly (15 digits at most). */
const SAFE_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;

/** The canonical form of a DynamoDB number; throws DynamoDB's ValidationException for invalid ones. */
export function canonicalNumber(text: string): string {
  // Already canonical and at most 38 characters: within 38 digits and far inside the range.
  if (text.length <= 38 && CANONICAL.test(text)) return text;
  return finish(parse(text));
}

/** Exact `a + b` of two valid numbers, checked against DynamoDB's limits. */
export function addNumbers(a: string, b: string): string {
  if (SAFE_INTEGER.test(a) && SAFE_INTEGER.test(b)) return String(Number(a) + Number(b));
  return finish(parse(a).plus(parse(b)));
}

/** Exact `a - b`. */
export function subtractNumbers(a: string, b: string): string {
  return finish(parse(a).minus(parse(b)));
}

/** -1, 0 or 1, numerically. */
export function compareNumbers(a: string, b: string): number {
  // Stored numbers are canonical, and sorting a Query's entries compares them n log n times: a
  // Decimal per comparison was most of a GSI query's time (bench/dynamodb-api.mjs).
  if (CANONICAL.test(a) && CANONICAL.test(b)) return compareCanonical(a, b);
  return parse(a).cmp(parse(b));
}

/** The canonical form `finish` prints: no exponent, no leading or trailing zeros, no "-0". */
const CANONICAL = /^(?:0|-?[1-9]\d*(?:\.\d*[1-9])?|-?0\.\d*[1-9])$/;

/** Numeric order of two canonical numbers from their digits alone. */
function compareCanonical(a: string, b: string): number {
  const negative = a.charCodeAt(0) === 45;
  if (negative !== (b.charCodeAt(0) === 45)) return negative ? -1 : 1;
  const magnitude = compareMagnitudes(negative ? a.slice(1) : a, negative ? b.slice(1) : b);
  return negative ? 0 - magnitude : magnitude; // 0 - 0 is +0, as Decimal answers
}

function compareMagnitudes(a: string, b: string): number {
  const aDot = a.indexOf('.');
  const bDot = b.indexOf('.');
  const aInt = aDot < 0 ? a : a.slice(0, aDot);
  const bInt = bDot < 0 ? b : b.slice(0, bDot);
  // No leading zeros: a longer integer part is a larger number.
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  if (aInt !== bInt) return aInt < bInt ? -1 : 1;
  // No trailing zeros: fractions compare as digit strings ("" < "25" < "5").
  const aFrac = aDot < 0 ? '' : a.slice(aDot + 1);
  const bFrac = bDot < 0 ? '' : b.slice(bDot + 1);
  return aFrac === bFrac ? 0 : aFrac < bFrac ? -1 : 1;
}

/** Significant digits of a valid number (for DynamoDB's item size rule). */
export function significantDigits(text: string): number {
  // Item sizes are computed on every write, of stored (canonical) numbers: read them off the digits.
  if (CANONICAL.test(text)) return canonicalShape(text).digits;
  const value = parse(text);
  return value.isZero() ? 1 : value.sd();
}

/** Decimal exponent of the leading digit (1.5 → 0, 150 → 2, 0.015 → -2); 0 for zero. */
export function leadingExponent(text: string): number {
  if (CANONICAL.test(text)) return canonicalShape(text).exponent;
  const value = parse(text);
  return value.isZero() ? 0 : value.e;
}

/** Significant digits and leading exponent of a valid number, with one parse (item sizes, on every write). */
export function numberShape(text: string): { digits: number; exponent: number } {
  if (CANONICAL.test(text)) return canonicalShape(text);
  const value = parse(text);
  return value.isZero() ? { digits: 1, exponent: 0 } : { digits: value.sd(), exponent: value.e };
}

/** Significant digits and leading exponent of a canonical number, as Decimal's sd() and e give them. */
function canonicalShape(text: string): { digits: number; exponent: number } {
  const magnitude = text.charCodeAt(0) === 45 ? text.slice(1) : text;
  if (magnitude === '0') return { digits: 1, exponent: 0 };
  const dot = magnitude.indexOf('.');
  const int = dot < 0 ? magnitude : magnitude.slice(0, dot);
  const frac = dot < 0 ? '' : magnitude.slice(dot + 1);
  if (int !== '0') {
    // An integer's trailing zeros are not significant ("1500": 2 digits); a fraction has none.
    const digits = frac === '' ? int.replace(/0+$/, '').length : int.length + frac.length;
    return { digits, exponent: int.length - 1 };
  }
  const zeros = frac.length - frac.replace(/^0+/, '').length;
  return { digits: frac.length - zeros, exponent: -(zeros + 1) };
}
