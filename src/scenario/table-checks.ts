/**
 * The scenario's own tables (`tables:`, issue 13): turning each CreateTable-shaped entry into the
 * request the model makes, and refusing at load time what DynamoDB would refuse. Each definition is
 * created in a scratch model Database, so the messages are the model's (and DynamoDB's) own.
 */
import { Database } from '../dynamodb/database.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import type { PathProblem } from './problems.js';
import type { TableSpec } from './model.js';
import type { ScenarioParsed, TableDefinitionYaml } from './schema.js';

/** The keys of a definition the model's CreateTable reads; the others are accepted and not modeled. */
const MODELED_KEYS = ['TableName', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput'] as const;

/** The CreateTable request the model makes for a declared table (no stream: the run decides that). */
export function toTableSpec(t: TableDefinitionYaml): TableSpec {
  const definition: Record<string, unknown> = {};
  for (const key of MODELED_KEYS) if (t[key] !== undefined) definition[key] = structuredClone(t[key]);
  const hash = t.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = t.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const spec: TableSpec = { name: t.TableName, definition, keyNames: [hash ?? '', ...(range !== undefined ? [range] : [])] };
  if (t.TimeToLiveSpecification?.Enabled === true) spec.ttlAttribute = t.TimeToLiveSpecification.AttributeName;
  return spec;
}

/** Steps that only the built-in application (GlobalEventTable's) or the short forms (items by `Id`) understand. */
const BUILT_IN_STEPS = ['event', 'retry'] as const;

/**
 * What is wrong with `tables:` and with what depends on it, each at its node: a definition
 * DynamoDB refuses, a duplicate name, a stream view a global table cannot have, local secondary
 * indexes (not modeled), event steps without a module, short-form steps, and a stream handler's
 * `application.stream.table` that names no declared table. `shortForm(i)` says whether step i is
 * written in the short form (which names items by `Id` in GlobalEventTable).
 */
export function tableProblems(s: ScenarioParsed, shortForm: (index: number) => string | undefined): PathProblem[] {
  const problems: PathProblem[] = [];
  const streamTable = s.application.stream?.table;
  if (s.tables === undefined) {
    if (streamTable !== undefined) {
      problems.push({ path: ['application', 'stream', 'table'], code: 'unknown-table', message: `application.stream.table names "${streamTable}", and the scenario declares no tables`, hint: 'declare the table under `tables:`, or remove application.stream.table (the stream handler gets GlobalEventTable\'s stream)' });
    }
    return problems;
  }
  const seen = new Map<string, number>();
  s.tables.forEach((t, i) => {
    const at = ['tables', i] as const;
    const first = seen.get(t.TableName);
    if (first !== undefined) {
      problems.push({ path: [...at, 'TableName'], code: 'duplicate-table', message: `table "${t.TableName}" is already declared by tables[${first}]`, hint: 'every declared table has its own TableName' });
      return;
    }
    seen.set(t.TableName, i);
    // On MRSC, AWS's own refusal says it (mrscProblems), not geosim's
    if (t.LocalSecondaryIndexes !== undefined && s.mode !== 'mrsc') {
      problems.push({ path: [...at, 'LocalSecondaryIndexes'], atKey: true, code: 'not-modeled', message: 'the model has no local secondary indexes yet', hint: 'remove LocalSecondaryIndexes (a global secondary index with the same keys reads the same in a scenario)' });
    }
    const stream = t.StreamSpecification;
    if (stream !== undefined && (stream.StreamEnabled === false || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES')) {
      problems.push({
        path: [...at, 'StreamSpecification'],
        atKey: true,
        code: 'global-table-stream',
        message: `a global table replicates through a NEW_AND_OLD_IMAGES stream, found ${stream.StreamEnabled === false ? 'StreamEnabled: false' : `StreamViewType ${stream.StreamViewType ?? '(none)'}`}`,
        hint: 'StreamSpecification: { StreamEnabled: true, StreamViewType: NEW_AND_OLD_IMAGES }, or leave it out',
      });
    }
    // With local secondary indexes (refused above) the model's CreateTable would only add noise.
    const refusal = t.LocalSecondaryIndexes === undefined ? createRefusal(t) : undefined;
    if (refusal !== undefined) problems.push({ path: [...at, ...refusal.field], code: 'dynamodb-refuses', message: `DynamoDB refuses this table (${refusal.error.name}): ${refusal.error.message}`, ...hintForTable(refusal.error) });
  });
  if (streamTable !== undefined && !seen.has(streamTable)) {
    problems.push({ path: ['application', 'stream', 'table'], code: 'unknown-table', message: `application.stream.table names "${streamTable}", which the scenario does not declare`, hint: `declared tables: ${[...seen.keys()].join(', ')}` });
  }
  problems.push(...keyStringProblems(s));
  const builtIn = s.application.module === undefined;
  const primary = s.tables[0]!.TableName;
  s.steps.forEach((step, i) => {
    for (const kind of BUILT_IN_STEPS) {
      if (step[kind] === undefined || !builtIn) continue;
      problems.push({
        path: ['steps', i, kind],
        atKey: true,
        code: 'needs-global-event-table',
        message: `${kind === 'event' ? 'an' : 'a'} ${kind} step runs geosim's built-in application, which needs GlobalEventTable, and the scenario declares its own tables`,
        hint: 'add application.module (your handler, which writes your tables), or remove `tables:` to use GlobalEventTable',
      });
    }
    const short = shortForm(i);
    if (short !== undefined) {
      problems.push({
        path: ['steps', i, short],
        atKey: true,
        code: 'short-form-table',
        message: `the short form of ${short} names items by Id in GlobalEventTable, and the scenario declares its own tables`,
        hint: `write it in DynamoDB syntax: ${short === 'read' ? 'key (and table)' : short === 'put' ? 'item with a condition, names or values (and table)' : short === 'transact' ? 'one put/update/delete step each' : 'key (and table)'}; \`table\` defaults to ${primary}`,
      });
    }
  });
  return problems;
}

type ItemsByKey = Record<string, unknown>;
interface Expectation { items?: ItemsByKey | undefined; regions?: Record<string, ItemsByKey> | undefined }

/**
 * Expectations name the first table's items by key string, `<partition>|<sort>` when it has a sort
 * key: one without `|` could never match an item of it, and would fail at the end of the run as
 * "got null" with no word of why.
 */
function keyStringProblems(s: ScenarioParsed): PathProblem[] {
  const first = s.tables![0]!;
  const hash = first.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = first.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (range === undefined) return [];
  const problems: PathProblem[] = [];
  const check = (items: ItemsByKey | undefined, at: (string | number)[]) => {
    for (const key of Object.keys(items ?? {})) {
      if (key.includes('|')) continue;
      problems.push({
        path: [...at, key],
        atKey: true,
        code: 'key-string',
        message: `"${key}" names no item of ${first.TableName}: its items are named by ${hash}|${range}, the partition and the sort key`,
        hint: `add the item's ${range} after a |: "${key}|<${range}>"`,
      });
    }
  };
  const expectation = (e: Expectation | undefined, at: (string | number)[]) => {
    if (e === undefined) return;
    check(e.items, [...at, 'items']);
    for (const [region, items] of Object.entries(e.regions ?? {})) check(items, [...at, 'regions', region]);
  };
  s.steps.forEach((step, i) => expectation(step.check, ['steps', i, 'check']));
  expectation(s.expect, ['expect']);
  (s.sometimes ?? []).forEach((entry, i) => expectation(entry, ['sometimes', i]));
  return problems;
}

/** Why DynamoDB refuses to create the table or turn on its TTL, and which field of the entry it is about. */
function createRefusal(t: TableDefinitionYaml): { error: DynamoDBError; field: string[] } | undefined {
  const db = new Database({ now: () => 0 });
  const spec = toTableSpec(t);
  try {
    db.createTable(spec.definition);
    if (t.TimeToLiveSpecification !== undefined) db.updateTimeToLive({ TableName: t.TableName, TimeToLiveSpecification: { ...t.TimeToLiveSpecification } });
    return undefined;
  } catch (error) {
    if (!(error instanceof DynamoDBError)) throw error;
    return { error, field: fieldOfTable(error.message) };
  }
}

/** The field of a table entry DynamoDB's message is about; the whole entry when it is unclear. */
function fieldOfTable(message: string): string[] {
  if (/table ?name/i.test(message)) return ['TableName'];
  if (/index/i.test(message)) return ['GlobalSecondaryIndexes'];
  if (/attribute ?definitions/i.test(message)) return ['AttributeDefinitions'];
  if (/key ?schema|key element/i.test(message)) return ['KeySchema'];
  if (/TimeToLive|TTL/.test(message)) return ['TimeToLiveSpecification'];
  return [];
}

function hintForTable(error: DynamoDBError): { hint?: string } {
  if (/provisioned throughput/i.test(error.message)) return { hint: 'add BillingMode: PAY_PER_REQUEST (on demand), or ProvisionedThroughput' };
  if (/number of attributes in key schema/.test(error.message)) return { hint: 'AttributeDefinitions lists exactly the key attributes of the table and its indexes' };
  return {};
}

/**
 * A scratch database holding the declared tables (those DynamoDB accepts), for checking expression
 * steps against the scenario's own tables; undefined when the scenario declares none.
 */
export function declaredDatabase(s: ScenarioParsed): Database | undefined {
  if (s.tables === undefined) return undefined;
  const db = new Database({ now: () => 0 });
  for (const t of s.tables) {
    if (db.tableNames().includes(t.TableName)) continue; // a duplicate: tableProblems reports it
    try {
      db.createTable(toTableSpec(t).definition);
    } catch (error) {
      if (!(error instanceof DynamoDBError)) throw error; // reported by tableProblems
    }
  }
  return db;
}
