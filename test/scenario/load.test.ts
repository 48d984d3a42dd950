import { readdirSync, readFileSync } from 'node:fs';
import { STRATEGIES } from '../../src/app/strategies.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblems, type ScenarioProblem } from '../../src/scenario/problems.js';

function problems(yaml: string): ScenarioProblem[] {
  const result = loadScenarioText(yaml, 'bad.yaml');
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.problems;
}

const VALID = `regions: [us-east-1, eu-west-1]
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: "O#1", data: { s: a } }
`;

describe('loadScenarioText', () => {
  it('accepts a minimal scenario and applies the documented defaults', () => {
    const result = loadScenarioText(VALID, 'scenarios/minimal.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.scenario;
    expect(s.name).toBe('minimal');
    expect(s.seed).toBe(1);
    expect(s.application).toEqual({ strategy: 'client-lww', idempotency: 'local', idempotencyTtlSeconds: 86400, maxRetries: 3, consumerDelay: 100 });
    expect(s.replication.links).toHaveLength(2);
    expect(s.replication.links[0]!.lag).toEqual({ distribution: 'uniform', min: 500, max: 1500 });
    expect(s.steps[0]).toMatchObject({ kind: 'event', event: { key: 'e1', type: 'ResourceAttributeValueChangeEvent' } });
  });

  it('parses durations with units and sorts steps by time, stably', () => {
    const result = loadScenarioText(
      `regions: [us-east-1, eu-west-1]
steps:
  - { at: 1.5s, read: { region: us-east-1, item: b } }
  - { at: 250ms, read: { region: us-east-1, item: a } }
  - { at: 1500, read: { region: us-east-1, item: c } }
  - { at: 1m, read: { region: us-east-1, item: d } }
`,
      'x.yaml',
    );
    expect(result.ok && result.scenario.steps.map((s) => [s.at, s.kind === 'read' && s.item])).toEqual([
      [250, 'a'],
      [1500, 'b'],
      [1500, 'c'],
      [60000, 'd'],
    ]);
  });

  it('malformed YAML: a yaml-syntax error at the line and column of the break', () => {
    const [p] = problems('regions: [us-east-1, eu-west-1\nsteps: [\n');
    expect(p).toMatchObject({ code: 'yaml-syntax', line: 2, col: 1 });
  });

  it('a badly indented key: the caret under the key, not in the indentation before it (col 1)', () => {
    const [p] = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n  event: { id: e1, region: us-east-1, item: A, data: { x: 1 } }\n');
    expect(p).toMatchObject({ code: 'yaml-syntax', line: 4, col: 3, message: 'All mapping items must start at the same column' });
  });

  it('reads a tagged expected value as DynamoDB stores it, so it matches the item however it was spelt (a number, a set in any order)', () => {
    const largest = `99999999999999999999999999999999999999${'0'.repeat(88)}`;
    const text = VALID + `expect:\n  items:\n    "O#1": { n: { $N: "3.00" }, m: { deep: { $N: "0.3E+1" } }, tags: { $SS: [b, a] }, big: { $N: "9.9999999999999999999999999999999999999E+125" } }\n  regions:\n    us-east-1: { "O#1": { n: { $N: "1E+2" } } }\n`;
    const result = loadScenarioText(text, 'ok.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.expect?.items?.['O#1']).toEqual({ n: 3, m: { deep: 3 }, tags: { $SS: ['a', 'b'] }, big: { $N: largest } });
    expect(result.scenario.expect?.regions?.['us-east-1']?.['O#1']).toEqual({ n: 100 });
    const inList = loadScenarioText(VALID + 'expect:\n  items:\n    "O#1": { list: [{ $N: "1E+2" }, { m: { $N: "2.0" } }] }\n', 'ok.yaml');
    expect(inList.ok && inList.scenario.expect?.items?.['O#1']).toEqual({ list: [100, { m: 2 }] });
  });

  it('the commonest YAML slips get a hint read from their line (they were all told to check their indentation)', () => {
    const hint = (yaml: string) => problems(yaml)[0]?.hint;
    const steps = 'regions: [us-east-1, eu-west-1]\nsteps:\n';
    expect(hint(`description: Note: this breaks\n${steps}  - { at: 0, check: { converged: true } }\n`)).toMatch(/^a value holding ": " reads as a nested mapping: put the value in quotes/);
    expect(hint(`name:x\n${steps}  - { at: 0, check: { converged: true } }\n`)).toBe('put a space after the colon: `name: ...` (without one YAML reads `name:...` as one word)');
    expect(hint(`${steps}  - at:0\n    check: { converged: true }\n`)).toMatch(/^put a space after the colon: `at: \.\.\.`/);
    expect(hint(`${steps}  -at: 0\n    check: { converged: true }\n`)).toBe('a list item starts with a dash and a space: `- at: 0`');
    const braces = 'in `{ }` the entries are separated by commas (`{ id: e1, region: us-east-1 }`), and a value holding ": " is put in quotes (`msg: "Error code: 5"`)';
    expect(hint(`${steps}  - at: 0\n    event: { id: e1 region: us-east-1, item: A, data: { v: 1 } }\n`)).toBe(braces);
    expect(hint(`${steps}  - at: 0\n    event: { id: e1, region: us-east-1, item: "ORDER#1" data: { v: 1 } }\n`)).toBe(braces);
    expect(hint(`${steps}  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { v: 1 } note: x }\n`)).toBe(braces);
    expect(hint(`${steps}  - at: 0\n  \tcheck: { converged: true }\n`)).toBe('this line is indented with a tab: indent with spaces only');
    // inside { } with every comma there, the value holding ": " is what to quote
    expect(hint(`${steps}  - at: 0\n    put: { region: us-east-1, item: { Id: A, note: Error code: 5 } }\n`)).toBe(braces);
  });

  it('an empty list item, an empty put and a misspelt lag distribution say what they are', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixd, ms: 5 } }\nsteps:\n  -\n  - at: 0\n    put:\n');
    expect(found.map((p) => p.hint)).toEqual([
      'expected one of "fixed", "uniform", "normal", "exponential", "sequence" (did you mean "fixed"?)',
      'this list item is empty: write the entry (`- at: 0 ...`), or remove the item',
      'nothing is indented under `put:`: its keys go on the lines below, indented deeper than it',
    ]);
  });

  it('a null where no mapping may go (an env value) is told it has no value, not to indent keys under it', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\napplication:\n  module: ./h.mjs\n  env:\n    Z: null\n    Y:\nsteps:\n  - { at: 0, check: { converged: true } }\n');
    expect(found.filter((p) => p.code === 'wrong-value').map((p) => p.hint)).toEqual([
      "`Z:` has no value (null): write one (`''` for an empty string), or remove the key",
      "`Y:` has no value (null): write one (`''` for an empty string), or remove the key",
    ]);
  });

  it('keys written under an empty key at its own column are told to indent under it (they got “did you mean "at"?”)', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event:\n    id: e1\n    region: us-east-1\n    item: A\n    data: { v: 1 }\nexpect:\nconverged: true\n');
    const at = (line: number) => found.find((p) => p.line === line);
    expect(at(4)).toMatchObject({ code: 'wrong-type', hint: 'nothing is indented under `event:`: its keys go on the lines below, indented deeper than it' });
    expect(at(5)).toMatchObject({ code: 'unknown-key', hint: '"id" is a key of `event:` above, whose value is empty: indent it under `event:`' });
    expect(at(10)).toMatchObject({ code: 'unknown-key', hint: '"converged" is a key of `expect:` above, whose value is empty: indent it under `expect:`' });
  });

  it('a string never closed is said where its quote opens, without the errors that follow from it', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: "e1, region: us-east-1, item: A, data: { x: 1 } }\n  - at: 1\n    check: { converged: true }\n');
    expect(found.map(({ code, line, col, message, hint }) => ({ code, line, col, message, hint }))).toEqual([
      { code: 'yaml-syntax', line: 4, col: 18, message: 'Missing closing "quote', hint: 'the string that opens here has no closing quote' },
    ]);
    // an escaped quote inside the string is part of it: the opening one is found
    const escaped = problems("regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: 'it''s, region: us-east-1 }\n");
    expect(escaped[0]).toMatchObject({ code: 'yaml-syntax', line: 4, col: 18 });
  });

  it('an unclosed { is said once: not again as the nested mapping the next line then looks like', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { x: 1 }\n  - at: 1\n    check: { converged: true }\n');
    expect(found.map((p) => p.message)).toEqual(['Flow map in block collection must be sufficiently indented and end with a }']);
  });

  it('unknown key: names the key, its place, the valid keys and the near miss, with a caret under it', () => {
    const [p] = problems(VALID.replace('steps:', 'replication:\n  lagg: { distribution: fixed, ms: 100 }\nsteps:'));
    expect(p).toMatchObject({ code: 'unknown-key', line: 3, col: 3, length: 4, message: 'unknown key "lagg" in replication' });
    expect(p!.hint).toContain('did you mean "lag"?');
    expect(formatProblems([p!])).toBe(
      'bad.yaml:3:3 error[unknown-key] unknown key "lagg" in replication\n' +
        '  hint: expected one of lag, links, coalesce, tieBreak, simultaneous, unchangedWrites (did you mean "lag"?)\n' +
        '   3 |   lagg: { distribution: fixed, ms: 100 }\n' +
        '     |   ^^^^\n',
    );
  });

  it('an unknown region that is a mapping key (clocks, expect.regions) is shown at the key, not at its value', () => {
    const found = problems(VALID.replace('steps:', 'clocks:\n  eu-west-2: { skew: 2s }\nsteps:') + 'expect:\n  regions:\n    ap-south-1:\n      "O#1": { s: a }\n');
    expect(found.map(({ code, line, col, length }) => ({ code, line, col, length }))).toEqual([
      { code: 'unknown-region', line: 3, col: 3, length: 'eu-west-2'.length },
      { code: 'unknown-region', line: 9, col: 5, length: 'ap-south-1'.length },
    ]);
  });

  it('reports the problems inside a section next to a type error in it, in one pass (replication links, expect)', () => {
    const text = VALID.replace(
      'steps:',
      'replication:\n  lag: { distribution: fixd, ms: 800 }\n  links:\n    - { from: us-east-1, to: ap-south-1, lag: { distribution: uniform, min: 900, max: 100 } }\nsteps:',
    ) + 'expect:\n  counts: { applyed: 1 }\n  regions: { ap-south-1: {} }\n';
    expect(problems(text).map((p) => `${p.line}:${p.code}`)).toEqual(['3:wrong-value', '5:unknown-region', '5:bad-range', '10:unknown-key', '11:unknown-region']);
  });

  it('reports a sometimes entry’s problems next to a type error in another entry, in one pass (a duplicate name showed only once the type error was fixed)', () => {
    const text = VALID + 'sometimes:\n  - { name: x, atLeast: { conflictz: 1 } }\n  - { name: y, atLeast: { conflicts: 1 } }\n  - { name: y, atLeast: { conflicts: 2 } }\n';
    const found = problems(text).map((p) => p.code);
    expect(found).toEqual(['unknown-key', 'duplicate-sometimes']);
  });

  it('wrong type: says what was expected and what was found, at the value', () => {
    const [p] = problems(VALID.replace('at: 0', 'at: soon'));
    expect(p).toMatchObject({ line: 3, col: 9, length: 4 });
    expect(p!.message).toContain('found the string "soon"');
    const [q] = problems(VALID.replace('[us-east-1, eu-west-1]', 'us-east-1'));
    expect(q).toMatchObject({ code: 'wrong-type', line: 1, col: 10 });
    expect(q!.message).toBe('regions: expected a list, found the string "us-east-1"');
  });

  it('missing key: names it and points at the mapping that lacks it', () => {
    const [p] = problems('steps:\n  - at: 0\n    read: { region: us-east-1, item: X }\n');
    expect(p).toMatchObject({ code: 'missing-key', line: 1, col: 1, message: 'missing required key "regions"' });
  });

  it('a misspelled required key is named as the near miss, not as missing', () => {
    const found = problems(VALID.replace('regions:', 'regoins:'));
    expect(found.map((p) => p.code)).toEqual(['unknown-key']);
    expect(found[0]!.hint).toContain('did you mean "regions"?');
    const [count] = problems(VALID + 'expect:\n  counts: { discardWrites: 1 }\n');
    expect(count!.hint).toContain('did you mean "discardedWrites"?');
  });

  it('empty file: one clear problem', () => {
    expect(problems('')).toEqual([expect.objectContaining({ code: 'empty-file', line: 1, col: 1 })]);
    expect(problems('# only a comment\n')[0]!.code).toBe('empty-file');
  });

  it('returns every problem in the file, in line order', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]
replication:
  lag: { distribution: gaussian, mean: 3 }
application: { strategy: lww }
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: X }, condition: { notexists: Id } }
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [3, 'wrong-value'],
      [4, 'wrong-value'],
      [7, 'unknown-key'],
    ]);
    expect(found[1]!.hint).toBe(`expected one of ${STRATEGIES.map((n) => `"${n}"`).join(', ')}`);
    expect(found[2]!.hint).toContain('did you mean "notExists"?');
  });

  it('inside a union (a lag), names the unknown key with keys read from the schema', () => {
    const found = problems(VALID.replace('steps:', 'replication:\n  lag: { distribution: fixed, msec: 100 }\nsteps:'));
    // `msec` explains the missing `ms`, so only the near miss is reported.
    expect(found.map((p) => [p.code, p.message])).toEqual([['unknown-key', 'unknown key "msec" in replication.lag']]);
    expect(found[0]!.hint).toBe('expected one of distribution, ms, min, max, mean, stddev (did you mean "ms"?)');
    // A misspelled fault kind: its valid keys come from the schema too, so they cannot drift.
    const [fault] = problems(VALID + 'faults:\n  - { at: 1s, until: 2s, outrage: { region: us-east-1 } }\n');
    expect(fault!.message).toContain('"outrage"');
    expect(fault!.hint).toContain('did you mean "outage"?');
  });

  it('references: unknown regions, retries of unknown events, mixed steps, duplicate ids', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]
steps:
  - at: 0
    event: { id: e1, region: us-east-2, item: X, data: {} }
  - at: 5
    event: { id: e1, region: us-east-1, item: X, data: {} }
  - at: 10
    retry: { of: e9, region: eu-west-1 }
  - at: 20
    read: { region: us-east-1, item: X }
    delete: { region: us-east-1, id: X }
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [4, 'unknown-region'],
      [6, 'duplicate-event'],
      [8, 'unknown-event'],
      [9, 'mixed-step'],
    ]);
    expect(found[0]!.hint).toBe('declared regions: us-east-1, eu-west-1');
  });

  it('hostile and odd inputs from the corpus are rejected with located problems, never a throw', () => {
    const dir = 'test/corpus';
    for (const name of readdirSync(dir)) {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      const result = loadScenarioText(text, name);
      if (name.endsWith('-valid.yaml')) {
        expect(result.ok, name).toBe(true);
        continue;
      }
      expect(result.ok, name).toBe(false);
      if (!result.ok) for (const p of result.problems) expect(p.line, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('never throws and always locates its problems, whatever the text (property)', () => {
    const yamlish = fc.stringMatching(/^[a-z:{}[\]\-, \n"'#&*!|>0-9.]{0,80}$/);
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string(), fc.constantFrom(VALID, VALID.replace('at: 0', 'at: [')), fc.constantFrom(VALID).map((v) => v.slice(0, 40))), (text) => {
        const result = loadScenarioText(text, 'p.yaml');
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          const lines = text.split(/\r?\n/).length;
          for (const p of result.problems) {
            expect(p.line).toBeGreaterThanOrEqual(1);
            expect(p.line).toBeLessThanOrEqual(lines);
            expect(p.col).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
