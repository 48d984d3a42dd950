import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, MAX_PROBLEMS, MAX_TIME_MS } from '../../src/scenario/limits.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import { formatProblems, type ScenarioProblem } from '../../src/scenario/problems.js';

// Issue 10, items 4-9, 16, 21: inputs that were answered wrongly, crashed the loader or drove the terminal.

const VALID = `regions: [us-east-1, eu-west-1]
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: "O#1", data: { s: a } }
`;

function problems(yaml: string): ScenarioProblem[] {
  const result = loadScenarioText(yaml, 'bad.yaml');
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.problems;
}

function tempFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'geosim-load-')), name);
  writeFileSync(file, content);
  return file;
}

describe('item 4: a put item without Id', () => {
  it('is one problem, the missing Id; the item\'s own attributes are not unknown keys', () => {
    const found = problems(VALID.replace('event: { id: e1, region: us-east-1, item: "O#1", data: { s: a } }', 'put: { region: us-east-1, item: { Name: x, Count: 1 } }'));
    // Without Id the put is read as DynamoDB syntax (an item of a table declared with `tables:` has
    // keys of its own); on GlobalEventTable, DynamoDB's own refusal, with the key named in the hint.
    expect(found.map((p) => [p.code, p.message])).toEqual([['dynamodb-refuses', 'DynamoDB refuses this put (ValidationException): One of the required keys was not given a value']]);
    expect(found[0]!.hint).toContain('partition key Id');
  });

  it('a near miss of Id is named in the hint', () => {
    const [p, ...rest] = problems(VALID.replace('event: { id: e1, region: us-east-1, item: "O#1", data: { s: a } }', 'put: { region: us-east-1, item: { id: x } }'));
    expect(rest).toEqual([]);
    expect(p!.hint).toContain('found "id" (keys are case-sensitive)');
  });
});

describe('item 5: control characters never reach the terminal raw', () => {
  it('escapes them in the message and the excerpt, keeping the caret under the spot', () => {
    const found = problems(VALID.replace('at: 0', 'at: "x\u001b[2J\u001b]0;title\u0007"'));
    const out = formatProblems(found);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(out).toContain('found the string "x\\x1b[2J\\x1b]0;title\\x07"');
    expect(out).toContain('   3 |   - at: "x\\x1b[2J\\x1b]0;title\\x07"\n     |         ' + '^'.repeat(26) + '\n');
  });

  it('escapes them in keys named by a message', () => {
    const out = formatProblems(problems(VALID + '"bad\\e[31mkey": 1\n'));
    expect(out).toContain('unknown key "bad\\x1b[31mkey"');
    expect(out).not.toContain('\u001b');
  });

  it('a long line is cut to a window around the column', () => {
    const out = formatProblems(problems(VALID.replace('at: 0', `at: 0, ${'x: 1, '.repeat(200)}y: [`)));
    for (const line of out.split('\n')) expect(line.length).toBeLessThan(200);
  });

  it('a file with NUL bytes or invalid UTF-8 is "not a YAML text file" at 1:1', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), Buffer.alloc(1000, 0x90)]);
    for (const content of [elf, Buffer.from('regions: [us-east-1]\u0000\n'), Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a])]) {
      const result = await loadScenarioFile(tempFile('x.yaml', content));
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.problems).toEqual([expect.objectContaining({ line: 1, col: 1, code: 'not-text' })]);
      expect(result.problems[0]!.message).toMatch(/^not a YAML text file/);
      expect(formatProblems(result.problems).length).toBeLessThan(200);
    }
  });
});

describe('item 6: file size limit', () => {
  it('refuses a file above the limit at 1:1 before reading it, naming the flag', async () => {
    const file = tempFile('big.yaml', VALID + `# ${'x'.repeat(2000)}\n`);
    const result = await loadScenarioFile(file, { maxFileBytes: 1000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ line: 1, col: 1, code: 'file-too-large' })]);
    expect(result.problems[0]!.hint).toContain('--max-file-size');
    expect((await loadScenarioFile(file, { maxFileBytes: 10_000 })).ok).toBe(true);
  });

  it('a size that rounds to its limit is given in bytes, both', async () => {
    const text = `${VALID}#`.padEnd(1400, 'x') + '\n'; // 1,401 bytes: "1 KB", as the limit of 1,024 reads
    const result = await loadScenarioFile(tempFile('small.yaml', text), { maxFileBytes: 1024 });
    expect(!result.ok && result.problems[0]!.message).toBe('the file is 1,401 bytes; scenario files are limited to 1,024 bytes');
  });

  it('the default limit is 1 MB', async () => {
    const file = tempFile('big.yaml', VALID + `# ${'x'.repeat(1_048_576)}\n`);
    const result = await loadScenarioFile(file);
    expect(!result.ok && result.problems[0]!.message).toBe('the file is 1,048,698 bytes; scenario files are limited to 1,048,576 bytes');
  });
});

describe('items 7 and 21: deep nesting', () => {
  const deepBlock = (levels: number) => {
    let s = VALID + 'expect:\n  items:\n    "O#1":\n';
    for (let i = 0; i < levels; i++) s += `${' '.repeat(6 + 2 * i)}k:\n`;
    return s + `${' '.repeat(6 + 2 * levels)}v\n`;
  };

  it('20,000 nested [ : "nesting deeper than 64" where the 65th level opens', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nsteps: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(found).toEqual([expect.objectContaining({ code: 'too-deep', line: 2, col: 8 + MAX_NESTING - 1 })]);
    expect(found[0]!.message).toBe(`nesting deeper than ${MAX_NESTING} levels of mappings and lists`);
  });

  it('block and flow mappings thousands of levels deep are reported, never thrown', () => {
    // 3,000 levels of block indentation take 9 MB: past the size limit, so raise it here.
    const deep = loadScenarioText(deepBlock(3000), 'deep.yaml', { maxFileBytes: 100 << 20 });
    expect(!deep.ok && deep.problems.map((p) => p.code)).toEqual(['too-deep']);
    const flow = `regions: [us-east-1, eu-west-1]\nsteps: [ {at: 0, read: {region: us-east-1, item: A}} ]\nx: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`;
    expect(problems(flow).map((p) => p.code)).toEqual(['too-deep']);
  });

  it('the limit is exact: 64 levels load, 65 do not', () => {
    // The top mapping, expect and items are 3 levels; "O#1" and each k: but the last hold one more.
    expect(loadScenarioText(deepBlock(MAX_NESTING - 3), 'ok.yaml').ok).toBe(true);
    // The 65th level is the mapping under the 61st k:, on the line of the 62nd.
    expect(problems(deepBlock(MAX_NESTING - 2))).toEqual([expect.objectContaining({ code: 'too-deep', line: 7 + MAX_NESTING - 2 })]);
  });

  it('aliases cannot build what the text does not show: deeper values and cycles', () => {
    expect(problems(VALID + 'x: &a [1, *a]\n')).toEqual([expect.objectContaining({ code: 'alias-cycle', line: 5, col: 11 })]);
    let chain = VALID + `a0: &a0 ${'['.repeat(50)}${']'.repeat(50)}\n`;
    for (let i = 1; i < 5; i++) chain += `a${i}: &a${i} ${'['.repeat(50)}*a${i - 1}${']'.repeat(50)}\n`;
    expect(problems(chain).map((p) => p.code)).toEqual(['too-deep']);
  });
});

describe('item 8: times and durations are bounded', () => {
  it.each(['1e300', '"99999999999999m"', String(MAX_TIME_MS + 1), `"${'9'.repeat(400)}ms"`])('at: %s is a located problem', (at) => {
    const [p, ...rest] = problems(VALID.replace('at: 0', `at: ${at}`));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 3, col: 9 });
    expect(p!.message).toContain(`at most 365 days (${MAX_TIME_MS} ms)`);
  });

  it('bounds every duration, signed ones too, and accepts the maximum itself', () => {
    expect(problems(VALID + 'clocks: { eu-west-1: { skew: "-999999m" } }\n')[0]!.message).toContain('at most 365 days');
    expect(problems(VALID + 'replication: { lag: { distribution: exponential, mean: 1e20 } }\n')[0]!.message).toContain('at most 365 days');
    expect(loadScenarioText(VALID.replace('at: 0', `at: ${MAX_TIME_MS}`), 'ok.yaml').ok).toBe(true);
    expect(loadScenarioText(VALID.replace('at: 0', 'at: "525600m"'), 'ok.yaml').ok).toBe(true);
  });
});

describe('item 9: semantic problems are reported with the type errors', () => {
  it('an update with neither set nor add, next to a wrong type', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]
steps:
  - at: 0
    update: { region: us-east-1, id: X }
  - at: soon
    read: { region: us-east-1, item: X }
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [4, 'empty-update'],
      [5, 'wrong-value'],
    ]);
  });

  it('does not guess: a reference to a part that failed to validate is not reported', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]
steps:
  - at: soon
    event: { id: e1, region: us-east-1, item: X, data: {} }
  - at: 1
    retry: { of: e1, region: eu-west-2 }
`);
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [3, 'wrong-value'],
      [6, 'unknown-region'],
    ]);
    const badRegions = problems('regions: us-east-1\nsteps: [ { at: 0, read: { region: us-east-1, item: X } } ]\n');
    expect(badRegions.map((p) => p.code)).toEqual(['wrong-type']);
  });
});

describe('item 16: tags geosim does not understand', () => {
  it('!!omap on expect or application is an error at the tag, not an empty mapping', () => {
    const found = problems(VALID + 'expect: !!omap [ { items: { "O#1": { x: 999 } } } ]\napplication: !!omap [ {strategy: no-such-strategy} ]\n');
    expect(found.map((p) => [p.line, p.col, p.code])).toEqual([
      [5, 9, 'unsupported-tag'],
      [6, 14, 'unsupported-tag'],
    ]);
    expect(found[0]!.message).toBe('unsupported tag !!omap: geosim reads plain mappings, lists and scalars');
  });

  it.each(['!!set {a, b}', '!!timestamp 2001-12-14', '!!binary aGVsbG8=', '!local x', '!<tag:example.com,2000:x> y', '!!pairs [ {a: 1} ]'])('%s is an error', (value) => {
    expect(problems(VALID + `x: ${value}\n`).map((p) => p.code)).toContain('unsupported-tag');
  });

  it('the core tags are accepted where they fit their value, and an error where they do not', () => {
    const s = loadScenarioText(VALID.replace('data: { s: a }', 'data: { s: !!str 12, n: !!int 3, f: !!float 1.5, b: !!bool true, z: !!null null, m: !!map {a: 1} }'), 'ok.yaml');
    expect(s.ok).toBe(true);
    expect(s.ok && s.scenario.steps[0]).toMatchObject({ event: { data: { s: '12', n: 3, f: 1.5, b: true, z: null, m: { a: 1 } } } });
    expect(problems(VALID.replace('data: { s: a }', 'data: { n: !!int abc }'))).toEqual([expect.objectContaining({ code: 'tag-mismatch', message: 'the tag !!int does not fit its value' })]);
  });
});

describe('a malformed duration in a setting whose limit is checked by a refinement (found by the fuzzer)', () => {
  it('is one wrong-value problem at its position, never an exception from the refinement', () => {
    for (const setting of ['stepFunctions: { stateDuration: "500...ms" }', 'lambda: { invocation: stream, maximumRecordAge: "5...m" }']) {
      const found = problems(`${VALID}${setting}\n`);
      expect(found.map((p) => p.code)).toEqual(['wrong-value']);
      expect(found[0]!.message).toMatch(/found the string "5(00)?\.\.\.m(s)?"/);
    }
  });
});

describe('a generated file with thousands of mistakes', () => {
  it('reports the first 100 in full and counts the rest in one closing problem', () => {
    const keys = Array.from({ length: 150 }, (_, i) => `junk${i}: 1`).join('\n');
    const found = problems(`${VALID}${keys}\n`);
    expect(found).toHaveLength(101);
    expect(found.at(-1)!.code).toBe('more-problems');
    expect(found.at(-1)!.message).toBe('50 more problems in this file are not shown');
  });

  it('places runaway flow nesting (a million brackets) where level 65 opens, as for any too-deep file', () => {
    const deep = (n: number) => `regions: ${'['.repeat(n)}\n`;
    const [few] = problems(deep(100));
    const [many] = problems(deep(1_000_000));
    expect(many!.code).toBe('too-deep');
    expect([many!.line, many!.col]).toEqual([few!.line, few!.col]);
  });
});

describe('a file left mid-merge', () => {
  it('names each git conflict marker at its line, instead of the YAML errors the markers cause', () => {
    const text = `regions: [us-east-1, eu-west-1]\n<<<<<<< HEAD\nsteps: []\n=======\nsteps:\n  - at: 0\n>>>>>>> fix-retries\n`;
    const found = problems(text);
    expect(found.map((p) => [p.line, p.col, p.code, p.sourceLine])).toEqual([
      [2, 1, 'merge-conflict', '<<<<<<< HEAD'],
      [4, 1, 'merge-conflict', '======='],
      [7, 1, 'merge-conflict', '>>>>>>> fix-retries'],
    ]);
    expect(found[0]!.hint).toContain('delete the other side and the marker lines (<<<<<<<, |||||||, =======, >>>>>>>)');
  });

  it('finds a lone marker left by a half-resolved conflict, diff3 base markers, and CRLF lines', () => {
    expect(problems(`${VALID}>>>>>>> fix-retries\n`).map((p) => [p.line, p.code])).toEqual([[5, 'merge-conflict']]);
    const diff3 = 'regions: [us-east-1, eu-west-1]\r\n<<<<<<< HEAD\r\nsteps: []\r\n||||||| base\r\nsteps: [ ]\r\n=======\r\nsteps: [  ]\r\n>>>>>>> b\r\n';
    expect(problems(diff3).map((p) => [p.line, p.code, p.sourceLine])).toEqual([
      [2, 'merge-conflict', '<<<<<<< HEAD'],
      [4, 'merge-conflict', '||||||| base'],
      [6, 'merge-conflict', '======='],
      [8, 'merge-conflict', '>>>>>>> b'],
    ]);
  });

  it('a file of nothing but markers (1 MB of them) is read in one pass, its problems capped', () => {
    const text = '=======\n'.repeat(131_000); // just under the 1 MB default limit: quadratic line counting would take minutes
    const found = problems(text);
    expect(found).toHaveLength(MAX_PROBLEMS + 1);
    expect(found.slice(0, 3).map((p) => p.line)).toEqual([1, 2, 3]);
    expect(found[MAX_PROBLEMS]).toMatchObject({ code: 'more-problems', line: MAX_PROBLEMS + 1 });
  });

  it('leaves a line of = signs inside a value alone', () => {
    const text = `${VALID}description: |\n  Title\n  =======\n`;
    const result = loadScenarioText(text, 'ok.yaml');
    expect(result.ok ? [] : result.problems.map((p) => p.code)).not.toContain('merge-conflict');
  });
});

describe('a size against its limit', () => {
  it('in KB or MB when both read exactly; in bytes when rounding, units or an inexact limit would mislead', async () => {
    const { formatBytesAgainst } = await import('../../src/scenario/limits.js');
    expect(formatBytesAgainst(4096, 2048)).toEqual(['4 KB', '2 KB']);
    expect(formatBytesAgainst(2.5 * 1_048_576, 1_048_576)).toEqual(['2.5 MB', '1 MB']);
    expect(formatBytesAgainst(1401, 1024)).toEqual(['1,401 bytes', '1,024 bytes']);
    expect(formatBytesAgainst(1500, 1000)).toEqual(['1,500 bytes', '1,000 bytes']);
    expect(formatBytesAgainst(1_100_000, 1_000_000)).toEqual(['1,100,000 bytes', '1,000,000 bytes']);
    expect(formatBytesAgainst(1_048_698, 1_048_576)).toEqual(['1,048,698 bytes', '1,048,576 bytes']);
  });
});
