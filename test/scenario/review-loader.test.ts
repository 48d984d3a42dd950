import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_VALUES, MAX_NESTING } from '../../src/scenario/limits.js';
import { loadScenarioText } from '../../src/scenario/load.js';

// Issue 10 review, findings 6, 7, 8 (retry.interval) and 9: the loader's answers to valid files and to mistakes.

function load(yaml: string) {
  return loadScenarioText(yaml, 'r.yaml');
}

function problems(yaml: string) {
  const r = load(yaml);
  return r.ok ? [] : r.problems.map((p) => ({ code: p.code, line: p.line, col: p.col, message: p.message, hint: p.hint }));
}

describe('finding 6: a type error in one step hides only the event ids it could declare', () => {
  const rest = [
    '  - { at: 1s, retry: { of: e9, region: us-east-1 } }',
    '  - { at: 3s, redrive: { region: us-east-1, events: [zz] } }',
    'lambda: { invocation: async }',
    'expect:',
    '  lost: [nothing]',
    '',
  ].join('\n');

  it('reports every unknown event id next to the type error', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: -1, check: { converged: true } }\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {x: 1} } }\n${rest}`);
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['wrong-value', 3],
      ['unknown-event', 5],
      ['unknown-event', 6],
      ['unknown-event', 9],
    ]);
  });

  it('does not report an id that an invalid event step declares', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: -1, event: { id: e9, region: us-east-1, item: A, data: {x: 1} } }\n${rest}`);
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['wrong-value', 3],
      ['unknown-event', 5],
      ['unknown-event', 8],
    ]);
  });

  it('reports none when an invalid step may declare an event whose id cannot be read', () => {
    for (const step of ['  - { at: 0, event: { id: 5, region: us-east-1, item: A, data: {x: 1} } }', '  - { at: 0, evnt: { id: e9 } }', '  - nonsense']) {
      const found = problems(`regions: [us-east-1, eu-west-1]\nsteps:\n${step}\n${rest}`);
      expect(found.filter((p) => p.code === 'unknown-event')).toEqual([]);
      expect(found.length).toBeGreaterThan(0);
    }
  });
});

describe('finding 7: aliases are bounded by what they expand to, in geosim’s words', () => {
  const reuse = (n: number) =>
    `regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, put: { region: us-east-1, item: &it { Id: K, a: 1 } } }\n` +
    Array.from({ length: n }, (_, i) => `  - { at: ${i + 1}, put: { region: us-east-1, item: *it } }\n`).join('');

  it('reuses one anchor hundreds of times', () => {
    expect(problems(reuse(60))).toEqual([]);
    expect(problems(reuse(1000))).toEqual([]);
  });

  it('refuses the billion-laughs corpus file at the value that multiplies, with the limit and a hint', () => {
    const found = problems(readFileSync('test/corpus/billion-laughs.yaml', 'utf8'));
    expect(found).toHaveLength(1);
    expect(found[0]!.code).toBe('yaml-aliases');
    expect(found[0]!.message).toMatch(new RegExp(`^aliases expand this file to [\\d,]+ values; the limit is ${MAX_ALIAS_VALUES.toLocaleString('en-US')}$`));
    expect(found[0]!.hint).toContain('alias smaller pieces');
    expect(found[0]!.line).toBeGreaterThan(1);
  });

  it('gives the documented nesting message for a chain of anchors deeper than the limit', () => {
    const chain = ['regions: [us-east-1, eu-west-1]', 'a0: &a0 {x: 1}'];
    for (let i = 1; i <= MAX_NESTING + 5; i++) chain.push(`a${i}: &a${i} {x: *a${i - 1}}`);
    chain.push('steps:', `  - { at: 0, put: { region: us-east-1, item: { Id: K, d: *a${MAX_NESTING + 5} } } }`, '');
    const found = problems(chain.join('\n'));
    expect(found.map((p) => [p.code, p.message])).toEqual([['too-deep', `nesting deeper than ${MAX_NESTING} levels of mappings and lists`]]);
  });

  it('names an alias without an anchor before it, at the alias', () => {
    expect(problems('regions: [us-east-1, eu-west-1]\nsteps: [*nope]\n')).toEqual([
      expect.objectContaining({ code: 'yaml-aliases', line: 2, col: 9, message: 'the alias *nope refers to no anchor &nope before it' }),
    ]);
  });
});

describe('finding 9: durations take h and d, like --horizon and the views', () => {
  it('reads hours and days, also signed', () => {
    const r = load(
      [
        'regions: [us-east-1, eu-west-1]',
        'clocks: { eu-west-1: { skew: -1h } }',
        'faults: [ { at: 1d, until: 1.5d, outage: { region: us-east-1 } } ]',
        'steps:',
        '  - { at: 2h, read: { region: us-east-1, item: A } }',
        '  - { at: 300d, read: { region: us-east-1, item: A } }',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    expect(r.scenario.steps.map((s) => s.at)).toEqual([2 * 3_600_000, 300 * 86_400_000]);
    expect(r.scenario.clockSkew['eu-west-1']).toBe(-3_600_000);
    expect(r.scenario.faults?.[0]).toMatchObject({ at: 86_400_000, until: 1.5 * 86_400_000 });
  });

  it('still stops at 365 days', () => {
    expect(problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 366d, read: { region: us-east-1, item: A } }\n').map((p) => p.message)).toEqual([
      'steps[0].at: at most 365 days (31536000000 ms) of virtual time, found the string "366d"',
    ]);
  });
});

describe('finding 8: stepFunctions.retry.interval says what a bare number means and its real bound', () => {
  it('one problem, saying a bare number is milliseconds', () => {
    const found = problems(
      'regions: [us-east-1, eu-west-1]\nstepFunctions: { retry: { interval: 99999999 } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {x: 1} } }\n',
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('a bare number is milliseconds');
    expect(found[0]!.message).toContain('at most 365 days');
  });

  it('accepts 365 days in whole seconds', () => {
    expect(problems('regions: [us-east-1, eu-west-1]\nstepFunctions: { retry: { interval: 365d } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {x: 1} } }\n')).toEqual([]);
  });
});

describe('a region name misspelt as a mapping key (clocks, expect.regions, a check’s regions)', () => {
  it('is said of the key, with the declared regions and the nearest one (it said “not a valid value, found a mapping” with the caret on the value)', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nclocks: { eu-west: { skew: 1s } }\nexpect:\n  regions: { eu-west: { A: null } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n  - { at: 1, check: { regions: { us-eats-1: { A: null } } } }\n');
    expect(found).toEqual([
      { code: 'bad-key', line: 2, col: 11, message: '"eu-west" is not a region name in clocks: expected a region name such as us-east-1 or eu-west-1', hint: 'declared regions: us-east-1, eu-west-1 (did you mean "eu-west-1"?)' },
      { code: 'bad-key', line: 4, col: 14, message: '"eu-west" is not a region name in expect.regions: expected a region name such as us-east-1 or eu-west-1', hint: 'declared regions: us-east-1, eu-west-1 (did you mean "eu-west-1"?)' },
      // well formed but not declared: as before
      expect.objectContaining({ line: 7, code: 'unknown-region', message: 'region "us-eats-1" is not one of the scenario\'s regions' }),
    ]);
  });
});

describe('messages a review found in zod’s words or beside the point', () => {
  const HEAD = 'regions: [us-east-1, eu-west-1]\n';
  it('a range’s bounds that are not a pair say what a pair is (it said “expected tuple”)', () => {
    expect(problems(`${HEAD}steps:\n  - { at: { between: 1s }, event: { id: e1, region: us-east-1, item: A, data: {} } }\n`)).toEqual([
      expect.objectContaining({ code: 'wrong-type', message: 'steps[0].at.between: expected a pair [lo, hi], e.g. between: [0, 2s], found the string "1s"' }),
    ]);
  });

  it('a YAML merge key is said to be one, without the missing keys it was meant to bring (it said unknown key "<<", did you mean "id")', () => {
    expect(problems(`${HEAD}steps:\n  - { at: 0, event: { <<: { region: us-east-1, item: A, data: {} }, id: e1 } }\n`)).toEqual([
      expect.objectContaining({ code: 'merge-key', message: 'YAML merge keys (`<<: *anchor`) are not read in steps[0].event', hint: 'write the keys out, or give a whole value an anchor (data: *base)' }),
    ]);
  });

  it('an environment variable that is a list says env values are strings', () => {
    const found = problems(`${HEAD}application: { module: ./m.mjs, env: { LIST: [a, b] } }\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n`);
    expect(found).toEqual([expect.objectContaining({ hint: 'an environment variable is a string (a number or true/false is written as one): Lambda passes nothing else' })]);
  });
});

describe('an effects expectation of a key no event has', () => {
  it('is refused with the events’ keys and the nearest (it passed for ever at 0)', () => {
    const steps = 'steps:\n  - { at: 0, event: { id: e1, key: order-1, region: us-east-1, item: A, data: {} } }\n  - { at: 1, event: { id: e2, region: us-east-1, item: A, data: {} } }\n';
    const found = problems(`regions: [us-east-1, eu-west-1]\n${steps}  - { at: 5, check: { effects: { e9: 0 } } }\nexpect:\n  effects: { ordr-1: 0, order-1: 1, e2: 1 }\n`);
    expect(found).toEqual([
      expect.objectContaining({ code: 'unknown-key', line: 5, message: 'no event has the idempotency key "e9": its effects are 0 in every run' }),
      { code: 'unknown-key', line: 7, col: 14, message: 'no event has the idempotency key "ordr-1": its effects are 0 in every run', hint: 'the events\' keys (key, else id): order-1, e2 (did you mean "order-1"?)' },
    ]);
  });
});

describe('a seed out of range is said one way, as --seed says it (“at least 0” and a negative bound contradicted each other)', () => {
  it('a negative seed and one past 2^53 get the same words', () => {
    const at = (seed: string) => problems(`seed: ${seed}\nregions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, check: { converged: true } }\n`).map((p) => p.message);
    expect(at('-1')).toEqual(['seed: a whole number from 0 to 9007199254740991, found number -1']);
    expect(at('9007199254740992')).toEqual(['seed: a whole number from 0 to 9007199254740991, found number 9007199254740992']);
  });
});

describe('a lag given as a plain number', () => {
  it('is refused with the fixed form to write instead', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nreplication: { lag: 800 }\nsteps:\n  - { at: 0, check: { converged: true } }\n');
    expect(found).toEqual([expect.objectContaining({ code: 'wrong-type', line: 2, message: 'replication.lag: expected a mapping, found number 800', hint: 'a fixed lag is written {distribution: fixed, ms: 800}' })]);
  });
});

describe('a value written in DynamoDB JSON ({S: A}) where a scenario takes the plain value', () => {
  it('is refused with the plain value to write instead', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, put: { region: us-east-1, item: { Id: { S: "A" }, n: 1 } } }\n');
    expect(found).toEqual([
      expect.objectContaining({
        code: 'wrong-type',
        message: 'steps[0].put.item.Id: expected a string, found a mapping',
        hint: 'values are plain YAML, as DocumentClient marshals them, not DynamoDB JSON: write Id: "A", not Id: {S: "A"} (a number a double cannot hold is {$N: "…"}, a binary {$B: base64})',
      }),
    ]);
  });
});

describe('a value that is a near miss of an allowed one', () => {
  it('is named, as a misspelt key is', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\napplication: { strategy: client-lw, idempotency: locale }\nsteps:\n  - { at: 0, check: { converged: true } }\n');
    expect(found.map((p) => p.hint)).toEqual([
      'expected one of "lww-item", "service-lww", "client-lww", "version", "lww-attribute", "automerge", "counter", "custom" (did you mean "client-lww"?)',
      'expected one of "none", "local", "home-region" (did you mean "local"?)',
    ]);
  });
});

describe('a section with a wrong value: the rules between values use what the file says, never a default in its place', () => {
  const event = '  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { x: 1 } }\n';
  const attempt4 = 'faults:\n  - { until: 5m, lambdaFailure: { event: e1, attempts: [4] } }\n';

  it('an async invocation next to a wrong timeout is still async (it said a direct invocation is attempted once, hint: use invocation: async)', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nlambda: { invocation: async, timeout: 1500ms }\n${attempt4}steps:\n${event}`);
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['wrong-value', 2],
      ['attempt-never-made', 4],
    ]);
    expect(found[1]!.message).toBe('attempt 4 never happens: an asynchronous invocation is attempted at most 3 times (1 + lambda.maximumRetryAttempts)');
  });

  it('a rule on the wrong value itself is not reported (an invocation that is no invocation could be any)', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nlambda: { invocation: asinc }\n${attempt4}steps:\n${event}`);
    expect(found.map((p) => p.code)).toEqual(['wrong-value']);
    const misspelt = problems(`regions: [us-east-1, eu-west-1]\nlambda: { invocaton: async }\n${attempt4}steps:\n${event}`);
    expect(misspelt.map((p) => p.code)).toEqual(['unknown-key']);
  });

  it('a wrong timeout hides no other problem of the same section (it reported the timeout only)', () => {
    const found = problems(`regions: [us-east-1, eu-west-1]\nlambda: { invocation: async, maximumRetryAttempts: 5, timeout: 1500ms }\nsteps:\n${event}`);
    expect(found.map((p) => [p.code, p.col])).toEqual([
      ['bad-range', 52],
      ['wrong-value', 64],
    ]);
  });

  it('a negative time hides no problem of the rest of its step (it reported the time only)', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: -5\n    event: { id: e1, region: us-east-1, item: A }\n');
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['wrong-value', 3],
      ['event-without-change', 4],
    ]);
  });

  it('a rule on the step’s wrong time is not reported (a retry of the event may come before or after it)', () => {
    const found = problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: -5\n    event: { id: e1, region: us-east-1, item: A, data: { x: 1 } }\n  - { at: 1s, retry: { of: e1, region: us-east-1 } }\n');
    expect(found.map((p) => p.code)).toEqual(['wrong-value']);
  });
});

describe('a retry listed above its event: steps run in time order, so the event is found wherever it is listed', () => {
  const head = 'regions: [us-east-1, eu-west-1]\nsteps:\n';
  const e1 = (at: string) => `  - { at: ${at}, event: { id: e1, region: us-east-1, item: A, data: { x: 1 } } }\n`;
  const retry = (at: string) => `  - { at: ${at}, retry: { of: e1, region: eu-west-1 } }\n`;

  it('is accepted when the event is earlier in time (it said no earlier event has id "e1", hint: define the event in a step before the retry)', () => {
    const r = load(head + retry('2s') + e1('0'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.steps.map((s) => [s.kind, s.at])).toEqual([
      ['event', 0],
      ['retry', 2000],
    ]);
    const [event, sent] = r.scenario.steps;
    expect(sent!.kind === 'retry' && event!.kind === 'event' && sent.event === event.event).toBe(true);
  });

  it('is refused at the same ms when the event is listed below, saying where the event is', () => {
    expect(problems(head + retry('2s') + e1('2s'))).toEqual([
      expect.objectContaining({ code: 'retry-before-event', line: 3, message: 'the retry of "e1" happens before the event itself (at the same ms, 2000ms, steps run in the order of the file, and the event\'s step, steps[1], is below the retry)', hint: 'move the retry below steps[1], or give it a later time' }),
    ]);
  });

  it('is refused when the event is later in time, wherever it is listed', () => {
    expect(problems(head + retry('1s') + e1('2s')).map((p) => p.code)).toEqual(['retry-before-event']);
    expect(problems(head + e1('{ between: [2s, 3s] }') + retry('1s')).map((p) => p.code)).toEqual(['retry-before-event']);
  });

  it('an id no event has lists every event of the file, those below the retry too (it said events so far)', () => {
    expect(problems(head + '  - { at: 5s, retry: { of: e9, region: eu-west-1 } }\n' + e1('0'))).toEqual([expect.objectContaining({ code: 'unknown-event', message: 'no event has id "e9"', hint: 'events: e1' })]);
  });
});

describe('a key left empty that takes a time or a region name', () => {
  const head = 'regions: [us-east-1, eu-west-1]\nsteps:\n';
  const e1 = '    event: { id: e1, region: us-east-1, item: A, data: { x: 1 } }\n';

  it('says a time is missing (it hinted at keys indented under `at:`)', () => {
    for (const at of ['  - at:\n', '  - at: ~\n']) {
      expect(problems(head + at + e1)).toEqual([
        expect.objectContaining({ code: 'wrong-value', message: 'steps[0].at: a time is missing (e.g. 500ms or 2s), found nothing', hint: 'write a number of ms or one with a unit (500ms, 2s, 1m, 1h), or a range { between: [lo, hi] }' }),
      ]);
    }
  });

  it('says a duration is missing, with examples it takes (a timeout was told to write an empty string)', () => {
    expect(problems('regions: [us-east-1, eu-west-1]\nlambda: { timeout: }\nsteps:\n  - at: 0\n' + e1)).toEqual([
      expect.objectContaining({ message: 'lambda.timeout: a duration is missing (e.g. 2s or 1m), found nothing', hint: 'write a number of ms or one with a unit (2s, 1m, 1h)' }),
    ]);
  });

  it('says a region name is missing, with the declared regions', () => {
    expect(problems(head + '  - at: 0\n' + e1 + '  - { at: 1s, retry: { of: e1, region: } }\n')).toEqual([
      expect.objectContaining({ code: 'wrong-value', line: 5, message: 'steps[1].retry.region: a region name is missing (e.g. us-east-1), found nothing', hint: 'declared regions: us-east-1, eu-west-1' }),
    ]);
  });

  it('says so for every key that takes one region, not only event and retry (they said expected a string, found null)', () => {
    const missing = (where: string, line: number) => expect.objectContaining({ code: 'wrong-value', line, message: `${where}: a region name is missing (e.g. us-east-1), found nothing`, hint: 'declared regions: us-east-1, eu-west-1' });
    const steps: [string, string][] = [
      ['put', '{ region: , item: { Id: A } }'],
      ['read', '{ region: , item: A }'],
      ['read', '{ region: , key: { Id: A } }'],
      ['update', '{ region: , id: A, set: { x: 1 } }'],
      ['delete', '{ region: , id: A }'],
      ['transact', '{ region: , ops: [{ put: { item: { Id: A } } }] }'],
      ['query', '{ region: , key: "Id = :k", values: { ":k": A } }'],
    ];
    for (const [kind, body] of steps) {
      expect(problems(`${head}  - { at: 0, ${kind}: ${body} }\n`)).toEqual([missing(`steps[0].${kind}.region`, 3)]);
    }
    expect(problems(head + '  - at: 0\n    put:\n      region:\n      item: { Id: A }\n')).toEqual([missing('steps[0].put.region', 5)]);
    const check = '  - { at: 0, check: { converged: true } }\n';
    expect(problems(head + check + 'faults:\n  - { at: 0, outage: { region: } }\n')).toEqual([missing('faults[0].outage.region', 5)]);
    expect(problems(head + check + 'faults:\n  - { at: 0, pauseReplication: { from: , to: eu-west-1 } }\n')).toEqual([missing('faults[0].pauseReplication.from', 5)]);
    expect(problems(head + check + 'faults:\n  - { at: 0, clockSkew: { region: , skew: 1s } }\n')).toEqual([missing('faults[0].clockSkew.region', 5)]);
  });

  it('a region left empty beside malformed declared regions names no list to pick from', () => {
    expect(problems('regions: [us-east1, eu-west-1]\nsteps:\n  - { at: 0, put: { region: , item: { Id: A } } }\n')[1]).toEqual(
      expect.objectContaining({ message: 'steps[0].put.region: a region name is missing (e.g. us-east-1), found nothing', hint: 'a region name such as us-east-1' }),
    );
  });
});

describe('a region name that does not look like one', () => {
  it('gets the declared regions and the nearest, as an undeclared one does (it had neither)', () => {
    expect(problems('regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, event: { id: e1, region: us-east1, item: A, data: { x: 1 } } }\n')).toEqual([
      expect.objectContaining({ message: 'steps[0].event.region: a region name such as us-east-1 or eu-west-1, found the string "us-east1"', hint: 'declared regions: us-east-1, eu-west-1 (did you mean "us-east-1"?)' }),
    ]);
  });

  it('in regions itself, gets no list of the regions being declared', () => {
    expect(problems('regions: [us-east1, eu-west-1]\nsteps:\n  - { at: 0, check: { converged: true } }\n')[0]!.hint).toBeUndefined();
  });
});
