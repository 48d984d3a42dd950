/**
 * DynamoDB's legacy request parameters (`Expected`, `ConditionalOperator`, `AttributeUpdates`,
 * `AttributesToGet`, `KeyConditions`, `QueryFilter`, `ScanFilter`), rewritten as the expression
 * parameters that replaced them, so one evaluator answers both. Older code and libraries still send
 * them, and the service still honours them: ignoring one (a condition!) would answer 200 where
 * DynamoDB refuses. Messages for their mistakes are DynamoDB Local's (the model is checked against
 * it); the semantics are the service's: `NOT_CONTAINS` and every comparison but `NE` and `NULL`
 * are false for a missing attribute, an `AttributeUpdates` entry without `Action` is a `PUT`.
 *
 * @example
 * withoutLegacy('PutItem', { TableName: 'T', Item, Expected: { Id: { Exists: false } } });
 * // → { TableName: 'T', Item, ConditionExpression: 'attribute_not_exists(#l0)', ExpressionAttributeNames: { '#l0': 'Id' } }
 */
import { DynamoDBError, validation } from './errors.js';
import { MAX_IN_OPERANDS } from './expressions/compile.js';
import type { ExpressionInput } from './expressions/compile.js';
import { withoutStrayPlaceholders, type ExpressionUse } from './expressions/stray-placeholders.js';
import { compareValues } from './value-ops.js';
import type { AttributeValue } from './values.js';

type Input = Record<string, unknown>;

/** The legacy parameters each operation takes; other operations take none. */
const LEGACY: Record<string, readonly string[]> = {
  GetItem: ['AttributesToGet'],
  PutItem: ['Expected', 'ConditionalOperator'],
  DeleteItem: ['Expected', 'ConditionalOperator'],
  UpdateItem: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
  Query: ['AttributesToGet', 'KeyConditions', 'QueryFilter', 'ConditionalOperator'],
  Scan: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
};

/** What each operation's expressions are for, as DynamoDB names what its stray placeholders lack (stray-placeholders.ts). */
const USE: Record<string, ExpressionUse> = { GetItem: 'Get', PutItem: 'Put', DeleteItem: 'Delete', UpdateItem: 'Update', Query: 'Query', Scan: 'Scan' };

/** The expression parameters of each operation, which a legacy one may not stand beside (in DynamoDB's order for its message). */
const EXPRESSIONS: Record<string, readonly string[]> = {
  GetItem: ['ProjectionExpression'],
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  UpdateItem: ['ConditionExpression', 'UpdateExpression'],
  Query: ['FilterExpression', 'KeyConditionExpression', 'ProjectionExpression'],
  Scan: ['FilterExpression', 'ProjectionExpression'],
};

/** Comparison operators, with the count of values each takes (`min`..`max`) and the value types it accepts (undefined: any). */
const OPERATORS: Record<string, { min: number; max: number; types?: readonly string[] }> = {
  EQ: { min: 1, max: 1 },
  NE: { min: 1, max: 1 },
  LE: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  LT: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  GE: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  GT: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  NOT_NULL: { min: 0, max: 0 },
  NULL: { min: 0, max: 0 },
  CONTAINS: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  NOT_CONTAINS: { min: 1, max: 1, types: ['S', 'N', 'B'] },
  BEGINS_WITH: { min: 1, max: 1, types: ['S', 'B'] },
  IN: { min: 1, max: Infinity, types: ['S', 'N', 'B'] },
  BETWEEN: { min: 2, max: 2, types: ['S', 'N', 'B'] },
};

const INVALID = 'One or more parameter values were invalid: ';


/**
 * Marks a request (or a BatchGetItem table's entry) whose expressions `withoutLegacy` wrote from
 * legacy parameters: DynamoDB holds those to none of the limits on an expression a caller writes
 * (DynamoDB Local takes a ScanFilter of 400 conditions, 7.7 KB and 799 operators as a
 * FilterExpression, and AttributesToGet of 1,000 names). A symbol: a request from the wire cannot
 * carry one. Not enumerable: the rewrite reads as the request it stands for (a copy is no rewrite).
 */
const REWRITTEN = Symbol('geosim.rewrittenFromLegacy');

function markRewritten(input: Input): Input {
  return Object.defineProperty(input, REWRITTEN, { value: true });
}

/** Whether `withoutLegacy` wrote the expressions of `input` (see REWRITTEN). */
export function rewrittenFromLegacy(input: object): boolean {
  return (input as { [REWRITTEN]?: true })[REWRITTEN] === true;
}

/** Whether a request uses any legacy parameter of its operation (cheap: most requests use none). */
export function usesLegacy(operation: string, input: Input): boolean {
  if (operation === 'BatchGetItem') return isMap(input.RequestItems) && Object.values(input.RequestItems).some((r) => isMap(r) && given(r.AttributesToGet));
  const names = LEGACY[operation];
  if (names === undefined) return false;
  for (const name of names) if (given(input[name])) return true;
  return false;
}

/** A member the request gives: DynamoDB's JSON protocol reads `null` as absent, as the SDK never sends it. */
function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * The request with its legacy parameters rewritten as expressions (the request itself when it has
 * none), or DynamoDB's ValidationException for a malformed or mixed one. BatchGetItem's per-table
 * `AttributesToGet` is rewritten too.
 */
export function withoutLegacy(operation: string, input: Input): Input {
  if (operation === 'BatchGetItem') return batchGetWithoutLegacy(input);
  if (!usesLegacy(operation, input)) return input;
  const legacy = LEGACY[operation]!.filter((name) => given(input[name]));
  const expressions = EXPRESSIONS[operation]!.filter((name) => given(input[name]));
  if (expressions.length > 0) {
    // KeyConditions stands beside a filter or projection expression only when the key condition is an expression too (Local's list)
    const listed = legacy.filter((name) => name !== 'KeyConditions' || expressions.includes('KeyConditionExpression'));
    // (KeyConditions alone beside a filter: Local takes it, the service does not; named, not `{}`)
    const named = listed.length > 0 ? listed : legacy;
    throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${named.sort().join(', ')}} Expression parameters: {${expressions.join(', ')}}`);
  }
  // placeholders of the request's own beside legacy parameters, which use none: refused as beside no expression
  withoutStrayPlaceholders({ ExpressionAttributeNames: input.ExpressionAttributeNames, ExpressionAttributeValues: input.ExpressionAttributeValues } as ExpressionInput, USE[operation]!);
  const out: Input = { ...input };
  for (const name of [...LEGACY[operation]!, 'ExpressionAttributeNames', 'ExpressionAttributeValues']) delete out[name];
  const placeholders = new Placeholders();

  const conditions = operation === 'Query' ? input.QueryFilter : operation === 'Scan' ? input.ScanFilter : input.Expected;
  const joiner = conditionalOperator(input.ConditionalOperator, conditions);
  if (given(conditions)) {
    const text = conditionText(conditions, joiner, placeholders, operation !== 'Query' && operation !== 'Scan');
    if (text !== undefined) out[operation === 'Query' || operation === 'Scan' ? 'FilterExpression' : 'ConditionExpression'] = text;
  }
  if (given(input.KeyConditions)) out.KeyConditionExpression = keyConditionText(input.KeyConditions, placeholders);
  if (given(input.AttributeUpdates)) {
    const text = updateText(input.AttributeUpdates, placeholders);
    if (text !== undefined) out.UpdateExpression = text;
  }
  if (given(input.AttributesToGet)) {
    const text = projectionText(input.AttributesToGet, input.Select, placeholders, () => 'Cannot have two attributes with the same name');
    if (text !== undefined) out.ProjectionExpression = text;
  }
  placeholders.into(out);
  return markRewritten(out);
}

/** BatchGetItem: each table's `AttributesToGet` as its `ProjectionExpression`. */
function batchGetWithoutLegacy(input: Input): Input {
  if (!usesLegacy('BatchGetItem', input)) return input;
  const requests = input.RequestItems as Input;
  const rewritten: Input = {};
  for (const [table, request] of Object.entries(requests)) {
    if (!isMap(request) || !given(request.AttributesToGet)) {
      rewritten[table] = request;
      continue;
    }
    if (given(request.ProjectionExpression)) throw validation('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}');
    withoutStrayPlaceholders({ ExpressionAttributeNames: request.ExpressionAttributeNames } as ExpressionInput, 'Get');
    const placeholders = new Placeholders();
    const { AttributesToGet: _legacy, ExpressionAttributeNames: _names, ...rest } = request;
    const text = projectionText(request.AttributesToGet, undefined, placeholders, (name) => `${INVALID}Duplicate value in attribute name: ${name}`);
    const out: Input = text === undefined ? rest : { ...rest, ProjectionExpression: text };
    placeholders.into(out);
    rewritten[table] = markRewritten(out);
  }
  return { ...input, RequestItems: rewritten };
}

/** Names and values a rewritten request refers to: `#l0`, `:l0`, ... (a legacy request has no placeholders of its own). */
class Placeholders {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, AttributeValue> = {};
  private nameCount = 0;
  private valueCount = 0;

  name(attribute: string): string {
    if (attribute === '') throw validation('Empty attribute name');
    const placeholder = `#l${this.nameCount++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:l${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  into(out: Input): void {
    if (this.nameCount > 0) out.ExpressionAttributeNames = this.names;
    if (this.valueCount > 0) out.ExpressionAttributeValues = this.values;
  }
}

/** ` AND ` or ` OR `: ConditionalOperator joins the conditions of a map with two or more. */
function conditionalOperator(operator: unknown, conditions: unknown): ' AND ' | ' OR ' {
  if (!given(operator)) return ' AND ';
  if (!given(conditions) || (isMap(conditions) && Object.keys(conditions).length === 0)) throw validation('ConditionalOperator cannot be used without Filter or Expected');
  if (isMap(conditions) && Object.keys(conditions).length < 2) throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  if (operator !== 'AND' && operator !== 'OR') throw validation('Member must satisfy enum value set: [AND, OR]');
  return operator === 'OR' ? ' OR ' : ' AND ';
}

/** Expected (with `Exists`/`Value` allowed) or a filter map as one expression; undefined for an empty map. */
function conditionText(conditions: unknown, joiner: string, p: Placeholders, expected: boolean): string | undefined {
  if (!isMap(conditions)) throw validation(`${INVALID}${expected ? 'Expected' : 'Filter'} must be a map`);
  const parts: string[] = [];
  for (const [attribute, condition] of Object.entries(conditions)) {
    if (!isMap(condition)) throw validation(`${INVALID}Condition for Attribute: ${attribute} must be a map`);
    parts.push(expected ? expectedText(attribute, condition, p) : comparisonText(attribute, condition.ComparisonOperator, condition.AttributeValueList, p));
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts.map((part) => `(${part})`).join(joiner);
}

/** One entry of Expected: `Exists`/`Value`, or `ComparisonOperator` with `Value` or `AttributeValueList`. */
function expectedText(attribute: string, c: Input, p: Placeholders): string {
  const has = (key: string) => given(c[key]);
  if (has('Value') && has('AttributeValueList')) throw validation(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${attribute}`);
  if (has('ComparisonOperator')) {
    if (has('Exists')) throw validation(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`);
    const operator = c.ComparisonOperator;
    const spec = typeof operator === 'string' && Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
    if (spec !== undefined && spec.min > 0 && !has('Value') && !has('AttributeValueList')) throw validation(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${operator as string} for Attribute: ${attribute}`);
    return comparisonText(attribute, operator, has('Value') ? [c.Value] : c.AttributeValueList, p);
  }
  if (has('AttributeValueList')) throw validation(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`);
  if (c.Exists === false) {
    if (has('Value')) throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${attribute}`);
    return `attribute_not_exists(${p.name(attribute)})`;
  }
  if (!has('Value')) throw validation(`${INVALID}Value must be provided when Exists is ${c.Exists === true ? 'true' : 'null'} for Attribute: ${attribute}`);
  return `${p.name(attribute)} = ${p.value(c.Value as AttributeValue)}`;
}

/** A ComparisonOperator with its AttributeValueList as an expression on `attribute`. */
function comparisonText(attribute: string, operator: unknown, list: unknown, p: Placeholders): string {
  const spec = typeof operator === 'string' && Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
  if (spec === undefined) throw validation('Comparison type does not exist in DynamoDB');
  const op = operator as string;
  const values = (list ?? []) as AttributeValue[];
  if (!Array.isArray(values) || values.length < spec.min || values.length > spec.max) throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  for (const value of values) {
    const type = typeOf(value);
    if (spec.types !== undefined && !spec.types.includes(type)) throw validation(`${INVALID}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`);
  }
  if (values.length > 1 && values.some((v) => typeOf(v) !== typeOf(values[0]))) throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  if (op === 'BETWEEN' && (compareValues(values[0]!, values[1]!) ?? 0) > 0) throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  const name = p.name(attribute);
  const v = (i: number) => p.value(values[i]!);
  switch (op) {
    case 'EQ':
      return `${name} = ${v(0)}`;
    case 'NE':
      return `${name} <> ${v(0)}`;
    case 'LE':
      return `${name} <= ${v(0)}`;
    case 'LT':
      return `${name} < ${v(0)}`;
    case 'GE':
      return `${name} >= ${v(0)}`;
    case 'GT':
      return `${name} > ${v(0)}`;
    case 'NOT_NULL':
      return `attribute_exists(${name})`;
    case 'NULL':
      return `attribute_not_exists(${name})`;
    case 'CONTAINS':
      return `contains(${name}, ${v(0)})`;
    case 'NOT_CONTAINS':
      // false for a missing attribute, as the service answers (the expression NOT contains() would be true)
      return `attribute_exists(${name}) AND NOT contains(${name}, ${v(0)})`;
    case 'BEGINS_WITH':
      return `begins_with(${name}, ${v(0)})`;
    case 'IN': {
      // an expression's IN takes 100 operands; a legacy IN has no such bound: larger lists as IN groups joined by OR
      const groups: string[] = [];
      for (let i = 0; i < values.length; i += MAX_IN_OPERANDS) groups.push(`${name} IN (${values.slice(i, i + MAX_IN_OPERANDS).map((_, j) => v(i + j)).join(', ')})`);
      return groups.length === 1 ? groups[0]! : `(${groups.join(' OR ')})`;
    }
    default:
      return `${name} BETWEEN ${v(0)} AND ${v(1)}`;
  }
}

/** KeyConditions as a KeyConditionExpression (the expression's checks then refuse what a key condition may not be). */
function keyConditionText(conditions: unknown, p: Placeholders): string {
  if (!isMap(conditions)) throw validation(`${INVALID}KeyConditions must be a map`);
  if (Object.keys(conditions).length === 0) throw validation('Conditions must be at least length 1');
  if (Object.keys(conditions).length > 2) throw validation('Conditions can be of length 1 or 2 only');
  const parts: string[] = [];
  for (const [attribute, condition] of Object.entries(conditions)) {
    if (!isMap(condition)) throw validation(`${INVALID}Condition for Attribute: ${attribute} must be a map`);
    const operator = condition.ComparisonOperator;
    // a key condition takes only these; others are refused in the service's words for a key condition
    if (typeof operator === 'string' && Object.hasOwn(OPERATORS, operator) && !['EQ', 'LE', 'LT', 'GE', 'GT', 'BEGINS_WITH', 'BETWEEN'].includes(operator)) {
      throw validation('Attempted conditional constraint is not an indexable operation');
    }
    parts.push(comparisonText(attribute, operator, condition.AttributeValueList, p));
  }
  return parts.join(' AND ');
}

/** AttributeUpdates as an UpdateExpression; undefined for an empty map (the item is written as it is). */
function updateText(updates: unknown, p: Placeholders): string | undefined {
  if (!isMap(updates)) throw validation(`${INVALID}AttributeUpdates must be a map`);
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  for (const [attribute, update] of Object.entries(updates)) {
    if (!isMap(update)) throw validation(`${INVALID}AttributeUpdates for Attribute: ${attribute} must be a map`);
    const action = update.Action ?? 'PUT';
    if (action !== 'PUT' && action !== 'ADD' && action !== 'DELETE') throw validation('Member must satisfy enum value set: [ADD, DELETE, PUT]');
    const value = update.Value as AttributeValue | undefined;
    if (value === undefined) {
      if (action !== 'DELETE') throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      remove.push(p.name(attribute));
      continue;
    }
    const type = typeOf(value);
    if (action === 'PUT') set.push(`${p.name(attribute)} = ${p.value(value)}`);
    else if (action === 'ADD') {
      if (type === 'L') {
        // ADD to a list appends (a missing attribute becomes the list)
        const name = p.name(attribute);
        set.push(`${name} = list_append(if_not_exists(${name}, ${p.value({ L: [] })}), ${p.value(value)})`);
      } else if (type === 'N' || type === 'SS' || type === 'NS' || type === 'BS') add.push(`${p.name(attribute)} ${p.value(value)}`);
      else throw validation(`${INVALID}ADD action is not supported for the type ${TYPE_WORDS[type] ?? type}`);
    } else {
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw validation(`${INVALID}DELETE action with value is not supported for the type ${TYPE_WORDS[type] ?? type}`);
      del.push(`${p.name(attribute)} ${p.value(value)}`);
    }
  }
  const clauses = [set.length > 0 ? `SET ${set.join(', ')}` : '', remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '', add.length > 0 ? `ADD ${add.join(', ')}` : '', del.length > 0 ? `DELETE ${del.join(', ')}` : ''].filter((c) => c !== '');
  return clauses.length === 0 ? undefined : clauses.join(' ');
}

/** How DynamoDB names a value type in AttributeUpdates' messages. */
const TYPE_WORDS: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', M: 'MAP', L: 'LIST', SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET' };

/** AttributesToGet as a ProjectionExpression; undefined for an empty list (every attribute, as the service answers). */
function projectionText(names: unknown, select: unknown, p: Placeholders, duplicate: (name: string) => string): string | undefined {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw validation(`${INVALID}AttributesToGet must be a list of attribute names`);
  if (names.length === 0) return undefined;
  if (given(select) && select !== 'SPECIFIC_ATTRIBUTES') throw validation(`Cannot specify the AttributesToGet when choosing to get ${select === 'COUNT' ? 'only the Count' : String(select)}`);
  const twice = (names as string[]).find((n, i) => names.indexOf(n) !== i);
  // GetItem, Query and Scan say it in one way, BatchGetItem in another, naming the attribute
  if (twice !== undefined) throw validation(duplicate(twice));
  return (names as string[]).map((n) => p.name(n)).join(', ');
}

/** The type key of an attribute value (`S`, `N`, `SS`, ...). */
function typeOf(value: unknown): string {
  return isMap(value) ? (Object.keys(value)[0] ?? '?') : '?';
}

function isMap(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Runs a request rewritten by `withoutLegacy`, with the few refusals the expressions word otherwise
 * put in the legacy parameters' words (DynamoDB Local's), so a request reads its own mistake.
 */
export function runRewritten<T>(run: () => T, operation: string): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof DynamoDBError) || error.name !== 'ValidationException') throw error;
    const reworded = legacyWords(error.message, operation);
    if (reworded === error.message) throw error;
    throw new DynamoDBError(error.name, reworded, error.extra);
  }
}

function legacyWords(message: string, operation: string): string {
  // a bad value the rewrite carried as `:lN`: the value's own complaint, as the legacy request gets it
  const value = /^ExpressionAttributeValues contains invalid value: (.*) for key :l\d+$/s.exec(message);
  if (value) return value[1]!;
  if (operation === 'Query' && message.startsWith('Filter Expression can only contain non-primary key attributes')) return message.replace('Filter Expression', 'QueryFilter');
  if (operation === 'UpdateItem') {
    if (message.endsWith('An operand in the update expression has an incorrect data type')) return 'Type mismatch for attribute to update';
    const key = /^Invalid UpdateExpression: (Cannot update attribute .*\. This attribute is part of the key)$/.exec(message);
    if (key) return `${INVALID}${key[1]!}`;
  }
  return message;
}

/**
 * A rewritten request's condition with its placeholders filled in (`attribute_not_exists(Id)`,
 * `n = 3`), for a trace to name the condition as the request meant it: display only, never parsed.
 */
export function readableCondition(input: Input): string | undefined {
  const condition = input.ConditionExpression;
  if (typeof condition !== 'string') return undefined;
  const names = (isMap(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {}) as Record<string, string>;
  const values = (isMap(input.ExpressionAttributeValues) ? input.ExpressionAttributeValues : {}) as Record<string, AttributeValue>;
  return condition.replace(/#l\d+|:l\d+/g, (placeholder) => (placeholder.startsWith('#') ? (names[placeholder] ?? placeholder) : valueText(values[placeholder])));
}

/** Where a rewritten read request writes expressions: its own, or per table of a BatchGetItem. */
const READ_EXPRESSIONS = ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'] as const;

/**
 * A read request as a trace shows it: one in legacy parameters (`AttributesToGet`,
 * `KeyConditions`, `QueryFilter`) as the expressions it stands for, with the rewrite's own
 * placeholders filled in (`Id = "A"`, `n, s`), so the model and a real table, which is sent the
 * request as written, trace it alike. Display only, never sent; a request the rewrite refuses is
 * shown as written.
 */
export function readableReadRequest(operation: string, input: Input): Input {
  if (!usesLegacy(operation, input)) return input;
  let rewritten: Input;
  try {
    rewritten = withoutLegacy(operation, input);
  } catch {
    return input;
  }
  if (operation !== 'BatchGetItem') return filledIn(rewritten);
  const requests = rewritten.RequestItems as Input;
  return { ...rewritten, RequestItems: Object.fromEntries(Object.entries(requests).map(([table, request]) => [table, isMap(request) ? filledIn(request as Input) : request])) };
}

/** `input` with the rewrite's placeholders (`#l0`, `:l0`) in its expressions replaced by what they stand for, and dropped from its maps. */
function filledIn(input: Input): Input {
  const names = (isMap(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {}) as Record<string, string>;
  const values = (isMap(input.ExpressionAttributeValues) ? input.ExpressionAttributeValues : {}) as Record<string, AttributeValue>;
  const out: Input = { ...input };
  for (const field of READ_EXPRESSIONS) {
    if (typeof out[field] === 'string') out[field] = (out[field] as string).replace(/#l\d+|:l\d+/g, (p) => (p.startsWith('#') ? (names[p] ?? p) : valueText(values[p])));
  }
  const own = <T>(map: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(map).filter(([k]) => !/^[#:]l\d+$/.test(k)));
  for (const [field, map] of [['ExpressionAttributeNames', names], ['ExpressionAttributeValues', values]] as const) {
    const kept = own(map as Record<string, unknown>);
    if (Object.keys(kept).length > 0) out[field] = kept;
    else delete out[field];
  }
  return out;
}

/** A value as a condition shows it: a number bare, a string quoted, anything else as its JSON. */
function valueText(value: AttributeValue | undefined): string {
  if (value === undefined) return '?';
  if ('N' in value) return value.N;
  if ('S' in value) return JSON.stringify(value.S);
  return JSON.stringify(value);
}
