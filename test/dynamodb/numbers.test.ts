import { Decimal as BaseDecimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/dynamodb/errors.js';
import { addNumbers, canonicalNumber, compareNumbers, leadingExponent, significantDigits, subtractNumbers } from '../../src/dynamodb/numbers.js';

/** Decimal with room for exact sums of the generated numbers (the default precision is 20 digits). */
const Decimal = BaseDecimal.clone({ precision: 200 });

const message = (run: () => unknown) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DynamoDBError ? `${error.name}: ${error.message}` : String(error);
  }
};

describe('canonicalNumber (forms as DynamoDB Local returns them from GetItem)', () => {
  it.each([
    ['1.50', '1.5'],
    ['1e3', '1000'],
    ['-0', '0'],
    ['0.0001e2', '0.01'],
    ['+5', '5'],
    ['00012.3400', '12.34'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1E-130', `0.${'0'.repeat(129)}1`],
    ['9.9999999999999999999999999999999999999E+125', `${'9'.repeat(38)}${'0'.repeat(88)}`],
    ['1.2345678901234567890123456789012345678e5', '123456.78901234567890123456789012345678'],
  ])('%s → %s', (input, canonical) => {
    expect(canonicalNumber(input)).toBe(canonical);
  });

  it.each([
    ['1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    ['1000000000000000000000000000000000000001', 'DynamoDB only supports precision up to 38 digits'],
    [' 1', 'A value provided cannot be converted into a number'],
    ['Infinity', 'A value provided cannot be converted into a number'],
    ['NaN', 'A value provided cannot be converted into a number'],
    ['0x10', 'A value provided cannot be converted into a number'],
    ['', 'A value provided cannot be converted into a number'],
    ['1e', 'A value provided cannot be converted into a number'],
  ])('rejects %j as DynamoDB does', (input, text) => {
    expect(message(() => canonicalNumber(input))).toBe(`ValidationException: ${text}`);
  });

  it('adds and subtracts exactly (no float rounding)', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(addNumbers('1e30', '0.000001')).toBe('1000000000000000000000000000000.000001');
    expect(subtractNumbers('1.25', '5')).toBe('-3.75');
    expect(message(() => addNumbers('1e38', '0.1'))).toBe('ValidationException: DynamoDB only supports precision up to 38 digits');
  });

  const decimalText = fc
    .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{0,17}$/), fc.integer({ min: -60, max: 60 }))
    .map(([negative, int, frac, exp]) => `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}e${exp}`);

  it('is idempotent and keeps the value Decimal reads (property)', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const canonical = canonicalNumber(text);
        expect(canonicalNumber(canonical)).toBe(canonical);
        expect(new Decimal(canonical).eq(new Decimal(text))).toBe(true);
        expect(canonical).not.toMatch(/e|E|^-?0\d|\.\d*0$|^-0$/);
      }),
    );
  });

  it('orders as Decimal does; a + b is exact within 38 digits, a precision error past them (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(compareNumbers(a, b)).toBe(new Decimal(a).cmp(new Decimal(b)));
        const exact = new Decimal(a).plus(new Decimal(b));
        if (exact.sd() > 38) {
          expect(message(() => addNumbers(a, b))).toBe('ValidationException: DynamoDB only supports precision up to 38 digits');
        } else {
          expect(new Decimal(addNumbers(a, b)).eq(exact)).toBe(true);
          expect(compareNumbers(subtractNumbers(addNumbers(a, b), b), a)).toBe(0);
        }
      }),
    );
  });

  // Canonical (stored) numbers take a fast path that reads their digits instead of parsing a Decimal.
  const canonicalText = decimalText.filter((text) => message(() => canonicalNumber(text)) === undefined).map(canonicalNumber);

  it('orders canonical numbers as Decimal does, zero, signs and fractions included (property)', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalText, fc.constantFrom('0', '1', '-1', '0.5', '-0.5', '0.25', '10', '9.99', '100')), canonicalText, (a, b) => {
        expect(compareNumbers(a, b)).toBe(new Decimal(a).cmp(new Decimal(b)));
        expect(compareNumbers(b, a)).toBe(new Decimal(b).cmp(new Decimal(a)));
        expect(compareNumbers(a, a)).toBe(0);
      }),
    );
  });

  it('"-0" is not taken for a canonical negative number: it equals 0', () => {
    expect(compareNumbers('-0', '0')).toBe(0);
    expect(compareNumbers('-0', '-0.1')).toBe(1);
    expect(canonicalNumber('-0')).toBe('0');
  });

  it.each([
    ['0', 1, 0],
    ['1500', 2, 3],
    ['-1500.25', 6, 3],
    ['0.015', 2, -2],
    ['-0.0001', 1, -4],
    ['7', 1, 0],
  ])('significantDigits and leadingExponent of %s are %i and %i', (text, digits, exponent) => {
    expect(significantDigits(text)).toBe(digits);
    expect(leadingExponent(text)).toBe(exponent);
  });

  it('reads significant digits and leading exponent of canonical numbers as Decimal does (property)', () => {
    fc.assert(
      fc.property(canonicalText, (text) => {
        const value = new Decimal(text);
        expect(significantDigits(text)).toBe(value.isZero() ? 1 : value.sd());
        expect(leadingExponent(text)).toBe(value.isZero() ? 0 : value.e);
        // the non-canonical spelling of the same number gives the same answers (the Decimal path)
        expect(significantDigits(`${text}e0`)).toBe(significantDigits(text));
        expect(leadingExponent(`${text}e0`)).toBe(leadingExponent(text));
      }),
    );
  });
});
