import type { PathProblem } from './problems.js';
import { applicationProblems, isRecord, sqsProblems } from './application-checks.js';
import { faultProblems } from './fault-checks.js';
import { lagProblems, rangeProblems } from './range-checks.js';
import { durationBounds, durationMs, isBetween, isOneOf, STEP_KINDS, type ScenarioParsed, type ShortUpdateYaml } from './schema.js';
import { attributeProblems, itemSizeProblem } from './item-checks.js';
import { expressionStep, expressionStepProblems, writtenValueProblems, type DeclaredTables } from './api-steps.js';
import { declaredDatabase, tableProblems } from './table-checks.js';
import { mrscProblems } from './mrsc-checks.js';

/**
 * Rules the schema alone cannot state: references between parts of the file (regions, event ids),
 * one kind per step, and value ranges that depend on each other. Returns every problem found.
 */
export function semanticProblems(s: ScenarioParsed, raw?: unknown): PathProblem[] {
  const problems: PathProblem[] = [...applicationProblems(s, raw), ...sqsProblems(s, raw)];
  const rawApplication = isRecord(raw) ? raw.application : undefined;
  const idempotencyTtlWritten = s.application.module === undefined && isRecord(rawApplication) && Object.hasOwn(rawApplication, 'idempotencyTtlSeconds');
  const mrscTrouble = mrscProblems({ ...s, ttlDelayMs: durationMs(s.ttlDelay), idempotencyTtlWritten });
  problems.push(...mrscTrouble);
  // The scenario's own tables (`tables:`): checked here, and the expression steps against them.
  const tableTrouble = tableProblems(s, (i) => shortFormOf(s.steps[i]!));
  problems.push(...tableTrouble);
  const db = declaredDatabase(s);
  const declared: DeclaredTables | undefined = db !== undefined ? { db, primary: s.tables![0]!.TableName } : undefined;
  // A table DynamoDB refuses is missing from the scratch database: steps on it would only echo that.
  // (MRSC's refusal of a table's local secondary indexes too, which leaves it out of the scratch
  // database: the step on it echoed it, with a garbled hint; a table MRSC refuses TTL on is there)
  const tablesRefused = tableTrouble.some((p) => p.path[0] === 'tables') || mrscTrouble.some((p) => p.code === 'mrsc-lsi');
  const regions = new Set(s.regions);
  const regionList = s.regions.join(', ');
  // `atKey`: the region is a mapping's key (`clocks: { eu-west-2: … }`), shown at the key, not its value
  // `orWitness`: a fault, which may name MRSC's witness too (fault-checks), so the hint lists it
  const needRegion = (region: string, path: PathProblem['path'], atKey = false, orWitness = false) => {
    if (!regions.has(region)) {
      // the witness is named in the file, but holds no replica: nothing runs there to fault, skew or write
      const witness = s.witness !== undefined && region === s.witness;
      problems.push({
        path,
        ...(atKey ? { atKey } : {}),
        code: 'unknown-region',
        message: witness ? `region "${region}" is the witness, which holds no replica: steps and settings name replica regions` : `region "${region}" is not one of the scenario's regions`,
        hint: witness ? `name one of the replica regions: ${regionList} (only an outage or a replication pause may name the witness)` : `declared regions: ${regionList}${orWitness && s.witness !== undefined ? `, and the witness ${s.witness}` : ''}`,
      });
    }
  };

  // Linear in the number of regions (a generated list can hold tens of thousands).
  const listed = new Set<string>();
  s.regions.forEach((r, i) => {
    if (listed.has(r)) problems.push({ path: ['regions', i], code: 'duplicate-region', message: `region "${r}" is listed twice` });
    listed.add(r);
  });
  const longestRegion = s.regions.reduce((most, r) => Math.max(most, Buffer.byteLength(r, 'utf8')), 0);

  const seenLinks = new Set<string>();
  s.replication.links?.forEach((link, i) => {
    needRegion(link.from, ['replication', 'links', i, 'from']);
    needRegion(link.to, ['replication', 'links', i, 'to']);
    if (link.from === link.to) problems.push({ path: ['replication', 'links', i, 'to'], code: 'self-link', message: `a link goes between two different regions, found ${link.from} to itself` });
    const key = `${link.from}>${link.to}`;
    if (seenLinks.has(key)) problems.push({ path: ['replication', 'links', i], code: 'duplicate-link', message: `the link ${link.from} → ${link.to} is given twice` });
    seenLinks.add(key);
    checkLag(link.lag, ['replication', 'links', i, 'lag'], problems);
  });
  if (s.replication.lag) checkLag(s.replication.lag, ['replication', 'lag'], problems);

  for (const region of Object.keys(s.clocks ?? {})) needRegion(region, ['clocks', region], true);

  const events = new Map<string, number>();
  // Steps run in time order (file order only between steps at the same ms): a retry's event may be
  // listed below it, so each retry looks among every event step of the file.
  const eventSteps = eventStepIndexes(s.steps);
  // the hint of an unknown event lists the events once, shared by every retry that needs it
  let eventList: string | undefined;
  const allEvents = () => (eventList ??= [...eventSteps.keys()].join(', '));
  s.steps.forEach((step, i) => {
    const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length !== 1) {
      problems.push({
        path: ['steps', i],
        code: kinds.length === 0 ? 'empty-step' : 'mixed-step',
        message: kinds.length === 0 ? 'a step needs one action besides `at`' : `a step does one thing, found ${kinds.join(' and ')}`,
        hint: `one of ${STEP_KINDS.join(', ')}`,
      });
      return;
    }
    const base = ['steps', i] as const;
    // With a range, only what holds for every value it can take is checked here; the values a
    // run draws are checked again before that run (load.ts).
    problems.push(...rangeProblems(step.at, [...base, 'at']));
    const [, latest] = durationBounds(step.at);
    if (step.event) {
      needRegionChoice(step.event.region, [...base, 'event', 'region'], needRegion, problems);
      const data = step.event.data ?? {};
      if (step.event.data === undefined && step.event.add === undefined) {
        problems.push({ path: [...base, 'event'], code: 'event-without-change', message: 'an event needs data (attributes it sets), add (increments it asks for) or both', hint: 'add data: { status: shipped } or add: { count: 1 }' });
      }
      for (const attribute of Object.keys(step.event.add ?? {})) {
        if (Object.hasOwn(data, attribute)) problems.push({ path: [...base, 'event', 'add', attribute], atKey: true, code: 'set-and-added', message: `Data.${attribute} is both set by data and incremented by add`, hint: 'an event either sets an attribute or increments it: remove it from one of them' });
      }
      problems.push(...writtenValueProblems(data, [...base, 'event', 'data'], 2));
      // increments are numbers of Data's attributes: DynamoDB must hold each (an overflow of the sum is the run's)
      problems.push(...attributeProblems(step.event.add ?? {}, [...base, 'event', 'add'], 2));
      problems.push(...rangesInData(data, [...base, 'event', 'data']));
      const size = itemSizeProblem({ Data: data }, [...base, 'event', 'data'], eventItemBytes(step.event, longestRegion), "the event's item");
      if (size) problems.push(size);
      if (events.has(step.event.id)) problems.push({ path: [...base, 'event', 'id'], code: 'duplicate-event', message: `event id "${step.event.id}" is already used by steps[${events.get(step.event.id)}]`, hint: 'to send an event again, use a `retry` step' });
      else events.set(step.event.id, i);
    }
    if (step.retry) {
      needRegionChoice(step.retry.region, [...base, 'retry', 'region'], needRegion, problems);
      const original = eventSteps.get(step.retry.of);
      if (original === undefined) {
        problems.push({ path: [...base, 'retry', 'of'], code: 'unknown-event', message: `no event has id "${step.retry.of}"`, hint: eventSteps.size ? `events: ${allEvents()}` : 'define the event in an event step, at a time before the retry' });
      } else if (runsAfter(durationBounds(s.steps[original]!.at)[0], original, latest, i)) {
        const ranged = typeof step.at === 'object' || typeof s.steps[original]!.at === 'object';
        const eventAt = durationBounds(s.steps[original]!.at)[0];
        // at the same ms, the step listed first runs first
        const tie = eventAt === latest ? ` (at the same ms, ${latest}ms, steps run in the order of the file, and the event's step, steps[${original}], is below the retry)` : '';
        const when = tie !== '' ? tie : ranged ? ` (at ${latest}ms at the latest, the event at ${eventAt}ms at the earliest)` : '';
        problems.push({ path: [...base, 'at'], code: 'retry-before-event', message: `the retry of "${step.retry.of}" happens before the event itself${when}`, ...(tie !== '' ? { hint: `move the retry below steps[${original}], or give it a later time` } : {}) });
      }
    }
    const api = expressionStep(step);
    if (api) {
      needRegion(api.region, [...base, api.action, 'region']);
      if (!tablesRefused) problems.push(...expressionStepProblems(api, [...base, api.action], declared));
      return;
    }
    if (step.read) needRegion(step.read.region, [...base, 'read', 'region']);
    if (step.put) {
      needRegion(step.put.region, [...base, 'put', 'region']);
      problems.push(...putProblems(step.put.item, [...base, 'put', 'item']));
    }
    if (step.update) {
      const update = step.update as ShortUpdateYaml;
      needRegion(update.region, [...base, 'update', 'region']);
      if (!update.set && !update.add) problems.push({ path: [...base, 'update'], code: 'empty-update', message: 'an update needs `set` or `add`' });
      problems.push(...updateProblems(update, [...base, 'update']));
    }
    if (step.delete) needRegion(step.delete.region, [...base, 'delete', 'region']);
    for (const action of ['put', 'update', 'delete'] as const) {
      const condition = (step[action] as { condition?: unknown } | undefined)?.condition;
      if (condition !== undefined) problems.push(...conditionValueProblems(condition, [...base, action, 'condition']));
    }
    step.transact?.ops.forEach((op, j) => {
      const [action, body] = Object.entries(op)[0] as [string, { condition?: unknown }];
      if (body.condition !== undefined) problems.push(...conditionValueProblems(body.condition, [...base, 'transact', 'ops', j, action, 'condition']));
    });
    if (step.transact) {
      needRegion(step.transact.region, [...base, 'transact', 'region']);
      const ids = step.transact.ops.map((op) => ('put' in op ? op.put.item.Id : 'update' in op ? op.update.id : op.delete.id));
      step.transact.ops.forEach((op, j) => {
        if ('update' in op) problems.push(...updateProblems(op.update, [...base, 'transact', 'ops', j, 'update']));
        if ('put' in op) problems.push(...putProblems(op.put.item, [...base, 'transact', 'ops', j, 'put', 'item']));
      });
      ids.forEach((id, j) => {
        if (ids.indexOf(id) !== j) problems.push({ path: [...base, 'transact', 'ops', j], code: 'duplicate-item', message: `a transaction touches each item once, "${id}" appears twice` });
      });
    }
    if (step.check) {
      checkExpectationRegions(step.check.regions, [...base, 'check', 'regions'], needRegion);
      // a name alone (or only empty maps) checks nothing, and it would print "passed", as an empty sometimes would hold in every run
      if (Object.entries(step.check).every(([key, value]) => key === 'name' || asksNothing(key, value))) {
        problems.push({ path: [...base, 'check'], code: 'empty-check', message: `this check${step.check.name !== undefined ? ` ("${step.check.name}")` : ''} asks for nothing: it would pass whatever the run did`, hint: 'add what must hold at this moment, e.g. converged: true, counts: { applied: 1 }, or items: { "ORDER#1": { status: paid } }' });
      }
    }
  });
  checkExpectationRegions(s.expect?.regions, ['expect', 'regions'], needRegion);
  problems.push(...effectsKeyProblems(s));
  const sometimes = new Map<string, number>();
  s.sometimes?.forEach((entry, i) => {
    checkExpectationRegions(entry.regions, ['sometimes', i, 'regions'], needRegion);
    // a name alone (or only empty maps and bounds of 0) asks nothing: it would hold in every run, and a pass would say it was reached
    if (Object.entries(entry).every(([key, value]) => key === 'name' || asksNothing(key, value))) {
      problems.push({ path: ['sometimes', i], code: 'empty-sometimes', message: `sometimes[${i}] ("${entry.name}") asks for nothing: it would hold in every run`, hint: 'add what must happen in some run, e.g. atLeast: { conflicts: 1 }, or a key of expect such as counts or items' });
    }
    const first = sometimes.get(entry.name);
    if (first !== undefined) problems.push({ path: ['sometimes', i, 'name'], code: 'duplicate-sometimes', message: `the name "${entry.name}" is already used by sometimes[${first}]`, hint: 'each sometimes entry has its own name: reports count hits by name' });
    else sometimes.set(entry.name, i);
  });
  for (const p of faultProblems(s, needRegion)) problems.push(p);
  return problems;
}

/** The step of each event id (the first, when an id is used twice: that is refused), among the steps of one kind. */
function eventStepIndexes(steps: ScenarioParsed['steps']): Map<string, number> {
  const found = new Map<string, number>();
  steps.forEach((step, i) => {
    if (step.event !== undefined && !found.has(step.event.id) && STEP_KINDS.filter((k) => step[k] !== undefined).length === 1) found.set(step.event.id, i);
  });
  return found;
}

/**
 * Whether the event (at `eventAt` ms at the earliest, step `eventIndex`) surely runs after the retry
 * (at `retryAt` ms at the latest, step `retryIndex`): steps run by time, and by their order in the file within a ms.
 */
function runsAfter(eventAt: number, eventIndex: number, retryAt: number, retryIndex: number): boolean {
  return eventAt > retryAt || (eventAt === retryAt && eventIndex > retryIndex);
}

/** Values a short-form condition compares that DynamoDB cannot hold (an empty set, a number out of its range), at each. */
function conditionValueProblems(condition: unknown, path: PathProblem['path']): PathProblem[] {
  if (condition === null || typeof condition !== 'object') return [];
  const c = condition as Record<string, unknown>;
  if (c.equals !== undefined) return writtenValueProblems(c.equals as Record<string, unknown>, [...path, 'equals']);
  if (c.lessThan !== undefined) return attributeProblems(c.lessThan as Record<string, unknown>, [...path, 'lessThan']);
  for (const junction of ['and', 'or'] as const) {
    if (Array.isArray(c[junction])) return (c[junction] as unknown[]).flatMap((inner, i) => conditionValueProblems(inner, [...path, junction, i]));
  }
  return [];
}

/** The action of a step written in the short form (items by `Id` in GlobalEventTable), if it is one. */
function shortFormOf(step: ScenarioParsed['steps'][number]): string | undefined {
  if (expressionStep(step) !== undefined) return undefined;
  return (['read', 'put', 'update', 'delete', 'transact'] as const).find((k) => step[k] !== undefined);
}

/** What DynamoDB refuses in a put's item: bad numbers, empty names, more than 400 KB. */
function putProblems(item: Record<string, unknown>, path: PathProblem['path']): PathProblem[] {
  const size = itemSizeProblem(item, path);
  return [...writtenValueProblems(item, path), ...(size ? [size] : [])];
}

/**
 * Bytes the application adds to an event's data in the item it writes (event-processor.ts
 * dataWrite): Id, LastUpdatedRegion, Timestamp, IdempotencyKey and Version, counted at their
 * largest (numbers 21 bytes, the longest region name), so the estimate errs on the large side.
 */
function eventItemBytes(event: { id: string; key?: string | undefined; item: string }, longestRegion: number): number {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  return bytes('Id') + bytes(event.item) + bytes('LastUpdatedRegion') + longestRegion + bytes('Timestamp') + 21 + bytes('IdempotencyKey') + bytes(event.key ?? event.id) + bytes('Version') + 21;
}

/** The table's key attribute: every item is named by it, so no update may change it. */
const KEY_ATTRIBUTE = 'Id';

/**
 * What DynamoDB refuses in an UpdateItem request itself, whatever the item holds, in DynamoDB's
 * own words (checked against DynamoDB Local 3.3.0): a key attribute in SET or ADD, one attribute
 * both SET and ADDed, and what it refuses in any write's data (item-checks.ts).
 */
function updateProblems(update: { set?: Record<string, unknown> | undefined; add?: Record<string, number> | undefined }, path: PathProblem['path']): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const clause of ['set', 'add'] as const) {
    problems.push(...writtenValueProblems(update[clause] ?? {}, [...path, clause]));
    for (const attribute of Object.keys(update[clause] ?? {})) {
      if (attribute === KEY_ATTRIBUTE) {
        problems.push({
          path: [...path, clause, attribute],
          code: 'key-update',
          message: `DynamoDB refuses this update: "Cannot update attribute ${KEY_ATTRIBUTE}. This attribute is part of the key"`,
          hint: `the update's \`id\` names the item; to move an item, delete it and put a new one`,
        });
      } else if (clause === 'add' && update.set !== undefined && Object.hasOwn(update.set, attribute)) {
        problems.push({
          path: [...path, 'add', attribute],
          code: 'overlapping-paths',
          message: `DynamoDB refuses this update: "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${attribute}], path two: [${attribute}]"`,
          hint: `\`${attribute}\` is in both \`set\` and \`add\`: keep one`,
        });
      }
    }
  }
  return problems;
}

/** A region, or each region of a `{ oneOf }` choice (given once each), is one of the scenario's. */
function needRegionChoice(region: string | { oneOf: string[] }, path: PathProblem['path'], needRegion: (region: string, path: PathProblem['path']) => void, problems: PathProblem[]): void {
  if (!isOneOf(region)) return needRegion(region, path);
  region.oneOf.forEach((r, j) => {
    needRegion(r, [...path, 'oneOf', j]);
    if (region.oneOf.indexOf(r) !== j) problems.push({ path: [...path, 'oneOf', j], code: 'duplicate-region', message: `region "${r}" is listed twice in this choice` });
  });
}

function checkExpectationRegions(
  regions: Record<string, unknown> | undefined,
  path: PathProblem['path'],
  needRegion: (region: string, path: PathProblem['path'], atKey?: boolean) => void,
): void {
  for (const region of Object.keys(regions ?? {})) needRegion(region, [...path, region], true);
}

function checkLag(lag: NonNullable<ScenarioParsed['replication']['lag']>, path: PathProblem['path'], problems: PathProblem[]): void {
  problems.push(...lagProblems(lag, path));
}

/** A key of a sometimes entry that holds in every run: absent, an empty map, or `atLeast` bounds of 0. */
/**
 * An effects expectation of an idempotency key no event has: its count is 0 in every run, so a
 * typo (`effects: { ordr-1: 1 }` fails, but `{ ordr-1: 0 }` passed for ever). Keys are the events'
 * (`key`, else `id`), every one known when the file loads.
 */
function effectsKeyProblems(s: ScenarioParsed): PathProblem[] {
  const keys = new Set<string>();
  for (const step of s.steps) {
    // (a step the schema refused is a hole here: it may declare the key)
    if (step === undefined) return [];
    if (!step.event) continue;
    const key = step.event.key ?? step.event.id;
    if (typeof key !== 'string') return [];
    keys.add(key);
  }
  const known = [...keys];
  const problems: PathProblem[] = [];
  const check = (effects: Record<string, unknown> | undefined, path: PathProblem['path']) => {
    for (const key of Object.keys(effects ?? {})) {
      if (!keys.has(key)) problems.push({ path: [...path, key], atKey: true, code: 'unknown-key', message: `no event has the idempotency key "${key}": its effects are 0 in every run`, hint: `the events' keys (key, else id): ${known.join(', ') || 'none'}`, suggestFrom: known });
    }
  };
  check(s.expect?.effects, ['expect', 'effects']);
  s.steps.forEach((step, i) => check(step.check?.effects, ['steps', i, 'check', 'effects']));
  s.sometimes?.forEach((entry, i) => check(entry.effects, ['sometimes', i, 'effects']));
  return problems;
}

function asksNothing(key: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.values(value);
  if (key === 'atLeast') return entries.every((n) => n === 0);
  // `regions: { us-east-1: {} }` names a region and expects nothing of it
  if (key === 'regions') return entries.every((items) => items !== null && typeof items === 'object' && !Array.isArray(items) && Object.keys(items).length === 0);
  return entries.length === 0;
}

/**
 * A map in an event's data that is a range or a choice and nothing else (`amount: { between: [1, 5] }`):
 * data is sent as written, so the handler would get that map, never a number drawn from it (a
 * silent "10[object Object]"). Nothing varies data; the message says what may vary.
 */
function rangesInData(data: Record<string, unknown>, path: PathProblem['path']): PathProblem[] {
  const problems: PathProblem[] = [];
  const visit = (value: unknown, at: PathProblem['path']): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...at, i]));
    const keys = Object.keys(value);
    if (keys.length === 1 && (isBetween(value) || isOneOf(value))) {
      const what = isBetween(value) ? 'a range ({ between: [lo, hi] })' : 'a choice ({ oneOf: [...] })';
      problems.push({ path: at, code: 'range-in-data', message: `${what} in an event's data is sent as written, a map, not a value drawn from it`, hint: "data is never drawn: a range may stand for a step's or a fault's at and a clock-skew fault's skew, a choice for an event's or a retry's region; write the value itself, or one event per value" });
      return;
    }
    for (const key of keys) visit((value as Record<string, unknown>)[key], [...at, key]);
  };
  for (const key of Object.keys(data)) visit(data[key], [...path, key]);
  return problems;
}
