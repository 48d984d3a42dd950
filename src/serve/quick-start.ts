import { parse } from 'yaml';
import { duration, lag as lagSchema, regionName } from '../scenario/schema.js';
import { DEFAULT_LAG, REPLICATION_DEFAULTS } from '../scenario/schema.js';
import { lagProblems } from '../scenario/range-checks.js';
import { toLag } from '../scenario/to-scenario.js';
import type { LagSpec, LinkSpec } from '../scenario/model.js';
import type { ServedScenario } from './session.js';

/** The regions of `geosim serve` without a scenario and without `--regions`. */
export const DEFAULT_SERVE_REGIONS = ['us-east-1', 'eu-west-1'];

/** What the quick-start flags build, or what is wrong with them (the CLI exits 2). */
export type QuickStart = { ok: true; scenario: ServedScenario } | { ok: false; message: string };

/**
 * `geosim serve --regions us-east-1,eu-west-1 --lag 1s`: a session without a scenario file. The lag
 * is a duration (fixed lag) or a scenario's own lag mapping in YAML flow style, e.g.
 * `{distribution: uniform, min: 300ms, max: 900ms}`, validated by the scenario schema itself.
 */
export function quickStartScenario(regionsFlag: string | undefined, lagFlag: string | undefined): QuickStart {
  const regions = regionsFlag === undefined ? DEFAULT_SERVE_REGIONS : regionsFlag.split(',').map((r) => r.trim());
  for (const region of regions) {
    if (!regionName.safeParse(region).success) return { ok: false, message: `--regions: "${region}" is not a region name such as us-east-1 or eu-west-1 (give them comma-separated, e.g. --regions us-east-1,eu-west-1)` };
  }
  if (regions.length < 2) return { ok: false, message: '--regions: a global table needs at least two regions, e.g. --regions us-east-1,eu-west-1' };
  const repeated = regions.find((r, i) => regions.indexOf(r) !== i);
  if (repeated !== undefined) return { ok: false, message: `--regions: ${repeated} is listed twice` };
  const lag = lagFlag === undefined ? ({ ok: true, lag: DEFAULT_LAG } as const) : parseLagFlag(lagFlag);
  if (!lag.ok) return lag;
  const links: LinkSpec[] = [];
  for (const from of regions) for (const to of regions) if (from !== to) links.push({ from, to, lag: lag.lag });
  return {
    ok: true,
    scenario: {
      name: 'geosim serve',
      file: `--regions ${regions.join(',')}`,
      regions,
      replication: { links, coalesce: REPLICATION_DEFAULTS.coalesce, tieBreak: REPLICATION_DEFAULTS.tieBreak },
      clockSkew: {},
      faults: [],
    },
  };
}

const LAG_HINT = 'expected a duration (fixed lag) such as 1s, 300ms or 500, or a scenario lag such as "{distribution: uniform, min: 300ms, max: 900ms}" (distributions: fixed, uniform, normal, exponential)';

/** `--lag 1s` or `--lag '{distribution: normal, mean: 1s, stddev: 200ms}'`. */
export function parseLagFlag(value: string): { ok: true; lag: LagSpec } | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = parse(value);
  } catch {
    return { ok: false, message: `--lag: ${LAG_HINT}` };
  }
  if (typeof parsed === 'number' || typeof parsed === 'string') {
    const fixed = duration.safeParse(parsed);
    if (!fixed.success) return { ok: false, message: `--lag: ${fixed.error.issues[0]?.message ?? LAG_HINT}` };
    return { ok: true, lag: toLag({ distribution: 'fixed', ms: fixed.data }) };
  }
  const spec = lagSchema.safeParse(parsed);
  if (!spec.success) {
    const issue = spec.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, message: `--lag: ${where}${issue?.message ?? 'invalid'}; ${LAG_HINT}` };
  }
  // What the schema accepts and a scenario still refuses (a uniform lag's min above its max), in its words.
  const problem = lagProblems(spec.data, [])[0];
  if (problem !== undefined) return { ok: false, message: `--lag: ${problem.message}` };
  return { ok: true, lag: toLag(spec.data) };
}
