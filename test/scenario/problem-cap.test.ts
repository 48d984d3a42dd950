import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS } from '../../src/scenario/limits.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { nearMissWork } from '../../src/scenario/near-miss.js';
import { shieldProtoKeys } from '../../src/scenario/proto-keys.js';
import type { ScenarioProblem } from '../../src/scenario/problems.js';

// Issue 10, "every bad input answers in under 5 s": a generated file can hold tens of thousands of
// mistakes. Every one is counted, the first MAX_PROBLEMS (in file order) are shown in full, and the
// costly parts of a problem (a "did you mean", an edit distance per allowed key) are computed only
// for those shown. These tests count the work instead of timing it.

const HEAD = 'regions: [us-east-1, eu-west-1]\nsteps:\n';
const event = (i: number, id = `e${i}`) => `  - { at: ${i}, event: { id: ${id}, region: us-east-1, item: "O#1", data: { s: a } } }\n`;

function problems(yaml: string): ScenarioProblem[] {
  const result = loadScenarioText(yaml, 'bad.yaml');
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.problems;
}

/** The problems shown in full and the count in the closing line (0 when there is none). */
function split(found: ScenarioProblem[]): { shown: ScenarioProblem[]; more: number } {
  const last = found.at(-1);
  if (last?.code !== 'more-problems') return { shown: found, more: 0 };
  expect(last.hint).toBe(`fix the ${MAX_PROBLEMS} above and run again`);
  return { shown: found.slice(0, -1), more: Number(/^(\d+) more problems in this file are not shown$/.exec(last.message)?.[1]) };
}

const inFileOrder = (ps: ScenarioProblem[]) => ps.every((p, i) => i === 0 || p.line > ps[i - 1]!.line || (p.line === ps[i - 1]!.line && p.col >= ps[i - 1]!.col));

describe('thousands of unknown keys next to a missing one', () => {
  const N = 2000;
  // `regoins` explains the missing `regions`; `steps` is missing; 2,000 keys are unknown.
  const yaml = 'regoins: [us-east-1, eu-west-1]\n' + Array.from({ length: N }, (_, i) => `field${i}: 1\n`).join('');

  it('counts every problem and shows the first 100 in file order, hints and suggestions included', () => {
    const { shown, more } = split(problems(yaml));
    expect(shown).toHaveLength(MAX_PROBLEMS);
    expect(shown.length + more).toBe(N + 2);
    expect(inFileOrder(shown)).toBe(true);
    expect(shown.find((p) => p.message === 'unknown key "regoins" at the top level')!.hint).toMatch(/^expected one of name, .*\(did you mean "regions"\?\)$/);
    expect(shown.find((p) => p.message === 'unknown key "field0" at the top level')!.hint).toMatch(/^expected one of name, .*, expect$/);
    expect(shown.some((p) => p.message.startsWith('missing required key "steps"'))).toBe(true);
    // Explained by the near miss, so not reported on its own.
    expect(shown.some((p) => p.message.startsWith('missing required key "regions"'))).toBe(false);
  });

  it('computes edit distances for the problems shown, and at most one per unknown key and missing key', () => {
    const before = nearMissWork.editDistances;
    problems(yaml);
    const work = nearMissWork.editDistances - before;
    // The scenario's top level allows 14 keys. Suggesting for every unknown key, as the loader
    // once did (twice per missing key), is over 100,000 here.
    expect(work).toBeLessThanOrEqual(2 * N + MAX_PROBLEMS * 14);
  });
});

describe('every way of finding many problems shows 100 and counts the rest', () => {
  it('duplicate keys (found in the document, before validation)', () => {
    const { shown, more } = split(problems(`x:\n${'  k: 1\n'.repeat(301)}`));
    expect(shown.map((p) => p.line)).toEqual(Array.from({ length: MAX_PROBLEMS }, (_, i) => i + 3));
    expect(shown[0]).toMatchObject({ code: 'yaml-syntax', message: 'the key "k" appears twice in this mapping', col: 3 });
    expect(more).toBe(200);
  });

  it('aliases to no anchor', () => {
    const { shown, more } = split(problems(`x: [${Array.from({ length: 150 }, (_, i) => `*a${i}`).join(', ')}]\n`));
    expect(shown).toHaveLength(MAX_PROBLEMS);
    expect(shown[0]).toMatchObject({ code: 'yaml-aliases', message: 'the alias *a0 refers to no anchor &a0 before it', line: 1, col: 5 });
    expect(more).toBe(50);
  });

  it('semantic problems of a file whose types are right (one event id used 150 times)', () => {
    const { shown, more } = split(problems(HEAD + Array.from({ length: 150 }, (_, i) => event(i, 'e0')).join('')));
    expect(shown[0]).toMatchObject({ code: 'duplicate-event', line: 4, message: 'event id "e0" is already used by steps[0]' });
    expect(shown.map((p) => p.line)).toEqual(Array.from({ length: MAX_PROBLEMS }, (_, i) => i + 4));
    expect(more).toBe(49);
  });

  it('type problems together with semantic ones', () => {
    const steps = Array.from({ length: 120 }, (_, i) => (i % 2 ? event(i).replace(`at: ${i}`, 'at: soon') : event(i).replace('us-east-1', 'eu-central-1'))).join('');
    const { shown, more } = split(problems(HEAD + steps));
    expect(shown.length + more).toBe(120);
    expect(inFileOrder(shown)).toBe(true);
    expect(new Set(shown.map((p) => p.code))).toEqual(new Set(['unknown-region', 'wrong-value']));
  });

  it('a file of broken lines is one problem, where it first breaks, as before', () => {
    expect(problems(HEAD + '  - {]\n'.repeat(1000)).map((p) => [p.line, p.col, p.code])).toEqual([[3, 6, 'yaml-syntax']]);
  });
});

describe('semantic rules stay linear in what they compare', () => {
  it('a region listed twice among thousands is found at its index', () => {
    const regions = Array.from({ length: 5000 }, (_, i) => `us-east-${i}`);
    const found = problems(`regions: [${[...regions, 'us-east-7'].join(', ')}]\nsteps:\n${event(0)}`);
    expect(found).toEqual([expect.objectContaining({ code: 'duplicate-region', message: 'region "us-east-7" is listed twice' })]);
  });

  it('the retry of an unknown event names the events of the file', () => {
    const found = problems(HEAD + event(0) + event(1) + '  - { at: 2, retry: { of: nope, region: us-east-1 } }\n' + event(3));
    expect(found).toEqual([expect.objectContaining({ code: 'unknown-event', message: 'no event has id "nope"', hint: 'events: e0, e1, e3' })]);
  });
});

describe('shieldProtoKeys (a __proto__ key through validation)', () => {
  it('returns the data itself when no key needs renaming: nothing is copied', () => {
    const shared = { s: 'a', list: [{ n: 1 }] };
    const data = { regions: ['us-east-1'], steps: [{ event: { data: shared } }, { event: { data: shared } }] };
    expect(shieldProtoKeys(data)).toBe(data);
  });

  it('renames a __proto__ key however deep, also inside a value used twice', () => {
    const shared = JSON.parse('{ "list": [{ "__proto__": 1 }] }') as object;
    const data = { a: shared, b: shared };
    const out = shieldProtoKeys(data) as { a: { list: Array<Record<string, number>> }; b: unknown };
    expect(out).not.toBe(data);
    expect(Object.keys(out.a.list[0]!)).toEqual(['\u0000__proto__']);
  });
});
