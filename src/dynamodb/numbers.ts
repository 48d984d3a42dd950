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
 * Fast paths: most numbers on the model's hot path are small integers or short decimals already in
 * canonical form; parsing them with decimal.js dominated a run's profile. Each pattern below only
 * matches values whose answer is known without it (well inside 38 digits and the range).
 */
/** A canonical integer a double holds exactly (15 digits at most). */
const SAFE_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;
/** A canonical short decimal: no leading or trailing zeros, at most 20 characters. */
const SHORT_DECIMAL = /^-?(?:0|[1-9]\d*)\.\d*[1-9]$/;

/** The canonical form of a DynamoDB number; throws DynamoDB's ValidationException for invalid ones. */
export function canonicalNumber(text: string): string {
  if (SAFE_INTEGER.test(text) || (text.length <= 20 && SHORT_DECIMAL.test(text))) return text;
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
  if (SAFE_INTEGER.test(a) && SAFE_INTEGER.test(b)) return Math.sign(Number(a) - Number(b));
  return parse(a).cmp(parse(b));
}

/** Significant digits of a valid number (for DynamoDB's item size rule). */
export function significantDigits(text: string): number {
  if (SAFE_INTEGER.test(text)) return text === '0' ? 1 : text.replace(/^-/, '').replace(/0+$/, '').length;
  const value = parse(text);
  return value.isZero() ? 1 : value.sd();
}

/** Decimal exponent of the leading digit (1.5 → 0, 150 → 2, 0.015 → -2); 0 for zero. */
export function leadingExponent(text: string): number {
  if (SAFE_INTEGER.test(text)) return text === '0' ? 0 : text.replace(/^-/, '').length - 1;
  const value = parse(text);
  return value.isZero() ? 0 : value.e;
}
