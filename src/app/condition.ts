import type { AttributeValue, Item } from './item.js';
import { sameValue } from './item.js';

/**
 * A condition on the current item, as a small tree rather than a DynamoDB expression string, so
 * the in-memory replica can evaluate it and the DynamoDB backend can translate it
 * (`ConditionExpression` with placeholders). Only what the application needs is here.
 */
export type Condition =
  | { kind: 'attribute-not-exists'; attribute: string }
  | { kind: 'attribute-exists'; attribute: string }
  | { kind: 'equals'; attribute: string; value: AttributeValue }
  | { kind: 'less-than'; attribute: string; value: number | string }
  | { kind: 'and'; all: Condition[] }
  | { kind: 'or'; any: Condition[] };

export const notExists = (attribute = 'Id'): Condition => ({ kind: 'attribute-not-exists', attribute });
export const exists = (attribute = 'Id'): Condition => ({ kind: 'attribute-exists', attribute });
export const equals = (attribute: string, value: AttributeValue): Condition => ({ kind: 'equals', attribute, value });
export const lessThan = (attribute: string, value: number | string): Condition => ({ kind: 'less-than', attribute, value });
export const and = (...all: Condition[]): Condition => ({ kind: 'and', all });
export const or = (...any: Condition[]): Condition => ({ kind: 'or', any });

/** Evaluates a condition against the item as stored in one replica (absent = undefined). */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'attribute-not-exists':
      return item === undefined || !Object.hasOwn(item, condition.attribute);
    case 'attribute-exists':
      return item !== undefined && Object.hasOwn(item, condition.attribute);
    case 'equals':
      return item !== undefined && sameValue(item[condition.attribute], condition.value);
    case 'less-than': {
      const v = item?.[condition.attribute];
      return (typeof v === 'number' || typeof v === 'string') && typeof v === typeof condition.value && v < condition.value;
    }
    case 'and':
      return condition.all.every((c) => evaluateCondition(c, item));
    case 'or':
      return condition.any.some((c) => evaluateCondition(c, item));
  }
}

/** Renders a condition the way DynamoDB would spell it, for traces and diagrams. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'attribute-not-exists':
      return `attribute_not_exists(${condition.attribute})`;
    case 'attribute-exists':
      return `attribute_exists(${condition.attribute})`;
    case 'equals':
      return `${condition.attribute} = ${JSON.stringify(condition.value)}`;
    case 'less-than':
      return `${condition.attribute} < ${JSON.stringify(condition.value)}`;
    case 'and':
      return condition.all.map((c) => wrap(c)).join(' AND ');
    case 'or':
      return condition.any.map((c) => wrap(c)).join(' OR ');
  }
}

function wrap(c: Condition): string {
  const s = describeCondition(c);
  return c.kind === 'and' || c.kind === 'or' ? `(${s})` : s;
}
