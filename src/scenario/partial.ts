import type { z } from 'zod';
import type { PathProblem } from './problems.js';
import { scenarioSchema, type ScenarioParsed } from './schema.js';
import { semanticProblems } from './semantic-checks.js';

/**
 * Semantic problems of the parts of a file that did validate, for a file that also has type
 * errors: so one run reports both (an `update` with neither `set` nor `add` next to a misspelled
 * key elsewhere), not the second only after the first is fixed.
 *
 * Why not zod refinements: the semantic rules cross-reference the whole file (declared regions,
 * earlier event ids, whether a `lambda` section exists), and zod skips a refinement of a mapping
 * as soon as anything inside it fails; the rules also stay in one module. Instead each top-level
 * section is validated on its own, and each element of `steps` and `faults` too, keeping its index;
 * the rules run over what validated. A rule whose subject was thrown out (an undeclared region when
 * `regions` itself is invalid, an unknown event id when some step is invalid) is not reported: it
 * could be wrong.
 */
export function partialSemanticProblems(data: unknown): PathProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const input = data as Record<string, unknown>;
  const shape = scenarioSchema.shape;
  const out: Record<string, unknown> = {};
  const deeper: Record<string, unknown> = {};
  const failed = new Set<string>();
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(input[key]);
    if (r.success) {
      out[key] = r.data;
      continue;
    }
    failed.add(key);
    const value = input[key];
    if ((key === 'steps' || key === 'faults') && Array.isArray(value)) {
      const element = key === 'steps' ? shape.steps.element : shape.faults.unwrap().element;
      // Sparse: the elements that validated keep their index, so problems point at the right one.
      const kept: unknown[] = new Array(value.length);
      value.forEach((v, i) => {
        const e = element.safeParse(v);
        if (e.success) kept[i] = e.data;
      });
      out[key] = kept;
    } else {
      const fallback = schema.safeParse(undefined);
      out[key] = fallback.success ? fallback.data : key === 'regions' || key === 'steps' ? [] : undefined;
      // Deeper, kept apart: what validated inside the section (`replication.links` next to a bad `lag`)
      if (DEEPER.has(key)) deeper[key] = salvage(schema, value);
    }
  }
  const unsure = new Set<string>();
  if (failed.has('regions')) unsure.add('unknown-region');
  if (failed.has('lambda') || failed.has('stepFunctions')) unsure.add('no-dead-letter-queue');
  // Without the declared tables, steps would be checked against GlobalEventTable: not reported.
  if (failed.has('tables')) for (const code of ['dynamodb-refuses', 'unknown-table']) unsure.add(code);
  // An application that failed is read as its default, the built-in one: whether its steps need
  // GlobalEventTable is unknown (a mistake under a team's module gave one such error per step)
  if (failed.has('application')) unsure.add('needs-global-event-table');
  // An unknown event id is reported unless an invalid step declares it (or may: its id is unreadable).
  const declared = failed.has('steps') ? eventIdsOfInvalidSteps(input.steps, out.steps as unknown[]) : new Set<string>();
  if (declared === undefined) unsure.add('unknown-event');
  const couldBeDeclared = (p: PathProblem) => p.code === 'unknown-event' && declared !== undefined && declared.has(String(valueAt(input, p.path)));
  const keep = (p: PathProblem) => !unsure.has(p.code) && !couldBeDeclared(p);
  // First with what validated inside the failed sections too; a rule written for a whole file may
  // not expect what is missing there, so then with the sections that validated whole, as before.
  for (const attempt of [{ ...out, ...withoutUndefined(deeper) }, out]) {
    try {
      return semanticProblems(attempt as ScenarioParsed).filter(keep);
    } catch {
      // next attempt
    }
  }
  // A rule written for a whole file may not expect a hole in `steps`; the type errors still stand.
  return [];
}

/**
 * The sections checked below their top level: their parts stand alone (a link, an expectation), so
 * a part left out cannot make a rule about another part misfire. Not `application` and the like,
 * where a misspelt `strategy` read as its default would make rules about the strategy misfire.
 */
const DEEPER = new Set(['replication', 'expect', 'clocks', 'sometimes']);

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * What of `value` validates against `schema`, as far down as mappings and lists go: a mapping keeps
 * its keys whose values validate (or salvage), a list its elements that validate (sparse, so
 * problems keep their index). Undefined when nothing can be kept.
 */
function salvage(schema: z.ZodType, value: unknown): unknown {
  const whole = schema.safeParse(value);
  if (whole.success) return whole.data;
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType } } })._zod.def;
  if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) return salvage(def.innerType, value);
  if (def.type === 'object' && def.shape && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const kept: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(def.shape)) {
      const v = salvage(sub, (value as Record<string, unknown>)[key]);
      if (v !== undefined) kept[key] = v;
    }
    return kept;
  }
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const kept: unknown[] = new Array(value.length);
    value.forEach((v, i) => {
      const e = def.element!.safeParse(v);
      if (e.success) kept[i] = e.data;
    });
    return kept;
  }
  return undefined;
}

/** Step keys: a step with another key may be a misspelled `event` whose id cannot be trusted. */
const STEP_KEYS = new Set(Object.keys(scenarioSchema.shape.steps.element.shape));

/**
 * The event ids that the steps which did not validate declare, read from the raw data; undefined
 * when one of them might declare an event whose id cannot be read (the step is not a mapping, has
 * a key no step has, or its `event.id` is not a non-empty string).
 */
function eventIdsOfInvalidSteps(steps: unknown, kept: unknown[] | undefined): Set<string> | undefined {
  if (!Array.isArray(steps)) return undefined;
  const ids = new Set<string>();
  for (let i = 0; i < steps.length; i++) {
    if (kept?.[i] !== undefined) continue;
    const step: unknown = steps[i];
    if (step === null || typeof step !== 'object' || Array.isArray(step)) return undefined;
    if (Object.keys(step).some((k) => !STEP_KEYS.has(k))) return undefined;
    const event = (step as Record<string, unknown>).event;
    if (event === undefined) continue;
    const id = event !== null && typeof event === 'object' ? (event as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string' || id === '') return undefined;
    ids.add(id);
  }
  return ids;
}

function valueAt(data: unknown, path: PathProblem['path']): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p as string];
  }
  return v;
}
