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
    }
  }
  const unsure = new Set<string>();
  if (failed.has('regions')) unsure.add('unknown-region');
  if (failed.has('lambda') || failed.has('stepFunctions')) unsure.add('no-dead-letter-queue');
  // Without the declared tables, steps would be checked against GlobalEventTable: not reported.
  if (failed.has('tables')) for (const code of ['dynamodb-refuses', 'unknown-table']) unsure.add(code);
  // An unknown event id is reported unless an invalid step declares it (or may: its id is unreadable).
  const declared = failed.has('steps') ? eventIdsOfInvalidSteps(input.steps, out.steps as unknown[]) : new Set<string>();
  if (declared === undefined) unsure.add('unknown-event');
  const couldBeDeclared = (p: PathProblem) => p.code === 'unknown-event' && declared !== undefined && declared.has(String(valueAt(input, p.path)));
  try {
    return semanticProblems(out as ScenarioParsed).filter((p) => !unsure.has(p.code) && !couldBeDeclared(p));
  } catch {
    // A rule written for a whole file may not expect a hole in `steps`; the type errors still stand.
    return [];
  }
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
