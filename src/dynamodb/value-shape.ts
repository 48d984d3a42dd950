/**
 * An AttributeValue as DynamoDB's JSON deserializer reads it, before any rule of the API: exactly
 * one type member, and that member of the JSON type its type takes. What does not fit is refused
 * with the service's errors (DynamoDB Local's wording where it has one), never stored: a value
 * with no type or two, `{"NULL": false}`, a null in a map, a list or a set, a member of the wrong
 * JSON type. As the service's deserializer does, members it does not know and members that are
 * null are ignored (`{"S": "a", "N": null}` is `{"S": "a"}`), and a JSON boolean or number where
 * a string is expected is read as its text (`{"S": 12}` is `{"S": "12"}`; a number a double could
 * not hold digit for digit is refused, see `text`).
 */
import { DynamoDBError, validation } from './errors.js';
import type { AttributeType, AttributeValue } from './values.js';

const EMPTY_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const SEVERAL_TYPES = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const NULL_NOT_TRUE = 'One or more parameter values were invalid: Null attribute value types must have the value of true';
const NULL_VALUE = 'The supplied Item contains a null AttributeValue';

/** DynamoDB's message for a null where a map (an item, a key, an M) holds a value. */
export function nullMember(name: string): DynamoDBError {
  return validation(`${NULL_VALUE}: ${name} is null`);
}

/** The types a value may have (a member of another name is ignored, as the service's deserializer ignores it). */
const TYPES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `raw` when it is a well-formed AttributeValue (one member, of the right JSON type), else the
 * value the service reads it as, or its error. Every value a request brings passes here.
 */
export function wellFormed(raw: AttributeValue): AttributeValue {
  // Fast path: one own member, as the SDK and geosim's own requests always send (a switch, not a
  // table of checks: this runs for every value of every write).
  if (typeof raw !== 'object' || raw === null) return readValue(raw);
  let type: string | undefined;
  for (const key in raw) {
    if (type !== undefined) return readValue(raw);
    type = key;
  }
  const m = (raw as Record<string, unknown>)[type as string];
  switch (type) {
    case 'S':
    case 'N':
      if (typeof m === 'string') return raw;
      break;
    case 'B':
      if (typeof m === 'string' && BASE64.test(m)) return raw;
      break;
    case 'BOOL':
      if (typeof m === 'boolean') return raw;
      break;
    case 'NULL':
      if (m === true) return raw;
      break;
    case 'M':
      if (typeof m === 'object' && m !== null && !Array.isArray(m)) return raw;
      break;
    case 'L':
      if (Array.isArray(m)) return raw;
      break;
    case 'SS':
    case 'NS':
      if (Array.isArray(m) && m.every((e) => typeof e === 'string')) return raw;
      break;
    case 'BS':
      if (Array.isArray(m) && m.every((e) => typeof e === 'string' && BASE64.test(e))) return raw;
      break;
  }
  return readValue(raw);
}

/** The slow path of `wellFormed`: what the deserializer makes of any JSON, or its error. */
function readValue(raw: unknown): AttributeValue {
  if (raw === null || raw === undefined) throw validation(NULL_VALUE);
  if (typeof raw !== 'object' || Array.isArray(raw)) throw unexpected(raw, 'an AttributeValue');
  let type: AttributeType | undefined;
  for (const key in raw) {
    const member = (raw as Record<string, unknown>)[key];
    if (member === null || member === undefined || !TYPES.has(key)) continue;
    if (type !== undefined) throw validation(SEVERAL_TYPES);
    type = key as AttributeType;
  }
  if (type === undefined) throw validation(EMPTY_VALUE);
  const member = (raw as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
    case 'N':
      return { [type]: text(member, 'String', type === 'N') } as AttributeValue;
    case 'B':
      return { B: base64(text(member, 'ByteBuffer')) };
    case 'BOOL':
      if (typeof member !== 'boolean') throw unexpected(member, 'a Boolean');
      return { BOOL: member };
    case 'NULL':
      if (member === false) throw validation(NULL_NOT_TRUE);
      if (member !== true) throw unexpected(member, 'a Boolean');
      return { NULL: true };
    case 'M':
      if (typeof member !== 'object' || Array.isArray(member)) throw unexpected(member, 'a map');
      return { M: member as Record<string, AttributeValue> };
    case 'L':
      if (!Array.isArray(member)) throw unexpected(member, 'a list');
      return { L: member as AttributeValue[] };
    case 'SS':
    case 'NS':
    case 'BS':
      return { [type]: setMembers(type, member) } as AttributeValue;
  }
}

const SET_ELEMENT = { SS: 'string', NS: 'number', BS: 'binary' } as const;

function setMembers(type: 'SS' | 'NS' | 'BS', member: unknown): string[] {
  if (!Array.isArray(member)) throw unexpected(member, 'a list');
  const kind = SET_ELEMENT[type];
  return member.map((element: unknown) => {
    if (element === null || element === undefined) throw validation(`One or more parameter values were invalid: An ${kind} set may not have a null ${kind} as a member`);
    const s = text(element, type === 'BS' ? 'ByteBuffer' : 'String', type === 'NS');
    return type === 'BS' ? base64(s) : s;
  });
}

/**
 * A member that takes a string: a JSON boolean or number is read as its text, as DynamoDB Local
 * reads it. The request was parsed into doubles already, so only a number whose text a double keeps
 * is taken: for N one of at most 15 significant digits (its value, however it was spelt), elsewhere
 * a whole number that is exact (`{"S": 1.10}` was "1.10" on the wire, and a double says "1.1").
 */
function text(member: unknown, target: string, numeric = false): string {
  if (typeof member === 'string') return member;
  if (typeof member === 'boolean') return String(member);
  if (typeof member === 'number' && Number.isFinite(member)) {
    const digits = String(member);
    const exact = numeric ? !/e/i.test(digits) && significant(digits) <= 15 : Number.isSafeInteger(member);
    if (exact) return digits;
    throw new DynamoDBError('SerializationException', `NUMBER_VALUE ${digits} can not be converted to a ${target} digit for digit; send it as a string`);
  }
  throw unexpected(member, `a ${target}`);
}

/** Significant digits of a number's text without exponent: "0.0012" has 2, "1200" has 2, "-12.5" has 3. */
function significant(digits: string): number {
  return digits.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

function base64(s: string): string {
  if (!BASE64.test(s)) throw new DynamoDBError('SerializationException', `Invalid base64 in a binary value: "${s.slice(0, 40)}"`);
  return s;
}

/** The SerializationException of JSON of the wrong kind, named as the service's deserializer names it. */
export function unexpected(member: unknown, expected: string): DynamoDBError {
  if (Array.isArray(member)) return new DynamoDBError('SerializationException', 'Start of list found where not expected');
  if (typeof member === 'object' && member !== null) return new DynamoDBError('SerializationException', 'Start of structure or map found where not expected');
  const kind = typeof member === 'string' ? 'STRING_VALUE' : typeof member === 'number' ? 'NUMBER_VALUE' : typeof member === 'boolean' ? `${String(member).toUpperCase()}_VALUE` : 'VALUE';
  return new DynamoDBError('SerializationException', `${kind} can not be converted to ${expected}`);
}
