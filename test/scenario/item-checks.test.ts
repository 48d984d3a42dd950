import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

/**
 * What DynamoDB refuses in a write's data is refused when the file loads, at the value, so the
 * model and DynamoDB agree (issue 10 review, findings 2 and 4).
 */
function problems(steps: string) {
  const result = loadScenarioText(`regions: [us-east-1, eu-west-1]\nsteps:\n${steps}`, 'i.yaml');
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message, hint: p.hint }));
}

/** 1-based column of `token` in `line`. */
const col = (line: string, token: string) => line.indexOf(token) + 1;

describe('numbers in item data', () => {
  it('refuses whole numbers a YAML double does not hold exactly, and suggests a string', () => {
    const line = '  - { at: 0, put: { region: us-east-1, item: { Id: K1, n: 12345678901234567 } } }';
    const found = problems(line + '\n');
    expect(found).toEqual([
      expect.objectContaining({ code: 'bad-number', line: 3, col: col(line, '1234'), message: expect.stringContaining('YAML reads numbers as doubles'), hint: expect.stringContaining('put it in quotes') }),
    ]);
  });

  it('refuses typed values with no DynamoDB form wherever a short-form step writes or compares them (they crashed the run with a stack trace), and an event’s add out of range', () => {
    const lines = [
      '  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { n: { $SS: [] } } } }',
      '  - { at: 1, event: { id: e2, region: us-east-1, item: A, add: { n: 1e300 } } }',
      '  - { at: 2, update: { region: us-east-1, id: K1, set: { s: { $NS: [abc] } } } }',
      '  - { at: 3, put: { region: us-east-1, item: { Id: K1 }, condition: { equals: { n: { $N: abc } } } } }',
      '  - { at: 4, delete: { region: us-east-1, id: K1, condition: { or: [ { exists: n }, { equals: { s: { $BS: [] } } } ] } } }',
      '  - { at: 5, transact: { region: us-east-1, ops: [ { update: { id: K2, set: { x: 1 }, condition: { equals: { b: { $B: "!!!" } } } } } ] } }',
    ];
    const found = problems(lines.join('\n') + '\n');
    expect(found.map((p) => [p.code, p.line, p.col])).toEqual([
      ['bad-value', 3, col(lines[0]!, '$SS') - 2],
      ['bad-number', 4, col(lines[1]!, '1e300')],
      ['bad-value', 5, col(lines[2]!, '{ $NS')],
      ['bad-value', 6, col(lines[3]!, '$N') - 2],
      ['bad-value', 7, col(lines[4]!, '$BS') - 2],
      ['bad-value', 8, col(lines[5]!, '$B:') - 2],
    ]);
    expect(found[0]!.message).toBe('DynamoDB cannot hold this value: $SS takes a non-empty list (DynamoDB has no empty sets)');
  });

  it('refuses magnitudes DynamoDB cannot store, in its words, in puts, events, updates and transactions', () => {
    const lines = [
      '  - { at: 0, put: { region: us-east-1, item: { Id: K1, n: 1e130 } } }',
      '  - { at: 1, event: { id: e1, region: us-east-1, item: A, data: { m: { n: 1e-131 } } } }',
      '  - { at: 2, update: { region: us-east-1, id: K1, set: { l: [1, -1e127] }, add: { c: 1e200 } } }',
      '  - { at: 3, transact: { region: us-east-1, ops: [ { put: { item: { Id: K2, n: 1e126 } } } ] } }',
    ];
    const found = problems(lines.join('\n') + '\n');
    expect(found.map((p) => [p.code, p.line, p.col])).toEqual([
      ['bad-number', 3, col(lines[0]!, '1e130')],
      ['bad-number', 4, col(lines[1]!, '1e-131')],
      ['bad-number', 5, col(lines[2]!, '-1e127')],
      ['bad-number', 5, col(lines[2]!, '1e200')],
      ['bad-number', 6, col(lines[3]!, '1e126')],
    ]);
    expect(found[0]!.message).toBe('DynamoDB refuses 1e+130: "Number overflow. Attempting to store a number with magnitude larger than supported range"');
    expect(found[1]!.message).toBe('DynamoDB refuses 1e-131: "Number underflow. Attempting to store a number with magnitude smaller than supported range"');
  });

  it('refuses .nan and .inf in item data, in DynamoDB’s words', () => {
    const line = '  - { at: 0, put: { region: us-east-1, item: { Id: K1, a: .nan, b: -.inf } } }';
    const found = problems(line + '\n');
    expect(found.map((p) => [p.code, p.col])).toEqual([
      ['bad-number', col(line, '.nan')],
      ['bad-number', col(line, '-.inf')],
    ]);
    expect(found[0]!.message).toBe('DynamoDB refuses NaN: "A value provided cannot be converted into a number"');
  });

  it('a number too large for a double (1e400) reads as Infinity: the hint says so, not only .inf (the file has none)', () => {
    const [data] = problems('  - { at: 0, put: { region: us-east-1, item: { Id: K1, n: 1e400 } } }\n');
    expect(data!.message).toBe('DynamoDB refuses Infinity: "A value provided cannot be converted into a number"');
    expect(data!.hint).toMatch(/1e400 reads as Infinity/);
    const lag = loadScenarioText('regions: [us-east-1, eu-west-1]\nreplication: { lag: { distribution: fixed, ms: 1e400 } }\nsteps:\n  - { at: 0, check: { converged: true } }\n', 'i.yaml');
    expect(lag.ok ? [] : lag.problems.map((p) => [p.message, p.hint])).toEqual([
      ['replication.lag.ms: found Infinity, which is not a number geosim or DynamoDB can use', '.nan and .inf are not numbers in a scenario, nor is a number too large for a double (1e400 reads as Infinity)'],
    ]);
  });

  it('refuses every whole number beyond 2^53, which the DynamoDB SDK would refuse too', () => {
    expect(problems('  - { at: 0, put: { region: us-east-1, item: { Id: K1, b: 1e125 } } }\n').map((p) => p.code)).toEqual(['bad-number']);
  });

  it('accepts the numbers DynamoDB stores, and leaves conditions and expectations alone', () => {
    expect(
      problems(
        [
          '  - { at: 0, put: { region: us-east-1, item: { Id: K1, a: 9007199254740991, b: -9007199254740991, c: 1e-130, d: 0, e: -0.5 } } }',
          '  - { at: 1, read: { region: us-east-1, item: K1, expect: { a: 1e200 } } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('attribute names and item size', () => {
  it('refuses an empty attribute name at any depth, at the name, in DynamoDB Local’s words', () => {
    const lines = [
      '  - { at: 0, put: { region: us-east-1, item: { Id: K1, "": 1 } } }',
      '  - { at: 1, event: { id: e1, region: us-east-1, item: A, data: { m: { "": 1 } } } }',
      '  - { at: 2, update: { region: us-east-1, id: K1, set: { "": 1 } } }',
    ];
    const found = problems(lines.join('\n') + '\n');
    expect(found.map((p) => [p.code, p.line, p.col])).toEqual(lines.map((l, i) => ['empty-attribute-name', i + 3, col(l, '""')]));
    expect(found[0]!.message).toBe('DynamoDB refuses this write: "Empty attribute name"');
  });

  it('refuses a put item over 400 KB and accepts one just under', () => {
    const put = (n: number) => `  - { at: 0, put: { region: us-east-1, item: { Id: K, s: "${'x'.repeat(n)}" } } }\n`;
    // Id + K + s + the string: DynamoDB Local took 409,596 characters and refused 409,597.
    expect(problems(put(409_596))).toEqual([]);
    expect(problems(put(409_597))).toEqual([
      expect.objectContaining({ code: 'item-too-large', line: 3, col: 46, message: 'DynamoDB refuses this write: "Item size has exceeded the maximum allowed size" (the item is about 401 KB; the limit is 400 KB)' }),
    ]);
  });

  it('refuses event data that makes the application’s item over 400 KB, counting its own attributes', () => {
    const event = (n: number) => `  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { s: "${'x'.repeat(n)}" } } }\n`;
    expect(problems(event(409_000))).toEqual([]);
    expect(problems(event(409_500)).map((p) => p.code)).toEqual(['item-too-large']);
  });
});

describe('values nested deeper than DynamoDB takes', () => {
  const nested = (levels: number): string => (levels === 0 ? '1' : `{ m: ${nested(levels - 1)} }`);
  it('refuses an attribute whose value nests maps past 32 levels (31 in an event’s data, under Data), at the value; a run refused it, or stored it where DynamoDB would not', () => {
    const put = (maps: number) => `  - { at: 0, put: { region: us-east-1, item: { Id: K1, v: ${nested(maps)} } } }\n`;
    expect(problems(put(31))).toEqual([]);
    expect(problems(put(32)).map((p) => [p.code, p.message])).toEqual([['too-deep', 'DynamoDB refuses this write: "Nesting Levels have exceeded supported limits"']]);
    const event = (maps: number) => `  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { v: ${nested(maps)} } } }\n`;
    expect(problems(event(30))).toEqual([]);
    expect(problems(event(31)).map((p) => [p.code, p.hint])).toEqual([['too-deep', "an attribute's value nests maps and lists at most 32 levels deep (31 in an event's data, which the item holds under Data)"]]);
  });
});
