import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition } from '../../app/condition.js';
import type { AttributeValue } from '../../app/item.js';
import { marshallValue } from './attribute-codec.js';

/**
 * Builds DynamoDB expression strings with `#nN` / `:vN` placeholders, so attribute names that are
 * reserved words or contain `:` (like `aws:rep:updatetime`) and every value travel safely.
 * One builder serves one request: condition and update expressions share its placeholder maps.
 */
export class ExpressionBuilder {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, SdkAttributeValue> = {};
  private valueCount = 0;

  /** `marshal` turns a value into DynamoDB's typed form (the SDK's codec by default; the model passes its own). */
  constructor(private readonly marshal: (value: AttributeValue) => unknown = marshallValue) {}

  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.names.size}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = this.marshal(value) as SdkAttributeValue;
    return placeholder;
  }

  /** Translates the application's condition tree into a `ConditionExpression`. */
  condition(condition: Condition): string {
    switch (condition.kind) {
      case 'attribute-not-exists':
        return `attribute_not_exists(${this.name(condition.attribute)})`;
      case 'attribute-exists':
        return `attribute_exists(${this.name(condition.attribute)})`;
      case 'equals':
        return `${this.name(condition.attribute)} = ${this.value(condition.value)}`;
      case 'less-than':
        return `${this.name(condition.attribute)} < ${this.value(condition.value)}`;
      case 'and':
        // DynamoDB has no literal true/false: an empty AND is always true, an empty OR never.
        if (condition.all.length === 0) return this.always(true);
        return condition.all.map((c) => this.part(c)).join(' AND ');
      case 'or':
        if (condition.any.length === 0) return this.always(false);
        return condition.any.map((c) => this.part(c)).join(' OR ');
    }
  }

  /** A part of an AND or OR, in parentheses unless it is a group already: DynamoDB refuses `((…))` as redundant. */
  private part(condition: Condition): string {
    const text = this.condition(condition);
    // an AND or OR of one part is that part in parentheses; of none, `always`'s group
    const grouped = (condition.kind === 'and' && condition.all.length <= 1) || (condition.kind === 'or' && condition.any.length <= 1);
    return grouped ? text : `(${text})`;
  }

  private always(truth: boolean): string {
    const id = this.name('Id');
    return truth ? `(attribute_exists(${id}) OR attribute_not_exists(${id}))` : `(attribute_exists(${id}) AND attribute_not_exists(${id}))`;
  }

  /** The placeholder maps to send with the request (omitted when empty, as the API requires). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, SdkAttributeValue>;
  } {
    const out: {
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, SdkAttributeValue>;
    } = {};
    if (this.names.size > 0) {
      const names: Record<string, string> = {};
      for (const [name, placeholder] of this.names) names[placeholder] = name;
      out.ExpressionAttributeNames = names;
    }
    // one builder serves one request: its value map is handed over, not copied
    if (this.valueCount > 0) out.ExpressionAttributeValues = this.values;
    return out;
  }
}

/** `SET #a = :x, ... ADD #b :y, ...` for an update op; `undefined` when there is nothing to change. */
export function updateExpression(
  builder: ExpressionBuilder,
  set: Record<string, AttributeValue>,
  add: Record<string, number>,
): string | undefined {
  const sets = Object.entries(set).map(([name, value]) => `${builder.name(name)} = ${builder.value(value)}`);
  const adds = Object.entries(add).map(([name, value]) => `${builder.name(name)} ${builder.value(value)}`);
  const parts: string[] = [];
  if (sets.length > 0) parts.push(`SET ${sets.join(', ')}`);
  if (adds.length > 0) parts.push(`ADD ${adds.join(', ')}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
