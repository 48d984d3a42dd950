import type { z } from 'zod';
import type { PathProblem } from './problems.js';
import { scenarioSchema, type ScenarioParsed } from './schema.js';
import { semanticProblems } from './semantic-checks.js';
import { closest } from './near-miss.js';

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
 *
 * A section or step with a wrong value is not read as its defaults (`lambda: { invocation: async,
 * timeout: 1500ms }` read as a direct invocation gave a false "attempted once"): what it says that
 * validates is kept, and each wrong key is tried with a few values it could hold (probedPart); a
 * problem is reported only when every form gives it, so none comes from a value the file does not hold.
 */
export function partialSemanticProblems(data: unknown): PathProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const input = data as Record<string, unknown>;
  const shape = scenarioSchema.shape;
  const out: Record<string, unknown> = {};
  const deeper: Record<string, unknown> = {};
  const failed = new Set<string>();
  // The parts that did not validate but are checked anyway, each in every form it may take once fixed.
  const probed: Probed[] = [];
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
        else {
          const part = probedPart(element, v, (target, parsed) => ((target[key] as unknown[])[i] = parsed));
          if (part) probed.push(part);
        }
      });
      out[key] = kept;
    } else {
      const fallback = schema.safeParse(undefined);
      out[key] = fallback.success ? fallback.data : key === 'regions' || key === 'steps' ? [] : undefined;
      // Deeper, kept apart: what validated inside the section (`replication.links` next to a bad `lag`)
      if (DEEPER.has(key)) deeper[key] = salvage(schema, value);
      else {
        const part = probedPart(schema, value, (target, parsed) => (target[key] = parsed), key);
        if (part) probed.push(part);
      }
    }
  }
  const unsure = new Set<string>();
  if (failed.has('regions')) unsure.add('unknown-region');
  // A section that could not be probed is read as absent: whether a dead-letter queue exists is unknown
  if (['lambda', 'stepFunctions'].some((key) => failed.has(key) && !probed.some((p) => p.key === key))) unsure.add('no-dead-letter-queue');
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
  // A problem is reported only when every form the probed parts may take gives it: one that comes
  // from a value the file does not hold (a default in place of an invalid timeout) is not.
  // Each form runs every rule over the whole file: a large file is checked in fewer forms.
  const limit = Math.min(MAX_FORMS, Math.floor(MAX_FORM_STEPS / (1 + (Array.isArray(input.steps) ? input.steps.length : 0))));
  const choices = combinations(probed.flatMap((p) => p.slots.map((values) => values.length)), limit);
  // too many to try even a spread of them: the parts that did not validate stay out, as before
  const parts = choices === undefined ? [] : probed;
  let common: Map<string, PathProblem> | undefined;
  for (const choice of choices ?? [[]]) {
    const found = problemsOf(withProbes(out, parts, choice), deeper);
    if (found === undefined) continue;
    const byKey = new Map(found.filter(keep).map((p) => [problemKey(p), p]));
    common = common === undefined ? byKey : new Map([...common].filter(([k]) => byKey.has(k)));
  }
  return [...(common?.values() ?? [])];
}

/** The rules run over one form of the file; undefined when they could not be (they threw). */
function problemsOf(attempt: Record<string, unknown>, deeper: Record<string, unknown>): PathProblem[] | undefined {
  // First with what validated inside the failed sections too; a rule written for a whole file may
  // not expect what is missing there, so then with the sections that validated whole, as before.
  for (const form of [{ ...attempt, ...withoutUndefined(deeper) }, attempt]) {
    try {
      return semanticProblems(form as ScenarioParsed);
    } catch {
      // next form
    }
  }
  return undefined;
}

function problemKey(p: PathProblem): string {
  return JSON.stringify([p.path, p.code, p.message, p.hint ?? null, p.atKey ?? false]);
}

/**
 * A mapping that did not validate (a section, a step, a fault), checked in the forms it may take
 * once fixed: what it says that validates stays; each key that did not (or that a misspelt key
 * stands for) is a slot, tried with a few values its schema accepts.
 */
interface Probed {
  /** The section's key in the file, or the list (`steps`, `faults`) the element is in. */
  key?: string | undefined;
  slots: unknown[][];
  /** The parsed mapping for one value per slot, undefined when that form does not validate. */
  build(values: readonly unknown[]): unknown;
  place(target: Record<string, unknown>, parsed: unknown): void;
}

/** Values tried for a key whose value is unknown: those its schema accepts, of numbers only the smallest and largest. */
const PROBES: readonly unknown[] = [false, true, -1, 0, 1, 2, 3, 10, 1000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 43_200_000, 604_800_000, 31_536_000_000, 'x'];

function probedPart(schema: z.ZodType, value: unknown, place: Probed['place'], key?: string): Probed | undefined {
  const shape = objectShape(schema);
  if (shape === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const written = value as Record<string, unknown>;
  const keys = Object.keys(shape);
  const kept: Record<string, unknown> = {};
  const unknown = new Set<string>();
  let stray = false;
  for (const [key, v] of Object.entries(written)) {
    const sub = shape[key];
    if (sub === undefined) {
      // a misspelt key stands for the key it is near, unwritten; one near none could stand for any
      const near = closest(key, keys);
      if (near === undefined) stray = true;
      else if (!Object.hasOwn(written, near)) unknown.add(near);
    } else if (sub.safeParse(v).success) kept[key] = v;
    else unknown.add(key);
  }
  if (stray) for (const key of keys) if (!Object.hasOwn(written, key)) unknown.add(key);
  const slotKeys = [...unknown];
  const slots = slotKeys.map((key) => probeValues(shape[key]!, !Object.hasOwn(written, key)));
  // a key whose values cannot be tried (a mapping, a region name): the part stays out, as before
  if (slots.some((values) => !values.some((v) => v !== undefined))) return undefined;
  const whole = unwrapped(schema);
  const build = (values: readonly unknown[]) => {
    const raw = { ...kept };
    slotKeys.forEach((key, i) => {
      if (values[i] !== undefined) raw[key] = values[i];
    });
    const r = whole.safeParse(raw);
    return r.success ? r.data : undefined;
  };
  return { key, slots, build, place };
}

function probeValues(schema: z.ZodType, mayBeAbsent: boolean): unknown[] {
  const accepted = [...enumValues(schema), ...PROBES].filter((v) => schema.safeParse(v).success);
  const numbers = accepted.filter((v): v is number => typeof v === 'number');
  const values = new Set(accepted.filter((v) => typeof v !== 'number'));
  if (numbers.length > 0) for (const n of [Math.min(...numbers), Math.max(...numbers)]) values.add(n);
  // absent only for a key the file does not write (a written one was meant to hold a value)
  if (mayBeAbsent && schema.safeParse(undefined).success) values.add(undefined);
  return [...values];
}

/** At most this many forms of the file are checked; beyond it, a spread of the combinations of the probes. */
const MAX_FORMS = 32;
/** Forms times steps checked at most (a file of 12,000 steps with a bad `at` each took 3 times as long as before probing with 32 forms). */
const MAX_FORM_STEPS = 64_000;
/** Fewer forms than this would not be a spread: the probes are then not tried at all. */
const MIN_SPREAD = 8;

/**
 * Choices of one value per slot: every combination when they are at most `limit`; else the first
 * values, the last ones and a fixed spread of others (deterministic, so a file's problems never
 * change between runs); undefined when `limit` is too small for a spread.
 */
function combinations(sizes: readonly number[], limit: number): number[][] | undefined {
  const total = sizes.reduce((product, n) => Math.min(product * n, limit + 1), 1);
  if (total <= limit) {
    return Array.from({ length: total }, (_, j) => {
      let rest = j;
      return sizes.map((n) => {
        const index = rest % n;
        rest = Math.floor(rest / n);
        return index;
      });
    });
  }
  if (limit < MIN_SPREAD) return undefined;
  return Array.from({ length: limit }, (_, j) => sizes.map((n, s) => (j === 0 ? 0 : j === 1 ? n - 1 : (Math.imul(j * 2654435761, s + 1) >>> 0) % n)));
}

function withProbes(out: Record<string, unknown>, probed: readonly Probed[], choice: readonly number[]): Record<string, unknown> {
  const form: Record<string, unknown> = { ...out };
  for (const list of ['steps', 'faults']) if (Array.isArray(form[list])) form[list] = [...(form[list] as unknown[])];
  let at = 0;
  for (const part of probed) {
    const values = part.slots.map((slot, i) => slot[choice[at + i]!]);
    at += part.slots.length;
    const parsed = part.build(values);
    if (parsed !== undefined) part.place(form, parsed);
  }
  return form;
}

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; entries?: Record<string, unknown> };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema without its optional, default and nullable wrappers. */
function unwrapped(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  return (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType ? unwrapped(def.innerType) : schema;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrapped(schema));
  return def.type === 'object' ? def.shape : undefined;
}

function enumValues(schema: z.ZodType): unknown[] {
  const def = defOf(unwrapped(schema));
  return def.type === 'enum' && def.entries ? Object.values(def.entries) : [];
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
