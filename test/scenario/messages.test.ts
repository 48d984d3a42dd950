import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenarioText } from '../../src/scenario/load.js';

/**
 * One bad value gets one problem in geosim's words (issue 10 review, finding 8): every number and
 * string of a scenario that uses every section is replaced in turn by values that are wrong for
 * most fields, and each refusal is checked for zod's default wording and for double reports.
 */
const FULL = {
  name: 'all',
  description: 'every section',
  seed: 1,
  regions: ['us-east-1', 'eu-west-1'],
  replication: {
    lag: { distribution: 'uniform', min: 100, max: '1s' },
    links: [{ from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'normal', mean: 300, stddev: 50 } }],
    tieBreak: 'higher-region',
  },
  clocks: { 'eu-west-1': { skew: '-1s' } },
  application: { strategy: 'version', idempotency: 'local', idempotencyTtlSeconds: 3600, maxRetries: 3, consumerDelay: 100 },
  lambda: { invocation: 'stream', maximumRetryAttempts: 3, timeout: '3s', batchSize: 10, retryDelay: '1s', maximumRecordAge: '60s' },
  failover: { after: 500, regions: ['eu-west-1'] },
  faults: [
    { at: 0, until: '1s', pauseReplication: { region: 'eu-west-1', continuesFor: 10 } },
    { at: '2s', duration: '1s', outage: { region: 'us-east-1' } },
    { until: '5m', lambdaFailure: { event: 'e1', attempts: [1], probability: 0.5, error: 'throw', message: 'm' } },
    { at: 0, until: '1s', clockSkew: { region: 'eu-west-1', skew: 5 } },
  ],
  steps: [
    { at: 0, event: { id: 'e1', region: 'us-east-1', key: 'k1', item: 'A', data: { x: 1 }, type: 't' } },
    { at: '1s', retry: { of: 'e1', region: 'eu-west-1' } },
    { at: '2s', read: { region: 'us-east-1', item: 'A', consistency: 'strong', expect: { x: 1 } } },
    { at: '3s', put: { region: 'us-east-1', item: { Id: 'B', n: 1, s: 'x' }, condition: { lessThan: { n: 5 } } } },
    { at: '4s', update: { region: 'us-east-1', id: 'B', set: { s: 'y' }, add: { n: 1 } } },
    { at: '5s', delete: { region: 'us-east-1', id: 'B' } },
    { at: '6s', transact: { region: 'us-east-1', ops: [{ put: { item: { Id: 'C', n: 1 } } }, { delete: { id: 'D' } }] } },
    { at: '7s', check: { name: 'c', converged: true, counts: { events: 2 }, effects: { k1: 1 } } },
    { at: '8s', redrive: { region: 'us-east-1', events: ['e1'] } },
  ],
  expect: { converged: true, items: { A: { x: 1 } }, lost: ['e1'] },
};

/** Step Functions instead of Lambda's event source (the two do not go together). */
const { lambda: _lambda, ...WITHOUT_LAMBDA } = FULL;
const FULL_SFN = { ...WITHOUT_LAMBDA, stepFunctions: { type: 'standard', stateDuration: 100, retry: { interval: '2s', maxAttempts: 2, backoffRate: 2 } } };

const BAD_VALUES: unknown[] = [-1, 0, 1.5, 1e300, -1e300, '', '-5s', true];
/** zod's own wording, which a user should never see. */
const ZOD_WORDING = /Too (big|small)|Invalid (input|string|option|element|discriminator)|expected (int|object|array|record|nan)\b|[<>]=|received/;

function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return typeof value === 'number' || typeof value === 'string' ? [path] : [];
}

function withValue(base: object, path: (string | number)[], bad: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = bad;
  return copy;
}

describe('problem messages', () => {
  it.each([FULL, FULL_SFN])('the full scenarios are valid', (base) => {
    const r = loadScenarioText(stringify(base), 'all.yaml');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([]);
  });

  const sections = [...Object.keys(FULL).map((key) => [key, FULL] as const), ['stepFunctions', FULL_SFN] as const];
  it.each(sections)('never show zod’s wording, and one bad value is one problem: %s', { timeout: 120_000 }, (section, base) => {
    const found: string[] = [];
    for (const path of leaves(base)) {
      if (path[0] !== section) continue;
      for (const bad of BAD_VALUES) {
        const r = loadScenarioText(stringify(withValue(base, path, bad)), 'all.yaml');
        if (r.ok) continue;
        const where = `${path.join('.')} = ${JSON.stringify(bad)}`;
        for (const p of r.problems) if (ZOD_WORDING.test(p.message) || ZOD_WORDING.test(p.hint ?? '')) found.push(`${where}: zod wording: ${p.message}`);
        // Several references to a changed event id are several problems; one value reported twice is not.
        const at = r.problems.map((p) => `${p.line}:${p.col}`);
        if (new Set(at).size < at.length) found.push(`${where}: ${r.problems.length} problems: ${r.problems.map((p) => p.message).join(' | ')}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('a missing key', () => {
  it('says what to add in the words of the rest of the messages (a list, a string), not zod\'s type names (array)', () => {
    const hints = (yaml: string) => {
      const result = loadScenarioText(yaml, 'm.yaml');
      return result.ok ? [] : result.problems.map((p) => p.hint);
    };
    expect(hints('regions: [us-east-1, eu-west-1]\n')).toEqual(['add `steps:` (a list)']);
    expect(hints('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: {region: us-east-1, item: A, data: {a: 1}}\n')).toEqual(['add `id:` (a string)']);
  });
});
