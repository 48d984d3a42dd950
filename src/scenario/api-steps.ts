/**
 * Steps in DynamoDB's own syntax (issue 11 item 8): telling them from the short forms, turning them
 * into DynamoDB API requests, and refusing at load time what DynamoDB would refuse that the file
 * alone shows. The checks run the model's own request preparation (src/dynamodb/operations) against
 * an empty copy of the scenario's table, so the messages are the ones the model (and DynamoDB)
 * gives; a step that loads can still fail at run time for what the item holds.
 */
import { DEFAULT_TABLE_NAME, IDEMPOTENCY_INDEX } from '../backends/dynamodb/schema.js';
import { dynamoJsonHint } from './wire-form.js';
import { SCENARIO_TABLE_DEFINITION } from '../sim/replica.js';
import { Database } from '../dynamodb/database.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import { UPDATE_MESSAGES } from '../dynamodb/expressions/index.js';
import { getItem, prepareDelete, preparePut, prepareUpdate } from '../dynamodb/operations/items.js';
import { query } from '../dynamodb/operations/query.js';
import { fromPlain, tagOf, toPlain, type PlainValue } from '../dynamodb/plain.js';
import type { AttributeMap } from '../dynamodb/values.js';
import type { AttributeValue } from '../app/item.js';
import type { DocPath, PathProblem } from './problems.js';
import type { ApiRequest, ItemExpectation } from './model.js';
import { isExpressionPut, type DeleteExpressionYaml, type PutExpressionYaml, type QueryYaml, type ReadExpressionYaml, type ScenarioParsed, type UpdateExpressionYaml } from './schema.js';
import { attributeProblems } from './item-checks.js';

type RawStep = ScenarioParsed['steps'][number];

/** A step written in DynamoDB syntax, with the YAML it was written as. */
export type ExpressionStep =
  | { action: 'put'; region: string; yaml: PutExpressionYaml }
  | { action: 'update'; region: string; yaml: UpdateExpressionYaml }
  | { action: 'delete'; region: string; yaml: DeleteExpressionYaml }
  | { action: 'read'; region: string; yaml: ReadExpressionYaml }
  | { action: 'query'; region: string; yaml: QueryYaml };

/** Keys only the short form of an action has, and keys only its DynamoDB syntax has. */
const FORM_KEYS: Record<string, { short: string[]; dynamodb: string[] }> = {
  update: { short: ['id', 'set', 'add'], dynamodb: ['key', 'expression', 'table', 'names', 'values'] },
  delete: { short: ['id'], dynamodb: ['key', 'table', 'names', 'values'] },
  read: { short: ['item', 'consistency'], dynamodb: ['key', 'table', 'projection', 'names', 'consistent'] },
};

/**
 * A step that mixes the short form's keys with DynamoDB syntax (`id` with `expression`): one
 * problem that names both, instead of each alternative's complaints about the other's keys.
 */
export function mixedFormProblem(path: DocPath, value: unknown): PathProblem | undefined {
  const action = String(path[path.length - 1]);
  const forms = Object.hasOwn(FORM_KEYS, action) ? FORM_KEYS[action]! : undefined;
  if (forms === undefined || path[0] !== 'steps' || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const short = keys.filter((k) => forms.short.includes(k));
  const dynamodb = keys.filter((k) => forms.dynamodb.includes(k));
  if (short.length === 0 || dynamodb.length === 0) return undefined;
  return {
    path: [...path, short[0]!],
    atKey: true,
    code: 'mixed-forms',
    message: `this ${action} mixes the short form (${short.join(', ')}) with DynamoDB syntax (${dynamodb.join(', ')})`,
    hint: `DynamoDB syntax: ${forms.dynamodb.join(', ')}${action === 'update' ? ', condition' : ''}; short form: ${forms.short.join(', ')}`,
  };
}

/** The table's key attributes: an update may not change them (infra/template.yaml). */
const KEY_ATTRIBUTES = ['Id'];

/**
 * The step in DynamoDB syntax, or undefined for a short form. A `key` (update, delete, read) tells
 * them apart; a put is in DynamoDB syntax when its condition is a string, it names a table or
 * placeholders, or its item holds a typed value ($SS, ...) that only DynamoDB syntax reads as one.
 */
export function expressionStep(step: RawStep): ExpressionStep | undefined {
  if (step.query) return { action: 'query', region: step.query.region, yaml: step.query };
  if (step.update && 'key' in step.update) return { action: 'update', region: step.update.region, yaml: step.update };
  if (step.delete && 'key' in step.delete) return { action: 'delete', region: step.delete.region, yaml: step.delete };
  if (step.read && 'key' in step.read) return { action: 'read', region: step.read.region, yaml: step.read };
  if (step.put && isExpressionPut(step.put)) return { action: 'put', region: step.put.region, yaml: step.put as PutExpressionYaml };
  return undefined;
}

const OPERATIONS = { put: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem', read: 'GetItem', query: 'Query' } as const;

/**
 * The scenario's own tables when it declares them (`tables:`): a scratch database holding them,
 * for the load-time checks, and the first one's name, the default `table` of a step.
 */
export interface DeclaredTables {
  db: Database;
  primary: string;
}

/** The DynamoDB request of a step that passed `expressionStepProblems`; `table` defaults to `defaultTable`. */
export function toApiRequest(step: ExpressionStep, defaultTable: string = DEFAULT_TABLE_NAME): ApiRequest {
  const { input, expect } = build(step, defaultTable);
  return { action: step.action, operation: OPERATIONS[step.action], input, ...(expect !== undefined ? { expect } : {}) };
}

/** A plain YAML mapping of values as wire attribute values; throws where one has no DynamoDB form. */
function marshal(values: Record<string, unknown>): AttributeMap {
  const out = Object.create(null) as AttributeMap;
  for (const name of Object.keys(values)) out[name] = fromPlain(values[name] as PlainValue);
  return out;
}

/** An expected item with its typed forms canonical (sets sorted, numbers canonical), as results print. */
function canonicalExpectation(expected: Record<string, unknown>): Record<string, AttributeValue> {
  const out = Object.create(null) as Record<string, AttributeValue>;
  for (const name of Object.keys(expected)) out[name] = toPlain(fromPlain(expected[name] as PlainValue)) as AttributeValue;
  return out;
}

function build(step: ExpressionStep, defaultTable: string): { input: Record<string, unknown>; expect?: ApiRequest['expect'] } {
  const y = step.yaml;
  const input: Record<string, unknown> = { TableName: y.table ?? defaultTable };
  if (y.names !== undefined) input.ExpressionAttributeNames = { ...y.names };
  if ('values' in y && y.values !== undefined) input.ExpressionAttributeValues = marshal(y.values);
  switch (step.action) {
    case 'put':
      input.Item = marshal(step.yaml.item);
      if (step.yaml.condition !== undefined) input.ConditionExpression = step.yaml.condition;
      return { input };
    case 'update':
      input.Key = marshal(step.yaml.key);
      input.UpdateExpression = step.yaml.expression;
      if (step.yaml.condition !== undefined) input.ConditionExpression = step.yaml.condition;
      return { input };
    case 'delete':
      input.Key = marshal(step.yaml.key);
      if (step.yaml.condition !== undefined) input.ConditionExpression = step.yaml.condition;
      return { input };
    case 'read': {
      input.Key = marshal(step.yaml.key);
      if (step.yaml.projection !== undefined) input.ProjectionExpression = step.yaml.projection;
      if (step.yaml.consistent !== undefined) input.ConsistentRead = step.yaml.consistent;
      const e = step.yaml.expect;
      if (e === undefined) return { input };
      return { input, expect: { item: e === null ? null : (canonicalExpectation(e) as ItemExpectation) } };
    }
    case 'query': {
      const q = step.yaml;
      if (q.index !== undefined) input.IndexName = q.index;
      input.KeyConditionExpression = q.key;
      if (q.filter !== undefined) input.FilterExpression = q.filter;
      if (q.projection !== undefined) input.ProjectionExpression = q.projection;
      if (q.limit !== undefined) input.Limit = q.limit;
      if (q.consistent !== undefined) input.ConsistentRead = q.consistent;
      if (q.forward !== undefined) input.ScanIndexForward = q.forward;
      if (q.expect === undefined) return { input };
      return {
        input,
        expect: { ...(q.expect.count !== undefined ? { count: q.expect.count } : {}), ...(q.expect.items !== undefined ? { items: q.expect.items.map(canonicalExpectation) } : {}) },
      };
    }
  }
}

/**
 * What DynamoDB would refuse in this step, read from the file alone, each at its node: values with
 * no DynamoDB form (an empty set, an invalid number), then what the request itself breaks (a parse
 * error, unused or undefined placeholders, overlapping paths, a wrong key, an unknown table or
 * index, a key attribute in an update), in DynamoDB's words.
 */
export function expressionStepProblems(step: ExpressionStep, path: DocPath, declared?: DeclaredTables): PathProblem[] {
  const y = step.yaml as Record<string, unknown>;
  const valueProblems: PathProblem[] = [];
  for (const field of ['item', 'key', 'values'] as const) {
    const values = y[field];
    if (values === null || typeof values !== 'object') continue;
    // Numbers YAML cannot hold exactly first (a double beyond 2^53), then what DynamoDB cannot hold.
    const inexact = attributeProblems(values as Record<string, unknown>, [...path, field]);
    valueProblems.push(...(inexact.length > 0 ? inexact : plainProblems(values as Record<string, unknown>, [...path, field])));
  }
  const expect = y.expect as Record<string, unknown> | null | undefined;
  if (step.action === 'read' && expect) valueProblems.push(...plainProblems(expect, [...path, 'expect']));
  if (step.action === 'query' && Array.isArray(expect?.items)) {
    (expect.items as Record<string, unknown>[]).forEach((item, i) => valueProblems.push(...plainProblems(item, [...path, 'expect', 'items', i])));
  }
  if (valueProblems.length > 0) return valueProblems;

  const { input } = build(step, declared?.primary ?? DEFAULT_TABLE_NAME);
  const refused = (error: DynamoDBError, field: string, atKey = false): PathProblem => ({
    path: field === '' ? path : [...path, ...field.split('\u0000')],
    ...(atKey ? { atKey } : {}),
    code: 'dynamodb-refuses',
    message: `DynamoDB refuses this ${step.action} (${error.name}): ${error.message}`,
    ...hintFor(error, step, declared),
  });
  try {
    const db = declared?.db ?? scenarioDatabase();
    switch (step.action) {
      case 'put':
        preparePut(db, input);
        break;
      case 'delete':
        prepareDelete(db, input);
        break;
      case 'read':
        getItem(db, input);
        break;
      case 'query':
        query(db, input);
        break;
      case 'update': {
        const write = prepareUpdate(db, input);
        // DynamoDB refuses an update of a key attribute whatever the item holds (the model finds
        // it only while applying the update, so it is checked here on the compiled actions).
        const keyNames = declared !== undefined ? db.table(input.TableName).keyNames : KEY_ATTRIBUTES;
        const keyAction = write.update?.actions.find((a) => a.path.length >= 1 && a.path[0]!.kind === 'name' && keyNames.includes(a.path[0]!.name));
        if (keyAction) {
          const name = (keyAction.path[0] as { name: string }).name;
          return [refused(new DynamoDBError('ValidationException', UPDATE_MESSAGES.keyAttribute(name)), 'expression')];
        }
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    const at = fieldOf(error, step, y);
    return [refused(error, at.field, at.atKey)];
  }
  return [];
}

/**
 * What DynamoDB refuses in the values a short-form step writes or compares (an event's data and
 * add, an update's set and add, a condition's values): numbers it or a YAML double cannot hold,
 * empty names, too deep a nesting (attributeProblems), and then values with no DynamoDB form (an
 * empty set, `$N: abc`), each at its node, so the run never meets them.
 */
export function writtenValueProblems(values: Record<string, unknown>, path: DocPath, level = 1): PathProblem[] {
  const problems = attributeProblems(values, path, level);
  return problems.length > 0 ? problems : plainProblems(values, path);
}

/** Values with no DynamoDB form, each at the deepest node that has none. */
function plainProblems(values: Record<string, unknown>, path: DocPath): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const name of Object.keys(values)) {
    const reason = plainError(values[name]);
    if (reason === undefined) continue;
    problems.push({
      path: deepestFailing(values[name], [...path, name]),
      code: 'bad-value',
      message: `DynamoDB cannot hold this value: ${reason}`,
      hint: 'typed values are {$SS: [a, b]}, {$NS: [1, 2]}, {$BS: [base64]}, {$B: base64}, {$N: "digits"}; everything else is plain YAML',
    });
  }
  return problems;
}

function plainError(value: unknown): string | undefined {
  try {
    fromPlain(value as PlainValue);
    return undefined;
  } catch (error) {
    if (error instanceof DynamoDBError) return error.message;
    if (error instanceof Error && 'reason' in error) return String((error as { reason: unknown }).reason);
    throw error;
  }
}

/** The innermost list element or map entry of a failing value that fails on its own. */
function deepestFailing(value: unknown, path: DocPath): DocPath {
  if (value === null || typeof value !== 'object') return path;
  if (!Array.isArray(value) && tagOf(value as Record<string, PlainValue>) !== undefined) return path;
  for (const [k, v] of Object.entries(value)) {
    if (plainError(v) !== undefined) return deepestFailing(v, [...path, Array.isArray(value) ? Number(k) : k]);
  }
  return path;
}

/** Where in the step DynamoDB's message points: the expression, placeholder, key or table it names. */
function fieldOf(error: DynamoDBError, step: ExpressionStep, y: Record<string, unknown>): { field: string; atKey?: boolean } {
  const m = error.message;
  const expression = /^Invalid (Update|Condition|Projection|KeyCondition|Filter)Expression/.exec(m);
  if (expression) {
    const field = { Update: 'expression', Condition: 'condition', Projection: 'projection', KeyCondition: 'key', Filter: 'filter' }[expression[1] as 'Update'];
    return { field };
  }
  const placeholders = /ExpressionAttribute(Names|Values)/.exec(m);
  if (placeholders) {
    const field = placeholders[1] === 'Names' ? 'names' : 'values';
    const named = /keys: \{([^,}]+)/.exec(m)?.[1] ?? /for key (\S+)$/.exec(m)?.[1] ?? /key: "([^"]+)"/.exec(m)?.[1];
    const map = y[field] as Record<string, unknown> | undefined;
    if (named !== undefined && map !== undefined && Object.hasOwn(map, named)) return { field: `${field}\u0000${named}`, atKey: true };
    return { field: map !== undefined ? field : '' };
  }
  if (error.name === 'ResourceNotFoundException' || /table\/index name/.test(m)) return { field: y.table !== undefined ? 'table' : '' };
  if (/index/i.test(m) && y.index !== undefined) return { field: 'index' };
  if (/[Kk]ey/.test(m)) return { field: step.action === 'put' ? 'item' : 'key' };
  if (/[Ii]tem size/.test(m) && step.action === 'put') return { field: 'item' };
  if (/Limit/.test(m) && y.limit !== undefined) return { field: 'limit' };
  return { field: '' };
}

function hintFor(error: DynamoDBError, step: ExpressionStep, declared: DeclaredTables | undefined): { hint?: string } {
  const wire = /Invalid attribute value type|Type mismatch/.test(error.message) ? wireFormHint(step) : undefined;
  if (wire !== undefined) return { hint: wire };
  const reserved = /reserved keyword: (\w+)$/.exec(error.message)?.[1];
  if (reserved !== undefined) return { hint: `${reserved} is one of DynamoDB's reserved words: write #${reserved.toLowerCase()} in its place and add names: { '#${reserved.toLowerCase()}': ${reserved} }` };
  if (declared !== undefined) return declaredHint(error, step, declared);
  if (error.name === 'ResourceNotFoundException') return { hint: `the model holds the scenario's table, ${DEFAULT_TABLE_NAME} (partition key Id, index ${IDEMPOTENCY_INDEX}); leave out \`table\`` };
  if (/part of the key/.test(error.message)) return { hint: 'the step\'s `key` names the item; to move an item, delete it and put a new one' };
  if (/required keys/.test(error.message)) return { hint: `the scenario's table, ${DEFAULT_TABLE_NAME}, has the partition key Id (a string); a table of your own is declared with \`tables:\`${nearMissKeys(['Id'], step)}` };
  if (/ExpressionAttribute(Names|Values)/.test(error.message) || /not defined/.test(error.message)) return { hint: 'every #name and :value in the expressions needs an entry in `names` / `values`, and every entry must be used' };
  if (step.action === 'query' && /index/i.test(error.message)) return { hint: `the scenario's table has the index ${IDEMPOTENCY_INDEX} (partition key IdempotencyKey)` };
  return {};
}

/** The hints of `hintFor` for a scenario with its own tables: they name those, not GlobalEventTable. */
function declaredHint(error: DynamoDBError, step: ExpressionStep, declared: DeclaredTables): { hint?: string } {
  const tables = declared.db.tableNames();
  const describe = (name: string) => {
    const t = declared.db.table(name);
    const indexes = t.schema.indexes.map((i) => i.name);
    return `${name} (key ${t.keyNames.join(', ')}${indexes.length > 0 ? `; index ${indexes.join(', ')}` : ''})`;
  };
  if (error.name === 'ResourceNotFoundException') return { hint: `the scenario declares ${tables.map(describe).join(', ')}; \`table\` defaults to ${declared.primary}` };
  if (/part of the key/.test(error.message)) return { hint: 'the step\'s `key` names the item; to move an item, delete it and put a new one' };
  if (/ExpressionAttribute(Names|Values)/.test(error.message) || /not defined/.test(error.message)) return { hint: 'every #name and :value in the expressions needs an entry in `names` / `values`, and every entry must be used' };
  const name = String(step.yaml.table ?? declared.primary);
  if ((step.action === 'query' && /index/i.test(error.message)) || /[Kk]ey/.test(error.message)) {
    if (!tables.includes(name)) return {};
    return { hint: `the table is ${describe(name)}${/required keys/.test(error.message) ? nearMissKeys(declared.db.table(name).keyNames, step) : ''}` };
  }
  return {};
}

/**
 * `; found "id" (keys are case-sensitive)` when the step's item (a put's) or key names a key
 * attribute of the table in another case, else nothing.
 */
function nearMissKeys(keyNames: readonly string[], step: ExpressionStep): string {
  const given = step.action === 'put' ? step.yaml.item : 'key' in step.yaml ? step.yaml.key : undefined;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return '';
  const names = Object.keys(given);
  const misses = keyNames.filter((k) => !names.includes(k)).flatMap((k) => names.filter((n) => n !== k && n.toLowerCase() === k.toLowerCase()));
  return misses.length > 0 ? `; found ${misses.map((n) => `"${n}"`).join(', ')} (keys are case-sensitive)` : '';
}

/**
 * A key written in DynamoDB JSON (`pk: {S: A}`), which a scenario reads as a map (DynamoDB then
 * refuses a map as a key): the hint says how a scenario writes it.
 */
function wireFormHint(step: ExpressionStep): string | undefined {
  const given = step.action === 'put' ? step.yaml.item : 'key' in step.yaml ? step.yaml.key : undefined;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return undefined;
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    const hint = dynamoJsonHint(name, value);
    if (hint !== undefined) return hint;
  }
  return undefined;
}

let database: Database | undefined;

/**
 * An empty model database with the scenario's table as infra/template.yaml declares it: partition
 * key `Id` (S), global secondary index `IdempotencyIndex` on `IdempotencyKey` (S), projecting all.
 * Only read from (requests are prepared, never written), so one serves every load.
 */
function scenarioDatabase(): Database {
  if (database === undefined) {
    database = new Database({ now: () => 0 });
    database.createTable(SCENARIO_TABLE_DEFINITION);
  }
  return database;
}
