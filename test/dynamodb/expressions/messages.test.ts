/**
 * DynamoDB's error messages, as DynamoDB Local 3.3.0 (2026-01-16) answered them when probed with
 * @aws-sdk/client-dynamodb; the model must answer each with the same ValidationException text.
 * (checked-against-local.test.ts re-checks many of them against a running Local.)
 */
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/dynamodb/errors.js';
import { applyUpdate, compileExpressions, keyConditionFor, type ExpressionInput } from '../../../src/dynamodb/expressions/index.js';
import type { Item } from '../../../src/dynamodb/values.js';

const ITEM: Item = { pk: { S: 'a' }, n: { N: '5' }, s: { S: 'hello' }, l: { L: [{ N: '1' }] }, ss: { SS: ['a'] } };
const v1 = { ':v': { N: '1' } };
const C = (ConditionExpression: string, values?: ExpressionInput['ExpressionAttributeValues'], names?: Record<string, string>): ExpressionInput => ({
  ConditionExpression,
  ExpressionAttributeValues: values,
  ExpressionAttributeNames: names,
});
const U = (UpdateExpression: string, values?: ExpressionInput['ExpressionAttributeValues'], names?: Record<string, string>): ExpressionInput => ({
  UpdateExpression,
  ExpressionAttributeValues: values,
  ExpressionAttributeNames: names,
});

/** `n` NOTs before a condition (of one operator): an expression of n + 1 operators. */
const nots = (n: number, condition = 'attribute_not_exists(pk)') => `${'NOT '.repeat(n)}${condition}`;
/** `n` SET sums (one operator each), `a0=:v+:v,…`. */
const sums = (n: number) => Array.from({ length: n }, (_, i) => `a${i}=:v+:v`).join(',');
const TOO_MANY = 'The expression contains too many operators; operator count: 301';

/** [what, request, DynamoDB Local's message]. Errors found when compiling. */
const STATIC: Array<[string, ExpressionInput, string]> = [
  ['syntax error, operator twice', C('n = = :v', v1), 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'],
  ['syntax error at the end', C('n = '), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'],
  ['syntax error after AND', C('n < :v AND', v1), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
  ['unclosed parenthesis', C('(n = :v', v1), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"'],
  ['unknown character', C('n @ :v', v1), 'Invalid ConditionExpression: Syntax error; token: "@", near: "n @ :v"'],
  ['first token wrong', C('= n'), 'Invalid ConditionExpression: Syntax error; token: "=", near: "= n"'],
  ['extra token', C('n = :v :v', v1), 'Invalid ConditionExpression: Syntax error; token: ":v", near: ":v :v"'],
  ['name starting with _', C('_a = :v', v1), 'Invalid ConditionExpression: Syntax error; token: "_", near: "_a"'],
  ['name starting with a digit', C('1a = :v', v1), 'Invalid ConditionExpression: Syntax error; token: "1", near: "1a"'],
  ['a path is not a condition', C('n'), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "n"'],
  ['empty expression', C(''), 'Invalid ConditionExpression: The expression can not be empty;'],
  ['reserved word', C('Data = :v', v1), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Data'],
  ['reserved word as written', C('status = :v', v1), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
  ['reserved word before undefined value', C('Data = :q', v1), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Data'],
  ['unused value', C('n = :v', { ':v': { N: '1' }, ':x': { N: '1' } }), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}'],
  ['unused values', C('n = :v', { ':v': { N: '1' }, ':x': { N: '1' }, ':y': { N: '2' } }), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}'],
  ['unused names', C('n = :v', v1, { '#a': 'x', '#b': 'y' }), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}'],
  ['undefined value', C('n = :v'), 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
  ['undefined before unused', C('n = :v', { ':x': { N: '1' } }, { '#q': 'q' }), 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
  ['undefined name', C('#n = :v', v1), 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n'],
  ['empty values', C('n = :v', {}), 'ExpressionAttributeValues must not be empty'],
  ['empty names', C('n = :v', v1, {}), 'ExpressionAttributeNames must not be empty'],
  ['invalid name key', C('n = :v', v1, { x: 'y' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"'],
  ['invalid value key', C('n = :v', { ':v': { N: '1' }, w: { N: '1' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "w"'],
  ['not a number', C('n = :v', { ':v': { N: 'abc' } }), 'ExpressionAttributeValues contains invalid value: A value provided cannot be converted into a number for key :v'],
  ['number overflow', C('n = :v', { ':v': { N: '1e200' } }), 'ExpressionAttributeValues contains invalid value: Number overflow. Attempting to store a number with magnitude larger than supported range for key :v'],
  ['number underflow', C('n = :v', { ':v': { N: '1e-131' } }), 'ExpressionAttributeValues contains invalid value: Number underflow. Attempting to store a number with magnitude smaller than supported range for key :v'],
  ['39 digits', C('n = :v', { ':v': { N: '123456789012345678901234567890123456789' } }), 'ExpressionAttributeValues contains invalid value: DynamoDB only supports precision up to 38 digits for key :v'],
  ['empty string set', C('n = :v', { ':v': { SS: [] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'],
  ['empty number set', C('n = :v', { ':v': { NS: [] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An number set  may not be empty for key :v'],
  ['empty binary set', C('n = :v', { ':v': { BS: [] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Binary sets should not be empty for key :v'],
  ['empty set nested in a map', C('n = :v', { ':v': { M: { a: { SS: [] } } } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'],
  ['duplicate strings', C('n = :v', { ':v': { SS: ['a', 'a'] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection [a, a] contains duplicates for key :v'],
  ['duplicate numbers', C('n = :v', { ':v': { NS: ['1', '1.0'] } }), 'ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :v'],
  ['duplicate binaries', C('n = :v', { ':v': { BS: ['AA==', 'AA=='] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input collection of type BS contains duplicates. for key :v'],
  ['size of a number value', C('size(:w) = :v', { ':v': { N: '1' }, ':w': { N: '1' } }), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N'],
  ['begins_with a number', C('begins_with(n, :v)', v1), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
  ['attribute_type name', C('attribute_type(n, :v)', { ':v': { S: 'X' } }), 'Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}'],
  ['attribute_type number', C('attribute_type(n, :v)', v1), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
  ['unknown function', C('foo(n)'), 'Invalid ConditionExpression: Invalid function name; function: foo'],
  ['function names are case-sensitive', C('SIZE(s) = :v', v1), 'Invalid ConditionExpression: Invalid function name; function: SIZE'],
  ['operand count', C('attribute_exists(n, s)'), 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
  ['function as operand', C('attribute_exists(n) = :v', v1), 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists'],
  ['if_not_exists in a condition', C('if_not_exists(n, :v) = :v', v1), 'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists'],
  ['list_append as a condition', C('list_append(l, :v)', { ':v': { L: [] } }), 'Invalid ConditionExpression: The function is not allowed in a condition expression; function: list_append'],
  ['size as condition', C('size(n)'), 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
  ['document path required', C('attribute_exists(:v)', v1), 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
  ['IN with 101', C(`n IN (${Array.from({ length: 101 }, (_, i) => `:v${i}`).join(',')})`, Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`:v${i}`, { N: String(i) }]))), 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101'],
  ['same path both sides', C('n = n'), 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [n]'],
  ['same path in IN', C('n IN (n, :v)', v1), 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [n]'],
  ['BETWEEN bounds reversed', C('n BETWEEN :b AND :a', { ':a': { N: '1' }, ':b': { N: '9' } }), 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}'],
  ['BETWEEN bounds of two types', C('n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { S: '9' } }), 'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:9}'],
  ['< on a set', C('ss < :v', { ':v': { SS: ['x'] } }), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: SS'],
  ['ADD a string', U('ADD n :v', { ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND'],
  ['ADD a list', U('ADD l :v', { ':v': { L: [] } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND'],
  ['DELETE a number', U('DELETE n :v', v1), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND'],
  ['+ with a string value', U('SET n = n + :v', { ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
  ['- with a string value', U('SET n = :v - n', { ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: S'],
  ['list_append of a string value', U('SET l = list_append(l, :v)', { ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
  ['if_not_exists of a value', U('SET x = if_not_exists(:v, n)', v1), 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
  ['condition function in update', U('SET a = attribute_exists(u)'), 'Invalid UpdateExpression: The function is not allowed in an update expression; function: attribute_exists'],
  ['three operands', U('SET x = :v + :v + :v', v1), 'Invalid UpdateExpression: Syntax error; token: "+", near: ":v + :v"'],
  ['missing =', U('SET x :v', v1), 'Invalid UpdateExpression: Syntax error; token: ":v", near: "x :v"'],
  ['section twice', U('SET a = :v SET b = :v', v1), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
  ['empty update', U(''), 'Invalid UpdateExpression: The expression can not be empty;'],
  ['reserved in update', U('SET m.new = :v', v1), 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: new'],
  ['overlapping paths', U('SET m.b = :v, m.b[0] = :v', v1), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, b], path two: [m, b, [0]]'],
  ['overlap through placeholders', U('SET #m.#b = :v, #m.#b[0] = :v', v1, { '#m': 'm', '#b': 'b' }), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, b], path two: [m, b, [0]]'],
  ['overlap in written order', U('SET m.b[0] = :v REMOVE m', v1), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, b, [0]], path two: [m]'],
  ['same path SET and REMOVE', U('SET a = :v REMOVE a', v1), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
  ['conflicting paths', U('SET l[0] = :v, l.x = :v', v1), 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, x]'],
  ['projection overlap', { ProjectionExpression: 'm, m.b' }, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, b]'],
  ['projection reserved', { ProjectionExpression: 'Data' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Data'],
  ['projection unused name', { ProjectionExpression: 's', ExpressionAttributeNames: { '#x': 'x' } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}'],
  // a Query's key condition is checked after its filter and its projection, as Local checks it
  ['filter syntax error before key condition syntax error', { KeyConditionExpression: 'pk =', FilterExpression: 'x =' }, 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="'],
  ['projection syntax error before key condition reserved word', { KeyConditionExpression: 'name = :p', ProjectionExpression: 'a,', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
  ['filter undefined value before key condition undefined value', { KeyConditionExpression: 'pk = :u', FilterExpression: 'x = :w', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :w'],
  ['filter syntax error before projection syntax error', { KeyConditionExpression: 'pk = :p', FilterExpression: 'x =', ProjectionExpression: 'a,', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="'],
  // more than 300 operators: refused after every other check of the expression (wherever the other
  // mistake stands in it), before the request's unused placeholders and before the next expression
  ['too many operators', C(nots(300)), `Invalid ConditionExpression: ${TOO_MANY}`],
  ['too many operators, in a filter', { FilterExpression: nots(300) }, `Invalid FilterExpression: ${TOO_MANY}`],
  ['too many operators, in a key condition', { KeyConditionExpression: nots(299, 'pk = :p AND sk > :n'), ExpressionAttributeValues: { ':p': { S: 'a' }, ':n': { N: '0' } } }, `Invalid KeyConditionExpression: ${TOO_MANY}`],
  ['too many operators, in an update', U(`SET ${sums(301)}`, v1), `Invalid UpdateExpression: ${TOO_MANY}`],
  ['syntax error after too many operators', C(`${nots(300)} AND`), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
  ['undefined value after too many operators', C(nots(300, 'x = :u')), 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :u'],
  ['undefined name after too many operators', C(nots(300, '#u = :v'), v1), 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #u'],
  ['reserved word after too many operators', C(nots(300, 'name = :v'), v1), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name'],
  ['invalid function after too many operators', C(nots(300, 'foo(x)')), 'Invalid ConditionExpression: Invalid function name; function: foo'],
  ['operand count after too many operators', C(nots(300, 'attribute_exists(x, y)')), 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
  ['IN of 101 after too many operators', C(`${nots(299)} AND x IN (${Array(101).fill(':v').join(',')})`, v1), 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101'],
  ['redundant parentheses after too many operators', C(`${nots(299)} AND ((x = :v))`, v1), 'Invalid ConditionExpression: The expression has redundant parentheses;'],
  ['path of 33 levels before too many operators', C(`${Array(33).fill('m').join('.')} = :v AND ${nots(299)}`, v1), 'Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33'],
  ['BETWEEN bounds before too many operators', C(`x BETWEEN :b AND :a AND ${nots(299)}`, { ':a': { N: '1' }, ':b': { N: '2' } }), 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}'],
  ['operand type before too many operators', C(`x < :l AND ${nots(299)}`, { ':l': { L: [] } }), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: L'],
  ['distinct operands before too many operators', C(`x = x AND ${nots(299)}`), 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [x]'],
  ['conflicting paths before too many operators', U(`SET l[0]=:v, l.x=:v, ${sums(301)}`, v1), 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, x]'],
  ['function not allowed in an update before too many operators', U(`SET b=size(a),${sums(301)}`, v1), 'Invalid UpdateExpression: The function is not allowed in an update expression; function: size'],
  ['too many operators before an unused value', C(nots(300), v1), `Invalid ConditionExpression: ${TOO_MANY}`],
  ['too many operators in an update before a syntax error in its condition', { ...U(`SET ${sums(301)}`, v1), ConditionExpression: 'x =' }, `Invalid UpdateExpression: ${TOO_MANY}`],
  ['too many operators in a filter before a syntax error in the key condition', { KeyConditionExpression: 'pk =', FilterExpression: nots(300) }, `Invalid FilterExpression: ${TOO_MANY}`],
  ['too many operators in a filter before a syntax error in the projection', { FilterExpression: nots(300), ProjectionExpression: 'a,' }, `Invalid FilterExpression: ${TOO_MANY}`],
  ['filter undefined before unused', { KeyConditionExpression: 'pk = :p', FilterExpression: 'y = :y', ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { N: '1' } } }, 'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :y'],
  ['key condition operand type', { KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '1' } } }, 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
];

/** Errors found when applying an update to ITEM (table key: pk). */
const APPLY: Array<[string, ExpressionInput, string]> = [
  ['ADD to a string attribute', U('ADD s :v', v1), 'An operand in the update expression has an incorrect data type'],
  ['ADD a set of another type', U('ADD ss :v', { ':v': { NS: ['1'] } }), 'An operand in the update expression has an incorrect data type'],
  ['DELETE a set of another type', U('DELETE ss :v', { ':v': { NS: ['1'] } }), 'An operand in the update expression has an incorrect data type'],
  ['+ on a string attribute', U('SET n = s + :v', v1), 'An operand in the update expression has an incorrect data type'],
  ['list_append on a string attribute', U('SET l = list_append(s, :v)', { ':v': { L: [] } }), 'An operand in the update expression has an incorrect data type'],
  ['+ on a missing attribute', U('SET n = nope + :v', v1), 'The provided expression refers to an attribute that does not exist in the item'],
  ['index into a string', U('SET s[0] = :v', v1), 'The document path provided in the update expression is invalid for update'],
  ['missing parent map', U('SET q.r = :v', v1), 'The document path provided in the update expression is invalid for update'],
  ['key attribute SET', U('SET pk = :v', { ':v': { S: 'z' } }), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
  ['key attribute REMOVE', U('REMOVE pk'), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
  ['key attribute nested', U('SET pk.x = :v', v1), 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
  ['sum past 38 digits', U('SET n = :a + :a', { ':a': { N: '9.9999999999999999999999999999999999999E+125' } }), 'DynamoDB only supports precision up to 38 digits'],
];

/** Key conditions against (pk S, sk N). */
const KEYS: Array<[string, ExpressionInput, string]> = [
  ['no partition key', { KeyConditionExpression: 'sk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } }, 'Query condition missed key schema element'],
  ['non-key attribute', { KeyConditionExpression: 'pk = :p AND x = :a', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '1' } } }, 'Query condition missed key schema element'],
  ['OR', { KeyConditionExpression: 'pk = :p OR sk = :a', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '1' } } }, 'Invalid operator used in KeyConditionExpression: OR'],
  ['<>', { KeyConditionExpression: 'pk <> :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid operator used in KeyConditionExpression: <>'],
  ['NOT', { KeyConditionExpression: 'NOT pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid operator used in KeyConditionExpression: NOT'],
  ['IN', { KeyConditionExpression: 'pk IN (:p)', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid operator used in KeyConditionExpression: IN'],
  ['attribute_exists', { KeyConditionExpression: 'pk = :p AND attribute_exists(sk)', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
  ['< on partition key', { KeyConditionExpression: 'pk < :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, 'Query key condition not supported'],
  ['value type', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
  // (Local counts the operators first: its NOTs are no key condition either)
  ['too many operators', { KeyConditionExpression: nots(299, 'pk = :p AND sk > :n'), ExpressionAttributeValues: { ':p': { S: 'a' }, ':n': { N: '0' } } }, `Invalid KeyConditionExpression: ${TOO_MANY}`],
  ['too many conditions: too many operators', { KeyConditionExpression: Array(151).fill('pk = :p').join(' AND '), ExpressionAttributeValues: { ':p': { S: 'a' } } }, `Invalid KeyConditionExpression: ${TOO_MANY}`],
  ['three conditions', { KeyConditionExpression: 'pk = :p AND sk = :a AND sk = :a', ExpressionAttributeValues: { ':p': { S: 'a' }, ':a': { N: '1' } } }, 'KeyConditionExpressions must only contain one condition per key'],
];

function errorOf(run: () => unknown): { name: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DynamoDBError) return { name: error.name, message: error.message };
    throw error;
  }
}

describe("DynamoDB Local's messages, found when compiling", () => {
  it.each(STATIC)('%s', (_what, input, message) => {
    expect(errorOf(() => compileExpressions(input))).toEqual({ name: 'ValidationException', message });
  });
});

describe("DynamoDB Local's messages, found when applying an update", () => {
  it.each(APPLY)('%s', (_what, input, message) => {
    expect(errorOf(() => applyUpdate(compileExpressions(input).update!, ITEM, { pk: ITEM.pk! }, ['pk']))).toEqual({ name: 'ValidationException', message });
  });
});

describe("DynamoDB Local's messages for key conditions", () => {
  it.each(KEYS)('%s', (_what, input, message) => {
    const schema = { partitionKey: 'pk', sortKey: 'sk', types: { pk: 'S', sk: 'N' } as const };
    expect(errorOf(() => keyConditionFor(compileExpressions(input).keyCondition!, schema))).toEqual({ name: 'ValidationException', message });
  });
});
