/**
 * ExpressionAttributeNames and ExpressionAttributeValues sent without an expression that could use
 * them. DynamoDB refuses them before it compiles anything (and before it checks the item or key),
 * naming the expressions the request lacks; an empty map beside no expression at all is taken as
 * absent. Probed against DynamoDB Local 2026-11-30 (test/dynamodb/operations/stray-placeholders.test.ts).
 */
import { validation } from '../errors.js';
import type { ExpressionInput } from './compile.js';

/** What a request's expressions are for: an item operation (or a transaction's entry of that kind), a Query or a Scan, a read of items. */
export type ExpressionUse = 'Put' | 'Delete' | 'Update' | 'ConditionCheck' | 'Query' | 'Scan' | 'Get';

/** The expressions of each use that take values, in the order DynamoDB's message names them; a Get takes none (its values are not read). */
const VALUE_EXPRESSIONS: Record<ExpressionUse, readonly (keyof ExpressionInput)[] | undefined> = {
  Put: ['ConditionExpression'],
  Delete: ['ConditionExpression'],
  ConditionCheck: ['ConditionExpression'],
  Update: ['UpdateExpression', 'ConditionExpression'],
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
  Get: undefined,
};

const EXPRESSION_MEMBERS = ['ConditionExpression', 'UpdateExpression', 'ProjectionExpression', 'KeyConditionExpression', 'FilterExpression'] as const;

function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** DynamoDB's refusal of values sent to a request of `use` without any expression that takes them. */
function valuesWithoutExpressions(use: Exclude<ExpressionUse, 'Get'>): Error {
  const missing = VALUE_EXPRESSIONS[use]!;
  return validation(`ExpressionAttributeValues can only be specified when using expressions: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} null`);
}

const NAMES_WITHOUT_EXPRESSIONS = 'ExpressionAttributeNames can only be specified when using expressions';

/**
 * `input` as the expression compiler should read it: throws DynamoDB's ValidationException for
 * names without any expression, or values without one that takes values; drops an empty map that
 * stands beside no expression at all (DynamoDB accepts it; beside an expression it is refused as
 * empty by the compiler).
 */
export function withoutStrayPlaceholders(input: ExpressionInput, use: ExpressionUse): ExpressionInput {
  const anyExpression = EXPRESSION_MEMBERS.some((name) => given(input[name]));
  if (anyExpression) {
    const takesValues = VALUE_EXPRESSIONS[use];
    if (takesValues !== undefined && nonEmpty(input.ExpressionAttributeValues) && !takesValues.some((name) => given(input[name]))) throw valuesWithoutExpressions(use as Exclude<ExpressionUse, 'Get'>);
    return input;
  }
  if (nonEmpty(input.ExpressionAttributeNames)) throw validation(NAMES_WITHOUT_EXPRESSIONS);
  if (use !== 'Get' && nonEmpty(input.ExpressionAttributeValues)) throw valuesWithoutExpressions(use);
  if (!given(input.ExpressionAttributeNames) && !given(input.ExpressionAttributeValues)) return input;
  const { ExpressionAttributeNames: _names, ExpressionAttributeValues: _values, ...rest } = input;
  return rest;
}
