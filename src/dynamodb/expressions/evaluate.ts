/**
 * Evaluating conditions (ConditionExpression, FilterExpression) against an item, with DynamoDB's
 * rules for what is missing or of another type: a comparison with a missing attribute or across
 * types is false (and `<>` true), `size()` of a number is no value, `begins_with` and `contains`
 * on unsuitable types are false. None of these is an error in DynamoDB.
 */
import { compareValues, equalValues } from '../value-ops.js';
import { typeOf, type AttributeValue, type Item } from '../values.js';
import type { Condition, Operand, Path } from './ast.js';

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item | undefined, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined;
  for (let i = 0; i < path.length; i++) {
    const element = path[i]!;
    if (i === 0) {
      if (item === undefined || element.kind !== 'name' || !Object.hasOwn(item, element.name)) return undefined;
      current = item[element.name];
      continue;
    }
    if (current === undefined) return undefined;
    if (element.kind === 'name') {
      if (!('M' in current) || !Object.hasOwn(current.M, element.name)) return undefined;
      current = current.M[element.name];
    } else {
      if (!('L' in current) || element.index >= current.L.length) return undefined;
      current = current.L[element.index];
    }
  }
  return current;
}

/**
 * DynamoDB's size(): the length of S, bytes of B, elements of sets, L and M. DynamoDB Local counts
 * a string's UTF-16 code units (Java's String.length(): `size("é")` = 1, an emoji = 2), so do we.
 */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

/** An operand's value in a condition, or undefined (missing attribute, size of a number). */
export function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return resolvePath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size': {
      const value = operandValue(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    default:
      throw new Error(`internal: ${operand.kind} in a condition`);
  }
}

function compare(op: string, a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (op === '=') return a !== undefined && b !== undefined && equalValues(a, b);
  if (op === '<>') return !(a !== undefined && b !== undefined && equalValues(a, b));
  if (a === undefined || b === undefined) return false;
  const order = compareValues(a, b);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) {
    const v = Buffer.from(value.B, 'base64');
    const p = Buffer.from(prefix.B, 'base64');
    return p.length <= v.length && v.subarray(0, p.length).equals(p);
  }
  return false;
}

function contains(container: AttributeValue | undefined, value: AttributeValue | undefined): boolean {
  if (container === undefined || value === undefined) return false;
  if ('S' in container) return 'S' in value && container.S.includes(value.S);
  // a Binary contains a Binary that is a run of its bytes (the API reference's CONTAINS)
  if ('B' in container) return 'B' in value && Buffer.from(container.B, 'base64').includes(Buffer.from(value.B, 'base64'));
  if ('SS' in container) return 'S' in value && container.SS.includes(value.S);
  if ('NS' in container) return 'N' in value && container.NS.some((n) => equalValues({ N: n }, value));
  if ('BS' in container) return 'B' in value && container.BS.some((b) => equalValues({ B: b }, value));
  if ('L' in container) return container.L.some((element) => equalValues(element, value));
  return false;
}

/** Whether the condition holds for the item (`undefined`: the item does not exist). */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'compare':
      return compare(condition.op, operandValue(condition.left, item), operandValue(condition.right, item));
    case 'between': {
      const value = operandValue(condition.operand, item);
      return compare('>=', value, operandValue(condition.low, item)) && compare('<=', value, operandValue(condition.high, item));
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      return condition.list.some((o) => compare('=', value, operandValue(o, item)));
    }
    case 'attribute_exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return resolvePath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = resolvePath(item, condition.path);
      const type = operandValue(condition.type, item);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with':
      return beginsWith(operandValue(condition.operand, item), operandValue(condition.prefix, item));
    case 'contains':
      return contains(operandValue(condition.operand, item), operandValue(condition.value, item));
  }
}
