// Stand-ins for the parts of issue 14 that other helpers build at the same time (design-14.md).
// Every export here is marked with the part that replaces it; the integrator points the imports of
// engine.ts, worker.ts and explore-command.ts at the real modules and deletes this file.
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { failureSignature } from './failure.js';
import { loadScenarioObject } from '../scenario/load.js';
import type { ScenarioProblem } from '../scenario/problems.js';
import { allowedKeysAt } from '../scenario/schema-keys.js';
import { durationMs, scenarioSchema } from '../scenario/schema.js';
import type { Rng } from '../sim/rng.js';
import type { RunReport } from '../trace/report.js';

type Input = Record<string, unknown>;
type Path = Array<string | number>;

// ---------------------------------------------------------------------------------------------
// stand-in until part V lands: src/explore/ranges.ts

/** One value a scenario leaves open: a time, a region, or a clock skew. */
export type RangePoint = { path: Path; kind: 'time' | 'skew'; min: number; max: number } | { path: Path; kind: 'region'; options: string[] };

/** Every range of a template, in file order (steps, then faults). */
export function findRanges(input: Input): RangePoint[] {
  const out: RangePoint[] = [];
  const between = (v: unknown): [number, number] | undefined => {
    const b = (v as { between?: unknown } | null)?.between;
    return Array.isArray(b) && b.length === 2 ? [durationMs(b[0] as number | string), durationMs(b[1] as number | string)] : undefined;
  };
  for (const list of ['steps', 'faults'] as const) {
    const entries = Array.isArray(input[list]) ? (input[list] as Input[]) : [];
    entries.forEach((entry, i) => {
      const at = between(entry?.at);
      if (at) out.push({ path: [list, i, 'at'], kind: 'time', min: at[0], max: at[1] });
      for (const [key, body] of Object.entries(entry ?? {})) {
        if (key === 'at' || body === null || typeof body !== 'object') continue;
        const region = (body as Input).region as { oneOf?: unknown } | undefined;
        if (Array.isArray(region?.oneOf)) out.push({ path: [list, i, key, 'region'], kind: 'region', options: region.oneOf as string[] });
        const skew = between((body as Input).skew);
        if (skew) out.push({ path: [list, i, key, 'skew'], kind: 'skew', min: skew[0], max: skew[1] });
      }
    });
  }
  return out;
}

/** A deep copy of `input` with each range replaced by its value. */
export function pinRanges(input: Input, points: RangePoint[], values: Array<number | string>): Input {
  const copy = structuredClone(input);
  points.forEach((point, i) => {
    let node = copy as Record<string | number, unknown>;
    for (const key of point.path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[point.path.at(-1)!] = values[i];
  });
  return copy;
}

/** Uniform values for `points`, whole ms for times. */
export function drawRanges(points: RangePoint[], rng: Rng): Array<number | string> {
  return points.map((p) => (p.kind === 'region' ? p.options[Math.floor(rng.next() * p.options.length)]! : p.min + Math.floor(rng.next() * (p.max - p.min + 1))));
}

/**
 * The keys part V adds to the schema (explore, sometimes, replication.simultaneous), dropped from a
 * concrete input while the schema does not know them yet, so the input still loads.
 */
export function fitToSchema(input: Input): Input {
  const top = allowedKeysAt(scenarioSchema, []) ?? [];
  const replication = allowedKeysAt(scenarioSchema, ['replication']) ?? [];
  const out: Input = { ...input };
  for (const key of ['explore', 'sometimes']) if (!top.includes(key)) delete out[key];
  if (!replication.includes('simultaneous') && out.replication && typeof out.replication === 'object') {
    const { simultaneous: _s, ...rest } = out.replication as Input;
    out.replication = rest;
  }
  return out;
}

/**
 * Which `sometimes` conditions a run met: the report's own field once part V lands; until then the
 * `counts` and `atLeast` keys of the template's conditions, checked here.
 */
export function sometimesHits(report: RunReport, template: Input): Array<{ name: string; hit: boolean }> {
  const reported = (report as RunReport & { sometimes?: Array<{ name: string; hit: boolean }> }).sometimes;
  if (reported) return reported;
  const declared = Array.isArray(template.sometimes) ? (template.sometimes as Input[]) : [];
  const counts = report.counts as unknown as Record<string, number>;
  return declared.map((c) => {
    const exact = Object.entries((c.counts as Record<string, number>) ?? {}).every(([k, n]) => counts[k] === n);
    const atLeast = Object.entries((c.atLeast as Record<string, number>) ?? {}).every(([k, n]) => (counts[k] ?? 0) >= n);
    const converged = c.converged === undefined || c.converged === report.assertions.some((a) => a.name === 'converged' && a.actual === true);
    return { name: String(c.name), hit: exact && atLeast && converged };
  });
}

// ---------------------------------------------------------------------------------------------
// stand-in until part S lands: src/explore/pin-lags.ts

/** `input` with every link that carried writes pinned to a `sequence` of the lags it got, and the run's seed. */
export function pinLags(input: Input, lags: Record<string, number[]>): Input {
  const replication = { ...((input.replication as Input | undefined) ?? {}) };
  const kept = ((replication.links as Input[] | undefined) ?? []).filter((l) => !(`${String(l.from)}→${String(l.to)}` in lags));
  const pinned = Object.entries(lags).map(([key, ms]) => {
    const [from, to] = key.split('→');
    return { from, to, lag: { distribution: 'sequence', ms: ms.map((v) => v ?? 0) } };
  });
  replication.links = [...kept, ...pinned];
  return { ...input, replication };
}

// ---------------------------------------------------------------------------------------------
// stand-in until part S lands: src/explore/shrink.ts

export interface ShrinkResult {
  input: Input;
  runs: number;
  ms: number;
  steps: string[];
}

/**
 * A small greedy shrinker: drop faults, drop steps (an event with the retries of it), then move each
 * step's and fault's time earlier by binary search, keeping a candidate only when the run still
 * fails with `signature`. Part S's shrinker does much more (regions, lags, values).
 */
export async function shrink(
  input: Input,
  signature: string,
  run: (input: Input) => Promise<RunReport>,
  opts: { deadlineMs?: number; maxRuns?: number } = {},
): Promise<ShrinkResult> {
  const now = () => performance.now();
  const started = now();
  let runs = 0;
  const notes: string[] = [];
  const out = (): boolean => (opts.maxRuns !== undefined && runs >= opts.maxRuns) || (opts.deadlineMs !== undefined && now() - started > opts.deadlineMs);
  const holds = async (candidate: Input): Promise<boolean> => {
    runs++;
    try {
      return failureSignature(await run(candidate)) === signature;
    } catch {
      return false;
    }
  };
  let best = input;
  for (let improved = true; improved && !out(); ) {
    improved = false;
    for (const list of ['faults', 'steps'] as const) {
      for (let i = ((best[list] as unknown[]) ?? []).length - 1; i >= 0 && !out(); i--) {
        const entries = best[list] as Input[];
        const gone = dropIds(entries, i);
        const candidate = { ...best, [list]: entries.filter((_, j) => !gone.has(j)) };
        if (await holds(candidate)) {
          best = candidate;
          improved = true;
          notes.push(`dropped ${list}[${i}]`);
          i = Math.min(i, (best[list] as unknown[]).length);
        }
      }
    }
    for (const list of ['faults', 'steps'] as const) {
      const entries = (best[list] as Input[] | undefined) ?? [];
      for (let i = 0; i < entries.length && !out(); i++) {
        const at = typeof entries[i]!.at === 'number' ? (entries[i]!.at as number) : durationMs(entries[i]!.at as string);
        let lo = list === 'steps' && i > 0 ? atMs((best.steps as Input[])[i - 1]!.at) : 0;
        let hi = at;
        while (lo < hi && !out()) {
          const mid = Math.floor((lo + hi) / 2);
          const candidate = withAt(best, list, i, mid);
          if (await holds(candidate)) {
            best = candidate;
            hi = mid;
            improved = true;
          } else lo = mid + 1;
        }
        if (hi !== at) notes.push(`${list}[${i}].at ${at} → ${hi}ms`);
      }
    }
  }
  return { input: best, runs, ms: Math.round(now() - started), steps: notes };
}

function atMs(at: unknown): number {
  return typeof at === 'number' ? at : durationMs(at as string);
}

function withAt(input: Input, list: string, i: number, at: number): Input {
  const entries = [...(input[list] as Input[])];
  entries[i] = { ...entries[i], at };
  return { ...input, [list]: entries };
}

/** Index `i` and, for an event step, every retry of it. */
function dropIds(entries: Input[], i: number): Set<number> {
  const gone = new Set([i]);
  const id = (entries[i]?.event as Input | undefined)?.id;
  if (id !== undefined) entries.forEach((e, j) => (e.retry as Input | undefined)?.of === id && gone.add(j));
  return gone;
}

// ---------------------------------------------------------------------------------------------
// stand-in until part S lands: src/explore/repro.ts

/** The repro as YAML, with a comment header saying what failed and how to replay it. */
export function reproYaml(input: Input, header: { scenarioFile: string; token: string; signature: string; command: string }): string {
  const { description: _d, ...rest } = input;
  const named = { ...rest, name: `${String(input.name ?? 'scenario')}-repro` };
  const lines = [
    `# Found by geosim explore on ${header.scenarioFile}: ${header.signature}`,
    `# Run it: ${header.command}`,
    `# Replay the search run: geosim explore --replay ${header.token}`,
  ];
  return `${lines.join('\n')}\n${stringify(named)}`;
}

// ---------------------------------------------------------------------------------------------
// stand-in until part V lands: the schema validating ranges, `explore:` and `sometimes:`

/**
 * Until V's schema knows ranges, `explore:` and `sometimes:`, a template using them fails
 * loadScenarioFile: it stands when its first run's concrete input loads (those problems, without
 * the template's lines, otherwise). Undefined: the template's own problems stand.
 */
export function standInTemplateProblems(template: Input, concrete: Input, file: string): ScenarioProblem[] | undefined {
  const usesV = findRanges(template).length > 0 || 'explore' in template || 'sometimes' in template || (template.replication as Input | undefined)?.simultaneous !== undefined;
  if (!usesV) return undefined;
  const loaded = loadScenarioObject(concrete, file, (data) => stringify(data));
  return loaded.ok ? [] : loaded.problems;
}
