/**
 * KeyConditionExpression against a key schema: `pk = :v`, optionally AND one condition on the sort
 * key (= < <= > >=, BETWEEN, begins_with), either operand order. Messages are DynamoDB Local's.
 */
import { validation } from '../errors.js';
import type { AttributeValue } from '../values.js';
import type { Comparator, Condition, KeyCondition, Operand } from './ast.js';

export type SortKeyOp = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';

export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
  /** Key attribute types (from AttributeDefinitions), to check the values' types as DynamoDB does. */
  types?: Record<string, 'S' | 'N' | 'B'>;
}

export interface KeyConditionParts {
  partition: AttributeValue;
  sort?: { op: SortKeyOp; values: AttributeValue[] };
}

const FLIPPED: Record<Comparator, Comparator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const operatorError = (op: string) => validation(`Invalid operator used in KeyConditionExpression: ${op}`);
const MISSED = 'Query condition missed key schema element';

interface Part {
  attribute: string;
  op: SortKeyOp;
  values: AttributeValue[];
}

function topName(operand: Operand, keys: KeySchema): string | undefined {
  if (operand.kind !== 'path' || operand.path[0]!.kind !== 'name') return undefined;
  // a document path into an attribute (`pk.a`, `pk[0]`), in DynamoDB Local's words: into a key, or into any other attribute
  const name = operand.path[0]!.name;
  if (operand.path.length > 1) {
    if (name === keys.partitionKey || name === keys.sortKey) throw validation(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${name}`);
    throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
  }
  return name;
}

function valueOf(operand: Operand): AttributeValue | undefined {
  return operand.kind === 'value' ? operand.value : undefined;
}

function part(condition: Condition, keys: KeySchema): Part {
  switch (condition.kind) {
    case 'compare': {
      if (condition.op === '<>') throw operatorError('<>');
      let attribute = topName(condition.left, keys);
      let value = valueOf(condition.right);
      let op: Comparator = condition.op;
      if (attribute === undefined) {
        attribute = topName(condition.right, keys);
        value = valueOf(condition.left);
        op = FLIPPED[op];
      }
      if (attribute === undefined || value === undefined) throw validation(MISSED);
      return { attribute, op: op as SortKeyOp, values: [value] };
    }
    case 'between': {
      const attribute = topName(condition.operand, keys);
      const low = valueOf(condition.low);
      const high = valueOf(condition.high);
      if (attribute === undefined || low === undefined || high === undefined) throw validation(MISSED);
      return { attribute, op: 'BETWEEN', values: [low, high] };
    }
    case 'begins_with': {
      const attribute = topName(condition.operand, keys);
      const prefix = valueOf(condition.prefix);
      if (attribute === undefined || prefix === undefined) throw validation(MISSED);
      return { attribute, op: 'begins_with', values: [prefix] };
    }
    case 'and':
      throw validation('KeyConditionExpressions must only contain one condition per key');
    case 'or':
      throw operatorError('OR');
    case 'not':
      throw operatorError('NOT');
    case 'in':
      throw operatorError('IN');
    default:
      throw operatorError(condition.kind);
  }
}

/** Splits a KeyConditionExpression by the key schema (ValidationException when it does not fit it). */
export function keyConditionFor(kc: KeyCondition, schema: KeySchema): KeyConditionParts {
  const parts = kc.kind === 'and' ? [part(kc.left, schema), part(kc.right, schema)] : [part(kc, schema)];
  const partition = parts.find((p) => p.attribute === schema.partitionKey);
  const sort = parts.find((p) => p.attribute !== schema.partitionKey);
  if (partition === undefined) throw validation(MISSED);
  if (parts.length === 2 && sort === undefined) throw validation('KeyConditionExpressions must only contain one condition per key');
  if (sort !== undefined && sort.attribute !== schema.sortKey) throw validation(MISSED);
  if (partition.op !== '=') throw validation('Query key condition not supported');
  for (const p of parts) {
    const type = schema.types?.[p.attribute];
    if (type !== undefined && p.values.some((v) => !(type in v))) {
      throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
  }
  const out: KeyConditionParts = { partition: partition.values[0]! };
  if (sort !== undefined) out.sort = { op: sort.op, values: sort.values };
  return out;
}
