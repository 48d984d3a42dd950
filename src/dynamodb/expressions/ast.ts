/**
 * The syntax trees of DynamoDB's expressions, after placeholders are resolved: what the evaluator,
 * the updater and the projector walk.
 */
import type { AttributeValue } from '../values.js';

/** One step of a document path: an attribute / map key, or a list index. */
export type PathElement = { kind: 'name'; name: string } | { kind: 'index'; index: number };
export type Path = readonly PathElement[];

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A value in a condition or on the right of SET. */
export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand }
  | { kind: 'if_not_exists'; path: Path; fallback: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'arith'; op: '+' | '-'; left: Operand; right: Operand };

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'attribute_exists'; path: Path }
  | { kind: 'attribute_not_exists'; path: Path }
  | { kind: 'attribute_type'; path: Path; type: Operand }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; value: Operand };

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: Operand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD'; path: Path; value: AttributeValue }
  | { kind: 'DELETE'; path: Path; value: AttributeValue };

export interface Update {
  /** In the order written: SET, REMOVE, ADD and DELETE sections may come in any order. */
  actions: UpdateAction[];
}

export interface Projection {
  paths: Path[];
}

/** A KeyConditionExpression is a condition; `keyConditionFor` checks it fits the key schema. */
export type KeyCondition = Condition;

/** A path as DynamoDB's messages print it: `[m, b, [0]]`. */
export function printPath(path: Path): string {
  return `[${path.map((e) => (e.kind === 'name' ? e.name : `[${e.index}]`)).join(', ')}]`;
}
