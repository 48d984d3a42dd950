/**
 * Fixed (expression, item) cases run through the model's expressions module and through DynamoDB
 * Local (checked-against-local.test.ts). Each names the item it runs against (BASE unless `missing`).
 */
import type { AttributeValue, Item } from '../../../src/dynamodb/values.js';

export const BASE: Item = {
  pk: { S: 'a' },
  n: { N: '5' },
  f: { N: '-2.5' },
  s: { S: 'hello' },
  e: { S: '' },
  u: { S: 'héllo😀' },
  b: { B: 'AQID' },
  t: { BOOL: true },
  z: { NULL: true },
  l: { L: [{ N: '1' }, { S: 'x' }, { L: [{ N: '2' }] }] },
  m: { M: { b: { L: [{ N: '0' }, { N: '1' }, { M: { c: { S: 'deep' } } }] }, k: { N: '1' }, 'odd name': { S: 'y' } } },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  bs: { BS: ['AQ==', 'Ag=='] },
};

type Values = Record<string, AttributeValue>;
type Names = Record<string, string>;

export type Case =
  | { kind: 'condition'; name: string; expr: string; names?: Names; values?: Values; missing?: boolean }
  | { kind: 'update'; name: string; expr: string; names?: Names; values?: Values; condition?: string; missing?: boolean }
  | { kind: 'projection'; name: string; expr: string; names?: Names }
  | { kind: 'query'; name: string; expr: string; names?: Names; values?: Values };

const N = (n: string) => ({ N: n });
const S = (s: string) => ({ S: s });
const v1 = { ':v': N('1') };

const cond = (name: string, expr: string, values?: Values, names?: Names, missing?: boolean): Case => ({ kind: 'condition', name, expr, values, names, missing });
const upd = (name: string, expr: string, values?: Values, names?: Names, missing?: boolean): Case => ({ kind: 'update', name, expr, values, names, missing });
const proj = (name: string, expr: string, names?: Names): Case => ({ kind: 'projection', name, expr, names });
const query = (name: string, expr: string, values?: Values, names?: Names): Case => ({ kind: 'query', name, expr, values, names });

export const CASES: Case[] = [
  // comparisons, by type
  cond('number equal across forms', 'n = :v', { ':v': N('5.0') }),
  cond('number less', 'n < :v', { ':v': N('10') }),
  cond('negative decimal order', 'f < :v', { ':v': N('-2.4') }),
  cond('string order by bytes', 's > :v', { ':v': S('Hello') }),
  cond('string with emoji above BMP char', 'u > :v', { ':v': S('héllo\uffff') }),
  cond('binary compare', 'b >= :v', { ':v': { B: 'AQI=' } }),
  cond('cross-type compare is false', 'n < :v', { ':v': S('x') }),
  cond('not equal across types', 'n <> :v', { ':v': S('5') }),
  cond('not equal on missing', 'nope <> :v', v1),
  cond('equal on missing', 'nope = :v', v1),
  cond('bool equal', 't = :v', { ':v': { BOOL: true } }),
  cond('null equal', 'z = :v', { ':v': { NULL: true } }),
  cond('list equal', 'l[2] = :v', { ':v': { L: [N('2.0')] } }),
  cond('map equal', 'm.b[2] = :v', { ':v': { M: { c: S('deep') } } }),
  cond('set equal in another order', 'ss = :v', { ':v': { SS: ['b', 'a'] } }),
  cond('number set equal with other forms', 'ns = :v', { ':v': { NS: ['2.50', '1'] } }),
  cond('empty string equal', 'e = :v', { ':v': S('') }),
  cond('path on both sides', 'n > m.k'),
  cond('value on both sides', ':a < :b', { ':a': N('1'), ':b': N('2') }),
  cond('parenthesised operand', '(n) = :v', { ':v': N('5') }),
  // BETWEEN and IN
  cond('between inclusive', 'n BETWEEN :a AND :b', { ':a': N('5'), ':b': N('6') }),
  cond('between strings', 's BETWEEN :a AND :b', { ':a': S('h'), ':b': S('i') }),
  cond('between missing', 'nope BETWEEN :a AND :b', { ':a': N('1'), ':b': N('6') }),
  cond('between reversed bounds', 'n BETWEEN :a AND :b', { ':a': N('9'), ':b': N('1') }),
  cond('between mixed bounds', 'n BETWEEN :a AND :b', { ':a': N('1'), ':b': S('9') }),
  cond('in list', 'n IN (:a, :b)', { ':a': N('4'), ':b': N('5') }),
  cond('in list no match', 's IN (:a, :b)', { ':a': S('x'), ':b': N('5') }),
  cond('in too many', `n IN (${Array.from({ length: 101 }, (_, i) => `:v${i}`).join(', ')})`, Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`:v${i}`, N(String(i))]))),
  cond('in exactly 100', `n IN (${Array.from({ length: 100 }, (_, i) => `:v${i}`).join(', ')})`, Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`:v${i}`, N(String(i))]))),
  // logic and precedence
  cond('AND binds tighter than OR', 'n = :a OR n = :b AND n = :c', { ':a': N('5'), ':b': N('1'), ':c': N('2') }),
  cond('OR within parentheses', '(n = :a OR n = :b) AND n = :c', { ':a': N('5'), ':b': N('1'), ':c': N('2') }),
  cond('NOT binds tighter than AND', 'NOT n = :a AND n = :b', { ':a': N('1'), ':b': N('5') }),
  cond('NOT NOT', 'NOT NOT n = :a', { ':a': N('5') }),
  cond('lower-case keywords', 'n = :a and not s = :b or n = :b', { ':a': N('5'), ':b': N('7') }),
  // functions
  cond('attribute_exists nested', 'attribute_exists(m.b[2].c)'),
  cond('attribute_exists index past end', 'attribute_exists(m.b[3])'),
  cond('attribute_not_exists', 'attribute_not_exists(nope)'),
  cond('attribute_not_exists on missing item', 'attribute_not_exists(pk)', undefined, undefined, true),
  cond('attribute_type SS', 'attribute_type(ss, :t)', { ':t': S('SS') }),
  cond('attribute_type wrong', 'attribute_type(n, :t)', { ':t': S('S') }),
  cond('attribute_type invalid name', 'attribute_type(n, :t)', { ':t': S('STRING') }),
  cond('attribute_type number operand', 'attribute_type(n, :t)', { ':t': N('1') }),
  cond('begins_with string', 'begins_with(s, :p)', { ':p': S('he') }),
  cond('begins_with binary', 'begins_with(b, :p)', { ':p': { B: 'AQ==' } }),
  cond('begins_with on number attribute', 'begins_with(n, :p)', { ':p': S('5') }),
  cond('begins_with number value', 'begins_with(s, :p)', { ':p': N('5') }),
  cond('contains substring', 'contains(s, :v)', { ':v': S('ell') }),
  cond('contains in string set', 'contains(ss, :v)', { ':v': S('b') }),
  cond('contains in number set', 'contains(ns, :v)', { ':v': N('2.50') }),
  cond('contains in binary set', 'contains(bs, :v)', { ':v': { B: 'Ag==' } }),
  cond('contains in list', 'contains(l, :v)', { ':v': S('x') }),
  cond('contains list in list', 'contains(l, :v)', { ':v': { L: [N('2')] } }),
  cond('contains set value', 'contains(ss, :v)', { ':v': { SS: ['a'] } }),
  cond('size of string (UTF-16 units in Local)', 'size(u) = :v', { ':v': N('7') }),
  cond('size of string is not its bytes', 'size(u) = :v', { ':v': N('10') }),
  cond('size of list', 'size(l) = :v', { ':v': N('3') }),
  cond('size of map', 'size(m) = :v', { ':v': N('3') }),
  cond('size of set', 'size(bs) = :v', { ':v': N('2') }),
  cond('size of binary', 'size(b) = :v', { ':v': N('3') }),
  cond('size of number is no value', 'size(n) = :v', { ':v': N('1') }),
  cond('size of number value', 'size(:w) = :v', { ':v': N('1'), ':w': N('1') }),
  cond('size compared', 'size(s) > size(ss)'),
  cond('size as condition', 'size(s)'),
  cond('function as operand', 'attribute_exists(n) = :v', v1),
  cond('unknown function', 'nofn(n)'),
  cond('wrong arity', 'attribute_exists(n, s)'),
  cond('document path required', 'attribute_exists(:v)', v1),
  cond('same path twice', 'n = n'),
  cond('same path in IN', 'n IN (:v, n)', v1),
  cond('compare set with <', 'ss < :v', { ':v': { SS: ['x'] } }),
  cond('placeholder names', '#a.#b[0] = :v AND #c = :w', { ':v': N('0'), ':w': S('y') }, { '#a': 'm', '#b': 'b', '#c': 'Status' }),
  cond('name with space via placeholder', 'm.#o = :w', { ':w': S('y') }, { '#o': 'odd name' }),
  // errors found before data
  cond('syntax: double operator', 'n = = :v', v1),
  cond('syntax: trailing AND', 'n = :v AND', v1),
  cond('syntax: unclosed paren', '(n = :v', v1),
  cond('syntax: unknown char', 'n @ :v', v1),
  cond('syntax: bare path', 'n'),
  cond('syntax: underscore name', '_a = :v', v1),
  cond('syntax: empty', ''),
  cond('reserved word', 'Data = :v', v1),
  cond('reserved word lower case', 'count = :v', v1),
  cond('contains is accepted as a name', 'contains = :v', v1),
  cond('CONVERT is not reserved in Local', 'convert = :v', v1),
  cond('undefined value', 'n = :nope', v1),
  cond('undefined name', '#nope = :v', v1),
  cond('unused value', 'n = :v', { ':v': N('5'), ':x': N('1') }),
  cond('unused name', 'n = :v', { ':v': N('5') }, { '#x': 'x', '#y': 'y' }),
  cond('invalid number value', 'n = :v', { ':v': N('1e200') }),
  cond('empty set value', 'n = :v', { ':v': { NS: [] } }),
  // updates
  upd('SET plus', 'SET n = n + :v', v1),
  upd('SET minus to negative', 'SET n = :v - n', { ':v': N('1.25') }),
  upd('SET exact decimal', 'SET f = f + :v', { ':v': N('0.1') }),
  upd('SET precision 38 exceeded', 'SET x = :a + :b', { ':a': N('1e38'), ':b': N('0.1') }),
  upd('SET old values on the right', 'SET n = :v, x = n', { ':v': N('7') }),
  upd('SET nested map key', 'SET m.k = :v, m.newKey = :v', v1),
  upd('SET list index replace and append', 'SET l[0] = :v, l[10] = :v', v1),
  upd('SET missing parent', 'SET q.r = :v', v1),
  upd('SET index on non-list', 'SET s[0] = :v', v1),
  upd('SET plus on missing attribute', 'SET x = nope + :v', v1),
  upd('SET plus on string attribute', 'SET x = s + :v', v1),
  upd('SET plus string value', 'SET x = n + :v', { ':v': S('1') }),
  upd('SET if_not_exists', 'SET x = if_not_exists(x, :v), n = if_not_exists(n, :v)', v1),
  upd('SET if_not_exists plus', 'SET x = if_not_exists(x, :v) + :v', v1),
  upd('SET list_append', 'SET l = list_append(l, :v)', { ':v': { L: [S('end')] } }),
  upd('SET list_append front', 'SET l = list_append(:v, l)', { ':v': { L: [S('front')] } }),
  upd('SET list_append non-list attribute', 'SET l = list_append(s, :v)', { ':v': { L: [] } }),
  upd('SET list_append non-list value', 'SET l = list_append(l, :v)', { ':v': S('x') }),
  upd('SET three operands', 'SET x = :v + :v + :v', v1),
  upd('REMOVE attributes and list elements', 'REMOVE s, l[0], m.b[1], nope', undefined),
  upd('REMOVE two elements of one list', 'REMOVE l[0], l[2]'),
  upd('ADD number', 'ADD n :v', v1),
  upd('ADD number nested', 'ADD m.k :v', v1),
  upd('ADD new attributes', 'ADD x :v, y :s', { ':v': N('1'), ':s': { SS: ['q'] } }),
  upd('ADD to string set', 'ADD ss :s', { ':s': { SS: ['b', 'c'] } }),
  upd('ADD to number set', 'ADD ns :s', { ':s': { NS: ['2.50', '3'] } }),
  upd('ADD to string attribute', 'ADD s :v', v1),
  upd('ADD string value', 'ADD n :v', { ':v': S('x') }),
  upd('ADD list value', 'ADD l :v', { ':v': { L: [] } }),
  upd('ADD set of another type', 'ADD ss :v', { ':v': { NS: ['1'] } }),
  upd('DELETE from set', 'DELETE ss :s', { ':s': { SS: ['a', 'zz'] } }),
  upd('DELETE all of a set', 'DELETE bs :s', { ':s': { BS: ['AQ==', 'Ag=='] } }),
  upd('DELETE number value', 'DELETE n :v', v1),
  upd('DELETE from missing', 'DELETE nope :s', { ':s': { SS: ['a'] } }),
  upd('all four sections', 'SET a = :v REMOVE s ADD n :v DELETE ss :s', { ':v': N('1'), ':s': { SS: ['a'] } }),
  upd('section twice', 'SET a = :v SET b = :v', v1),
  upd('lower-case sections', 'set a = :v remove s', v1),
  upd('overlapping paths', 'SET m.b = :v, m.b[0] = :v', v1),
  upd('conflicting paths', 'SET l[0] = :v, l.x = :v', v1),
  upd('same path twice', 'SET a = :v REMOVE a', v1),
  upd('two indexes of one list', 'SET m.b[0] = :v, m.b[1] = :v', v1),
  upd('key attribute', 'SET pk = :v', { ':v': S('z') }),
  upd('reserved word in update', 'SET Name = :v', v1),
  upd('missing item is created', 'SET x = :v ADD c :v', v1, undefined, true),
  upd('syntax: missing =', 'SET x :v', v1),
  upd('empty update', ''),
  upd('placeholders in update', 'SET #s = :s ADD #v :one', { ':s': S('done'), ':one': N('1') }, { '#s': 'Status', '#v': 'Views' }),
  // projections
  proj('nested and indexes', 'm.b[2].c, l[1], l[0], nope, s'),
  proj('index past end and set index', 'm.b[5], ss[0]'),
  proj('placeholder names', '#a, m.#o', { '#a': 'Data', '#o': 'odd name' }),
  proj('overlap', 'm, m.b'),
  proj('duplicate', 's, s'),
  proj('reserved', 'Data'),
  proj('unused name', 's', { '#x': 'x' }),
  // key conditions (table TblS: pk S, sk N)
  query('partition and between', 'pk = :p AND sk BETWEEN :a AND :b', { ':p': S('a'), ':a': N('1'), ':b': N('2') }),
  query('reversed operands', ':p = pk AND :a < sk', { ':p': S('a'), ':a': N('1') }),
  query('begins_with on number sort key', 'pk = :p AND begins_with(sk, :a)', { ':p': S('a'), ':a': N('1') }),
  query('no partition key', 'sk = :a', { ':a': N('1') }),
  query('OR', 'pk = :p OR sk = :a', { ':p': S('a'), ':a': N('1') }),
  query('<> on partition key', 'pk <> :p', { ':p': S('a') }),
  query('< on partition key', 'pk < :p', { ':p': S('a') }),
  query('non-key attribute', 'pk = :p AND x = :a', { ':p': S('a'), ':a': N('1') }),
  query('wrong value type', 'pk = :p', { ':p': N('1') }),
  query('three conditions', 'pk = :p AND sk = :a AND sk = :a', { ':p': S('a'), ':a': N('1') }),
  query('NOT', 'NOT pk = :p', { ':p': S('a') }),
  query('function', 'pk = :p AND attribute_exists(sk)', { ':p': S('a') }),
];

CASES.push(
  cond('function names are case-sensitive', 'CONTAINS(s, :v)', { ':v': S('x') }),
  upd('condition function in update', 'SET a = attribute_exists(s)'),
  upd('size in update', 'SET a = size(s)'),
  upd('invalid name key', 'SET a = :v', v1, { x: 'y' }),
  upd('invalid value key', 'SET a = :v', { ':v': N('1'), w: N('2') }),
);

CASES.push(
  cond('keyword where a name belongs', 'a = :v OR OR b = :v', v1),
  cond('keyword as the first name', 'OR = :v', v1),
  cond('keyword after a dot', 'a.and = :v', v1),
  cond('size is a name too', 'size = :v', v1),
  upd('keyword in a SET list', 'SET a = :v, in = :v', v1),
  upd('keyword as a SET value', 'SET a = remove'),
  upd('keyword in REMOVE', 'SET a = :v REMOVE and', v1),
);

CASES.push(
  cond('Id is not reserved (the AWS docs list it)', 'attribute_not_exists(Id) OR Version < :v', v1),
  upd('Views is reserved', 'ADD Views :one', { ':one': N('1') }),
);

// found by a review against DynamoDB Local (each passed or failed silently in the model)
CASES.push(
  upd('REMOVE a member of a string', 'REMOVE s.c'),
  upd('REMOVE an index of a string', 'REMOVE s[0]'),
  upd('REMOVE an index of a map', 'REMOVE m[0]'),
  upd('REMOVE a member of a list', 'REMOVE l.c'),
  upd('REMOVE through a missing attribute', 'REMOVE nope.c'),
  upd('REMOVE an index of a missing attribute', 'REMOVE nope[0]'),
  upd('REMOVE a missing member of a map', 'REMOVE m.nope'),
  upd('REMOVE an index past the end', 'REMOVE l[9]'),
  cond('contains on binary, a subsequence', 'contains(b, :v)', { ':v': { B: 'AgM=' } }),
  cond('contains on binary, not a subsequence', 'contains(b, :v)', { ':v': { B: 'AwI=' } }),
  cond('contains on binary, empty', 'contains(b, :v)', { ':v': { B: 'AQIDBA==' } }),
  upd('SET several indexes past the end', 'SET l[84] = :a, l[37] = :b, l[17] = :c', { ':a': S('a1'), ':b': S('a2'), ':c': S('a3') }),
  upd('SET indexes past the end and inside', 'SET l[9] = :a, l[1] = :b, l[5] = :c', { ':a': S('a1'), ':b': S('a2'), ':c': S('a3') }),
  upd('list_append inside list_append', 'SET q = list_append(list_append(:a, :b), :c)', { ':a': { L: [N('1')] }, ':b': { L: [N('2')] }, ':c': { L: [N('3')] } }),
  upd('arithmetic inside if_not_exists', 'SET q = if_not_exists(q, :v + :w)', { ':v': N('1'), ':w': N('2') }),
  upd('if_not_exists inside list_append', 'SET l = list_append(if_not_exists(l, :e), :v)', { ':e': { L: [] }, ':v': { L: [N('9')] } }),
);
CASES.push(
  upd('if_not_exists inside if_not_exists', 'SET q = if_not_exists(q, if_not_exists(r, :v))', v1),
  upd('list_append inside if_not_exists', 'SET q = if_not_exists(q, list_append(:a, :b))', { ':a': { L: [N('1')] }, ':b': { L: [N('2')] } }),
  upd('list_append as the second operand of list_append', 'SET q = list_append(:a, list_append(:b, :c))', { ':a': { L: [N('1')] }, ':b': { L: [N('2')] }, ':c': { L: [N('3')] } }),
  upd('arithmetic inside list_append', 'SET q = list_append(:a + :b, :c)', { ':a': N('1'), ':b': N('2'), ':c': { L: [] } }),
  upd('if_not_exists plus if_not_exists', 'SET q = if_not_exists(q, :v) + if_not_exists(r, :v)', v1),
  upd('REMOVE a member of a missing map member', 'REMOVE m.nope.x'),
  upd('REMOVE a member of a list element that is not a map', 'REMOVE l[0].x'),
  upd('REMOVE an index of a list element that is a list', 'REMOVE l[2][0]'),
);
CASES.push(
  upd('DELETE through a missing attribute', 'DELETE nope.c :s', { ':s': { SS: ['a'] } }),
  upd('DELETE a member of a string', 'DELETE s.c :s', { ':s': { SS: ['a'] } }),
  upd('DELETE a missing member of a map', 'DELETE m.nope :s', { ':s': { SS: ['a'] } }),
  upd('DELETE through a missing attribute of a missing item', 'DELETE nope.c :s', { ':s': { SS: ['a'] } }, undefined, true),
);
