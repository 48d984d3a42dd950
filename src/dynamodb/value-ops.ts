/**
 * Operations on DynamoDB's attribute values: validation and canonical form (numbers canonical, sets
 * non-empty and without duplicates), DynamoDB's ordering and equality, and item size.
 */
import { validation } from './errors.js';
import { canonicalNumber, compareNumbers, numberShape } from './numbers.js';
import { typeOf, type AttributeMap, type AttributeValue, type Item } from './values.js';
import { nullMember, unexpected, wellFormed } from './value-shape.js';

/** DynamoDB's item size limit: 400 KB, the item's names and values together (Local: `<=` 409,600 bytes). */
export const MAX_ITEM_SIZE = 400 * 1024;
export const ITEM_TOO_LARGE = 'Item size has exceeded the maximum allowed size';
/** UpdateItem's wording of the same limit. */
export const UPDATED_ITEM_TOO_LARGE = 'Item size to update has exceeded the maximum allowed size';

/**
 * The prototype of every item and map: empty and without a prototype of its own, so no attribute
 * name (`toString`, `__proto__`) is inherited and any name is data, as with `Object.create(null)`.
 * Objects made by `new` keep V8's fast in-object properties; `Object.create(null)` objects are
 * dictionaries from the start (about 3x the memory and slower reads, for every stored item).
 */
const NO_PROTOTYPE = Object.freeze(Object.create(null) as object);

/**
 * A constructor of maps that inherit no names (prototype NO_PROTOTYPE), whose objects hold up to
 * `slots` attributes in themselves. V8 sizes the objects a constructor makes by the first few it
 * made (slack tracking): left to the first items of a run (often keys of one attribute), every
 * later item held 5 attributes in itself and the rest in a second object. Made wide once here, an
 * item keeps up to 8 in itself (an idempotency record is 5 and its version mark): a long run keeps
 * a million fewer objects, each of which its garbage collection copies. Each call makes a
 * constructor of its own, so each size keeps its own slack tracking.
 */
function mapConstructor(slots: number): new () => AttributeMap {
  const Maker = function DataMap() {} as unknown as new () => AttributeMap;
  (Maker as unknown as { prototype: object }).prototype = NO_PROTOTYPE;
  for (let i = 0; i < 8; i++) {
    const wide = new Maker();
    for (let j = 0; j < slots; j++) wide[`\u0000${j}`] = { NULL: true };
  }
  return Maker;
}

const DataMap = mapConstructor(8);

/** An item or map that inherits no names, so any attribute name is data. */
export function emptyMap(): AttributeMap {
  return new DataMap();
}

/**
 * An item's map (an `emptyMap`: same prototype, any name is data) sized for `names` attributes:
 * one of six slots for at most five, room for the model's version mark (replica.ts) beside them.
 * Every event's idempotency record is five, stored for the whole run: 16 bytes smaller each.
 */
const SmallMap = mapConstructor(6);

export function emptyMapFor(names: number): AttributeMap {
  return names <= 5 ? new SmallMap() : new DataMap();
}

/**
 * A key's map: an `emptyMap` (same prototype, any name is data) sized for a key's one or two
 * attributes, not an item's eight. A write's key rides with its replication until delivered, so
 * a run keeps many of them past a scavenge: each 48 bytes smaller.
 */
const KeyMap = mapConstructor(2);

/** An empty key (see KeyMap): for a table's key attributes, or a map value of at most two (plain.ts). */
export function emptyKey(): AttributeMap {
  return new KeyMap();
}

const INVALID = 'One or more parameter values were invalid: ';

/**
 * The value in DynamoDB's canonical form (numbers as `canonicalNumber`, recursively), or DynamoDB's
 * ValidationException (messages as DynamoDB Local words them for PutItem's Item): empty sets,
 * duplicates, invalid numbers.
 */
export function normalizeValue(raw: AttributeValue): AttributeValue {
  const value = wellFormed(raw);
  const type = typeOf(value);
  switch (type) {
    case 'S':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return value;
    case 'N': {
      // a number already canonical (every number the model writes) is its own normal form, as a string is
      const n = (value as { N: string }).N;
      const canonical = canonicalNumber(n);
      return canonical === n ? value : { N: canonical };
    }
    case 'SS': {
      const ss = (value as { SS: string[] }).SS;
      if (ss.length === 0) throw validation(`${INVALID}An string set  may not be empty`);
      if (new Set(ss).size !== ss.length) throw validation(`${INVALID}Input collection [${ss.join(', ')}] contains duplicates`);
      return value;
    }
    case 'NS': {
      const ns = (value as { NS: string[] }).NS;
      if (ns.length === 0) throw validation(`${INVALID}An number set  may not be empty`);
      const canonical = ns.map(canonicalNumber);
      if (new Set(canonical).size !== canonical.length) throw validation('Input collection contains duplicates');
      return { NS: canonical };
    }
    case 'BS': {
      const bs = (value as { BS: string[] }).BS;
      if (bs.length === 0) throw validation(`${INVALID}Binary sets should not be empty`);
      if (new Set(bs.map(canonicalBase64)).size !== bs.length) throw validation(`${INVALID}Input collection of type BS contains duplicates.`);
      return value;
    }
    case 'L':
      return { L: (value as { L: AttributeValue[] }).L.map(normalizeValue) };
    case 'M':
      return { M: normalizeMap((value as { M: AttributeMap }).M) };
  }
}

/** `normalizeValue` on every attribute of an item or map; the result has no prototype. */
export function normalizeMap(map: AttributeMap): AttributeMap {
  // an Item, a Key or an M given as a list or a scalar: for…in would read its indices as names
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw unexpected(map, 'a map');
  const out = emptyMap();
  // for…in, not Object.keys: no array per map (every write normalises its item); own names only
  for (const name in map) {
    if (!Object.hasOwn(map, name)) continue;
    const value = map[name];
    if (name === '') throw validation('Empty attribute name');
    if (value === null || value === undefined) throw nullMember(name);
    out[name] = normalizeValue(value);
  }
  return out;
}

function canonicalBase64(b64: string): string {
  return Buffer.from(b64, 'base64').toString('base64');
}

function compareBytes(a: Buffer, b: Buffer): number {
  return Math.sign(Buffer.compare(a, b));
}

/** Strings by code point, which is the same order as their UTF-8 bytes (DynamoDB's order for S). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * DynamoDB's order of two scalars of the same type (S by UTF-8 bytes, N numerically, B bytewise):
 * -1, 0 or 1; `undefined` when they are not comparable (different types, or not S/N/B), which
 * makes `<`, `<=`, `>`, `>=` and BETWEEN false in DynamoDB.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) {
    // two natural numbers in canonical form (times, versions, counters): by length, then digit by digit
    const x = a.N;
    const y = b.N;
    if (isNaturalText(x) && isNaturalText(y)) return x.length !== y.length ? (x.length < y.length ? -1 : 1) : x === y ? 0 : x < y ? -1 : 1;
    return compareNumbers(x, y);
  }
  if ('B' in a && 'B' in b) return compareBytes(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return undefined;
}

/** Whether `n` is `0` or digits without a leading zero: a natural number in canonical form. */
function isNaturalText(n: string): boolean {
  const length = n.length;
  if (length === 0 || length > 38) return false;
  const first = n.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && length > 1)) return false;
  for (let i = 1; i < length; i++) {
    const c = n.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** DynamoDB's equality: same type and value; numbers numerically, sets regardless of order, M and L deeply. */
/**
 * Whether two stored items hold the same attributes and values (a write that changed nothing).
 * Strings and numbers are compared by their text first, without walking maps or allocating: most
 * writes change one of them, and a stored number is canonical, so a different text is a different
 * value (at worst a change is reported where there was none, which is what every write was before).
 */
export function sameItem(a: Item, b: Item): boolean {
  let count = 0;
  for (const name in a) {
    count++;
    const x = a[name]!;
    const y = b[name];
    if (y === undefined) return false;
    if ('S' in x) {
      if (!('S' in y) || x.S !== y.S) return false;
    } else if ('N' in x) {
      if (!('N' in y) || x.N !== y.N) return false;
    }
  }
  for (const _ in b) count--;
  return count === 0 && equalValues({ M: a }, { M: b });
}

export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return compareValues(a, b) === 0;
    case 'BOOL':
      return (a as { BOOL: boolean }).BOOL === (b as { BOOL: boolean }).BOOL;
    case 'NULL':
      return true;
    case 'SS':
      return sameSet((a as { SS: string[] }).SS, (b as { SS: string[] }).SS, (s) => s);
    case 'NS':
      return sameSet((a as { NS: string[] }).NS, (b as { NS: string[] }).NS, canonicalNumber);
    case 'BS':
      return sameSet((a as { BS: string[] }).BS, (b as { BS: string[] }).BS, canonicalBase64);
    case 'L': {
      const x = (a as { L: AttributeValue[] }).L;
      const y = (b as { L: AttributeValue[] }).L;
      return x.length === y.length && x.every((v, i) => equalValues(v, y[i]!));
    }
    case 'M': {
      const x = (a as { M: AttributeMap }).M;
      const y = (b as { M: AttributeMap }).M;
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && equalValues(x[k]!, y[k]!));
    }
  }
}

function sameSet(a: string[], b: string[], key: (s: string) => string): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(key));
  return b.every((s) => keys.has(key(s)));
}

export function utf8Length(s: string): number {
  // ASCII (attribute names, most values) counts in JS: Buffer.byteLength is a native call per string
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

const ZERO = /^[-+]?(0+\.?0*|\.0+)(e[-+]?\d+)?$/i;

/**
 * Size of a number as DynamoDB counts it: base-100 digits (pairs of decimal digits aligned on the
 * decimal point) plus one byte, as the docs' "1 byte per two significant digits + 1 byte" works out.
 */
export function numberSize(text: string): number {
  // zero has no significant digit: the byte alone (DynamoDB Local's sum of a transaction's items says so)
  if (ZERO.test(text)) return 1;
  const { digits, exponent } = numberShape(text);
  // the leading digit starts a new base-100 digit when its exponent is odd (…10^1 is the high half of a pair)
  const offset = ((exponent % 2) + 2) % 2 === 0 ? 1 : 0;
  return Math.ceil((digits + offset) / 2) + 1;
}

/**
 * Size of a value by DynamoDB's rules (docs "Item sizes and formats"): S and B their bytes, N as
 * `numberSize`, BOOL and NULL 1 byte, sets the sum of their elements, L and M 3 bytes plus their
 * elements, 1 byte more per element (and, for M, the keys' UTF-8 lengths).
 */
export function valueSize(value: AttributeValue): number {
  const type = typeOf(value);
  switch (type) {
    case 'S':
      return utf8Length((value as { S: string }).S);
    case 'N':
      return numberSize((value as { N: string }).N);
    case 'B':
      return Buffer.from((value as { B: string }).B, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (value as { SS: string[] }).SS.reduce((n, s) => n + utf8Length(s), 0);
    case 'NS':
      return (value as { NS: string[] }).NS.reduce((n, s) => n + numberSize(s), 0);
    case 'BS':
      return (value as { BS: string[] }).BS.reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    // 3 bytes for the list or map, and 1 more for each of its elements (the item-size rules;
    // DynamoDB Local refuses a 400 KB item by them)
    case 'L':
      return 3 + (value as { L: AttributeValue[] }).L.reduce((n, v) => n + valueSize(v) + 1, 0);
    case 'M': {
      const map = (value as { M: AttributeMap }).M;
      return 3 + itemSize(map) + Object.keys(map).length;
    }
  }
}

/** Size of an item: each attribute's name (UTF-8 bytes) plus its value's size. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) if (Object.hasOwn(item, name)) size += utf8Length(name) + valueSize(item[name]!);
  return size;
}

/** Throws DynamoDB's ValidationException when the item is over 400 KB (`message`: UpdateItem's wording). */
export function checkItemSize(item: Item, message: string = ITEM_TOO_LARGE): void {
  // Every write checks: a bound that reads no characters and parses no number settles almost all of them.
  if (itemSizeBound(item) <= MAX_ITEM_SIZE) return;
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation(message);
}

/** At least `numberSize(text)`: its digits are at most its characters. */
function numberSizeBound(text: string): number {
  return Math.ceil((text.length + 1) / 2) + 1;
}

/**
 * An upper bound of `itemSize` without reading strings' characters (a UTF-16 code unit is at most
 * 3 UTF-8 bytes) or numbers' digits (numberSizeBound), and base64 counted as its length.
 */
function itemSizeBound(item: Item): number {
  let size = 0;
  for (const name in item) if (Object.hasOwn(item, name)) size += 3 * name.length + valueSizeBound(item[name]!);
  return size;
}

function valueSizeBound(value: AttributeValue): number {
  switch (typeOf(value)) {
    case 'S':
      return 3 * (value as { S: string }).S.length;
    case 'N':
      return numberSizeBound((value as { N: string }).N);
    case 'B':
      return (value as { B: string }).B.length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (value as { SS: string[] }).SS.reduce((n, s) => n + 3 * s.length, 0);
    case 'NS':
      return (value as { NS: string[] }).NS.reduce((n, s) => n + numberSizeBound(s), 0);
    case 'BS':
      return (value as { BS: string[] }).BS.reduce((n, s) => n + s.length, 0);
    case 'L':
      return 3 + (value as { L: AttributeValue[] }).L.reduce((n, v) => n + valueSizeBound(v) + 1, 0);
    case 'M': {
      // 3 bytes, and each member's name, value and 1 byte more (counted here: no array of its names)
      const map = (value as { M: AttributeMap }).M;
      let size = 3;
      for (const name in map) if (Object.hasOwn(map, name)) size += 3 * name.length + valueSizeBound(map[name]!) + 1;
      return size;
    }
  }
}
