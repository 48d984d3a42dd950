import { formatTime } from '../../src/render/format-time.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { drawRanges, findRanges, pinRanges, RANGES_STREAM } from '../../src/explore/ranges.js';
import { runInput } from '../../src/explore/run-input.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { renderText } from '../../src/render/text.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblems } from '../../src/scenario/problems.js';
import { Rng } from '../../src/sim/rng.js';
import type { RunReport } from '../../src/trace/report.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

/** A retry whose time and region vary, and a clock skew whose start and size vary. */
const RANGED = `name: ranged
seed: 3
regions: [us-east-1, eu-west-1]
replication:
  lag: { distribution: fixed, ms: 800 }
application: { strategy: client-lww, idempotency: local }
steps:
  - at: 0
    event: { id: charge-1, region: us-east-1, item: "ACCOUNT#9", data: { amount: 30 } }
  - at: { between: [100ms, 2s] }
    retry: { of: charge-1, region: { oneOf: [us-east-1, eu-west-1] } }
faults:
  - at: { between: [0, 500] }
    duration: 1s
    clockSkew: { region: eu-west-1, skew: { between: [-200ms, 200ms] } }
sometimes:
  - name: charged twice
    effects: { charge-1: 2 }
  - name: one duplicate at least
    atLeast: { duplicates: 1 }
expect:
  effects: { charge-1: 1 }
`;

function problemsOf(yaml: string): string {
  const result = loadScenarioText(yaml, 'bad.yaml');
  if (result.ok) throw new Error('expected problems');
  return formatProblems(result.problems);
}

/** The report without what tells a pinned run from a drawn one (the `drawn` field). */
function withoutDrawn(report: RunReport): Omit<RunReport, 'drawn'> {
  const { drawn: _drawn, ...rest } = report;
  return rest;
}

describe('ranges in a scenario (what may vary)', () => {
  it('geosim run draws each range once from the seed and reports what it drew', async () => {
    const report = await runScenario(scenarioFromYaml(RANGED));
    expect(Object.keys(report.drawn!)).toEqual(['steps[1].at', 'steps[1].retry.region', 'faults[0].at', 'faults[0].skew']);
    const again = await runScenario(scenarioFromYaml(RANGED));
    expect(again).toEqual(report);
    const [at, region, faultAt, skew] = Object.values(report.drawn!) as [number, string, number, number];
    expect(at).toBeGreaterThanOrEqual(100);
    expect(at).toBeLessThanOrEqual(2000);
    expect(['us-east-1', 'eu-west-1']).toContain(region);
    expect(faultAt).toBeLessThanOrEqual(500);
    expect(Math.abs(skew)).toBeLessThanOrEqual(200);
    // The retry happens at the time drawn, in the region drawn.
    const retry = report.trace.find((e) => e.kind === 'client-event' && e.attempt === 2)!;
    expect(retry).toMatchObject({ t: at, region });
    // in the views' one notation for times (1.2s, not 1200ms)
    expect(renderText(report)).toContain(`   drawn: steps[1].at=${formatTime(at)}, steps[1].retry.region=${region}, faults[0].at=${formatTime(faultAt)}, faults[0].skew=${formatTime(skew)}\n`);
    expect(formatTime(106_210)).toBe('1m46.21s');
  });

  it('another seed draws other values; --seed at load and a seed at run time agree', async () => {
    const drawnBy = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const loaded = loadScenarioText(RANGED, 'ranged.yaml', { seed });
      if (!loaded.ok) throw new Error('load');
      const atLoad = await runScenario(loaded.scenario, { seed });
      const atRun = await runScenario(scenarioFromYaml(RANGED, 'ranged.yaml'), { seed });
      expect(atRun).toEqual(atLoad);
      drawnBy.add(JSON.stringify(atLoad.drawn));
    }
    expect(drawnBy.size).toBe(8);
  });

  it('a pinned input runs like the template with the same draws (the currency of explore)', async () => {
    const template = parse(RANGED) as Record<string, unknown>;
    const points = findRanges(template);
    for (const seed of [3, 11, 12]) {
      const pinned = pinRanges(template, drawRanges(points, new Rng(seed, RANGES_STREAM)), points);
      expect(findRanges(pinned)).toEqual([]);
      const fromPinned = await runInput({ ...pinned, seed }, { file: 'ranged.yaml' });
      const fromTemplate = await runScenario(scenarioFromYaml(RANGED, 'ranged.yaml'), { seed });
      expect(fromPinned.drawn).toBeUndefined();
      expect(withoutDrawn(fromPinned)).toEqual(withoutDrawn(fromTemplate));
    }
  });

  it('a scenario without ranges has no drawn field, nor a drawn line', async () => {
    const report = await runScenario(scenarioFromYaml(RANGED.replace(/\{ between: \[100ms, 2s\] \}/, '500').replace(/\{ oneOf: \[us-east-1, eu-west-1\] \}/, 'eu-west-1').replace(/at: \{ between: \[0, 500\] \}/, 'at: 0').replace(/\{ between: \[-200ms, 200ms\] \}/, '-1s')));
    expect('drawn' in report).toBe(false);
    expect(renderText(report)).not.toContain('drawn:');
  });
});

describe('range problems, with file:line:col', () => {
  const base = (steps: string, extra = '') => `regions: [us-east-1, eu-west-1]\nsteps:\n${steps}${extra}`;

  it('a range whose low end is above its high end is refused at the range', () => {
    expect(problemsOf(base('  - at: { between: [2s, 1s] }\n    check: { converged: true }\n'))).toContain(
      "bad.yaml:3:20 error[bad-range] the range's low end (2000ms) is above its high end (1000ms)",
    );
  });

  it('a misspelled range key gets its near miss; a bad bound its place', () => {
    const text = problemsOf(base('  - at: { betwen: [0, 1] }\n    check: { converged: true }\n  - at: { between: [0, "abc"] }\n    check: { converged: true }\n'));
    expect(text).toContain('bad.yaml:3:11 error[unknown-key] unknown key "betwen" in steps[0].at');
    expect(text).toContain('did you mean "between"?');
    expect(text).toContain('bad.yaml:5:24 error[wrong-value] steps[1].at.between[1]: expected a duration');
  });

  it('each region of a choice is a declared one, given once', () => {
    const text = problemsOf(base('  - at: 0\n    event: { id: e1, region: { oneOf: [us-east-1, ap-south-9] }, item: A, data: {} }\n  - at: 5\n    retry: { of: e1, region: { oneOf: [us-east-1, us-east-1] } }\n'));
    expect(text).toContain('bad.yaml:4:51 error[unknown-region] region "ap-south-9" is not one of the scenario\'s regions');
    expect(text).toContain('bad.yaml:6:51 error[duplicate-region] region "us-east-1" is listed twice in this choice');
  });

  it('a retry whose range ends before its event\'s starts is refused; one that may overlap is not', () => {
    const event = '  - at: { between: [2s, 3s] }\n    event: { id: e1, region: us-east-1, item: A, data: {} }\n';
    expect(problemsOf(base(`${event}  - at: { between: [0, 1s] }\n    retry: { of: e1, region: eu-west-1 }\n`))).toContain(
      'bad.yaml:5:9 error[retry-before-event] the retry of "e1" happens before the event itself (at 1000ms at the latest, the event at 2000ms at the earliest)',
    );
    const overlapping = loadScenarioText(base(`${event}  - at: { between: [0, 2500ms] }\n    retry: { of: e1, region: eu-west-1 }\n`), 'ok.yaml');
    expect(overlapping.ok).toBe(true);
  });

  it('a fault that could end before it starts is refused at its end', () => {
    expect(problemsOf(base('  - at: 0\n    check: { converged: true }\n', 'faults:\n  - at: { between: [0, 2s] }\n    until: 1s\n    outage: { region: us-east-1 }\n'))).toContain(
      'bad.yaml:7:12 error[ends-before-start] the fault ends (1000ms) before it may start (2000ms)',
    );
  });

  it('a skew range takes signed durations; a range needs two bounds', () => {
    const ok = loadScenarioText(base('  - at: 0\n    check: { converged: true }\n', 'faults:\n  - clockSkew: { region: us-east-1, skew: { between: [-1s, "-200ms"] } }\n'), 'ok.yaml');
    expect(ok.ok).toBe(true);
    expect(problemsOf(base('  - at: 0\n    check: { converged: true }\n', 'faults:\n  - clockSkew: { region: us-east-1, skew: { between: [-1s] } }\n'))).toContain(
      'bad.yaml:6:54 error[wrong-value] faults[0].clockSkew.skew.between: at least 2 entries, found a list of 1',
    );
  });
});

describe('a range where nothing may vary', () => {
  it('a range with no whole ms in it says so', () => {
    const text = problemsOf('regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: { between: [1.2, 1.8] }, event: { id: e1, region: us-east-1, item: A, data: { n: 1 } } }\n');
    expect(text).toContain('bad.yaml:3:22 error[bad-range] the range from 1.2ms to 1.8ms holds no whole ms');
  });

  it('says where ranges may stand', () => {
    const text = problemsOf('regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { n: 1 } } }\nfaults:\n  - { at: 0, pauseReplication: { from: us-east-1, to: eu-west-1 }, duration: { between: [1s, 2s] } }\n');
    expect(text).toContain("faults[0].duration: not a valid value, found a mapping\n  hint: a range ({ between: [lo, hi] }) may stand for a step's or a fault's at and a clock-skew fault's skew only");
  });

  it('says it for a clock’s skew (only a clock-skew fault’s may vary) and where a region choice may stand', () => {
    const text = problemsOf(
      'regions: [us-east-1, eu-west-1]\nclocks: { eu-west-1: { skew: { between: [0, 1s] } } }\nfaults:\n  - { at: 0, until: 1m, outage: { region: { oneOf: [us-east-1] } } }\nsteps:\n  - at: 0\n    put: { region: { oneOf: [us-east-1, eu-west-1] }, item: { Id: A, n: 1 } }\n',
    );
    expect(text).toContain("clocks.eu-west-1.skew: not a valid value, found a mapping\n  hint: a range ({ between: [lo, hi] }) may stand for a step's or a fault's at and a clock-skew fault's skew only");
    expect(text).toContain("faults[0].outage.region: expected a string, found a mapping\n  hint: a choice ({ oneOf: [...] }) may stand for an event's or a retry's region only");
    expect(text).toContain("steps[0].put.region: expected a string, found a mapping\n  hint: a choice ({ oneOf: [...] }) may stand for an event's or a retry's region only");
  });
});

describe('a range or a choice in an event’s data', () => {
  it('is refused where it stands, nested too: data is sent as written, so the handler got the map (“10[object Object]”)', () => {
    const text = problemsOf('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { amount: { between: [1, 5] }, tags: [ { oneOf: [a, b] } ] } }\n');
    expect(text).toContain("bad.yaml:4:66 error[range-in-data] a range ({ between: [lo, hi] }) in an event's data is sent as written, a map, not a value drawn from it");
    expect(text).toContain("bad.yaml:4:95 error[range-in-data] a choice ({ oneOf: [...] }) in an event's data is sent as written, a map, not a value drawn from it");
    // a map that merely holds such a key among others is data
    const ok = loadScenarioText('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { window: { between: [1, 5], unit: days } } }\n', 'ok.yaml');
    expect(ok.ok).toBe(true);
  });
});

describe('explore and sometimes sections', () => {
  const base = 'regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: e1, region: us-east-1, item: A, data: { n: 1 } }\n';

  it('explore is validated (strict keys, bounds) and kept with its defaults; run ignores it', async () => {
    const text = problemsOf(`${base}explore: { runs: 0, bias: 2, lag: true }\n`);
    expect(text).toContain('bad.yaml:5:18 error[wrong-value] explore.runs: at least 1 run, found number 0');
    expect(text).toContain('bad.yaml:5:27 error[wrong-value] explore.bias: a share from 0 to 1, found number 2');
    expect(text).toContain('bad.yaml:5:30 error[unknown-key] unknown key "lag" in explore');
    // the bound --runs has
    expect(problemsOf(`${base}explore: { runs: 1000000001 }\n`)).toContain('explore.runs: at most 1000000000 runs, found number 1000000001');
    expect(scenarioFromYaml(`${base}explore: { runs: 1000000000 }\n`).explore?.runs).toBe(1_000_000_000);
    expect(scenarioFromYaml(`${base}explore: { runs: 50 }\n`).explore).toEqual({ runs: 50, bias: 0.5, simultaneous: true, lags: true });
    expect(scenarioFromYaml(base).explore).toBeUndefined();
    const without = await runScenario(scenarioFromYaml(base));
    expect(await runScenario(scenarioFromYaml(`${base}explore: { runs: 50, bias: 1 }\n`))).toEqual(without);
  });

  it('sometimes names are unique', () => {
    expect(problemsOf(`${base}sometimes:\n  - { name: a, converged: true }\n  - { name: a, converged: false }\n`)).toContain(
      'bad.yaml:7:13 error[duplicate-sometimes] the name "a" is already used by sometimes[0]',
    );
  });

  it('a sometimes that names nothing to happen is refused: it would hold in every run', () => {
    expect(problemsOf(`${base}sometimes:\n  - { name: y }\n`)).toContain('bad.yaml:6:5 error[empty-sometimes] sometimes[0] ("y") asks for nothing: it would hold in every run');
    expect(loadScenarioText(`${base}sometimes:\n  - { name: y, atLeast: { conflicts: 1 } }\n`, 'ok.yaml').ok).toBe(true);
    expect(loadScenarioText(`${base}sometimes:\n  - { name: y, counts: { conflicts: 0 } }\n`, 'ok.yaml').ok).toBe(true);
    for (const nothing of ['atLeast: {}', 'atLeast: { conflicts: 0 }', 'effects: {}', 'counts: {}', 'items: {}', 'regions: {}']) {
      expect(problemsOf(`${base}sometimes:\n  - { name: y, ${nothing} }\n`), nothing).toContain('error[empty-sometimes]');
    }
  });

  it('each sometimes is reported hit or not, and is no failure', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${base}sometimes:\n  - { name: converges, converged: true, items: { A: { Data: { n: 1 } } } }\n  - { name: conflicts, atLeast: { conflicts: 1 } }\n  - { name: one event, counts: { events: 1 }, atLeast: { applied: 1 } }\n`),
    );
    expect(report.sometimes).toEqual([
      { name: 'converges', hit: true },
      { name: 'conflicts', hit: false },
      { name: 'one event', hit: true },
    ]);
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    const text = renderText(report);
    expect(text).toContain('   sometimes: conflicts: not hit in this run\n');
    expect(text).toContain('   sometimes: converges: hit in this run\n');
    // The closing verdict stays the last line.
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/PASSED/);
    expect('sometimes' in (await runScenario(scenarioFromYaml(base)))).toBe(false);
  });
});

describe('replication.simultaneous', () => {
  /** Three regions write one item each at 0; with a fixed lag, ap-south-1 receives two writes at 500ms. */
  const meeting = (simultaneous?: string) => `regions: [us-east-1, eu-west-1, ap-south-1]
replication:
  lag: { distribution: fixed, ms: 500 }${simultaneous ? `\n  simultaneous: ${simultaneous}` : ''}
application: { strategy: service-lww, idempotency: none }
steps:
${['us-east-1', 'eu-west-1', 'ap-south-1'].flatMap((r, i) => [`  - at: 0\n    event: { id: e${i}, region: ${r}, item: I${i}, data: { n: ${i} } }`]).join('\n')}
`;
  const arrivalOrder = (report: RunReport) =>
    report.trace.filter((e) => e.kind === 'replication-applied').map((e) => `${(e as { from: string }).from}→${(e as { to: string }).to}`).join(',');

  it('scheduled (the default) keeps the order tasks were scheduled in, whatever the seed', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) orders.add(arrivalOrder(await runScenario(scenarioFromYaml(meeting('scheduled')), { seed })));
    expect(orders.size).toBe(1);
    expect(await runScenario(scenarioFromYaml(meeting('scheduled')))).toEqual(await runScenario(scenarioFromYaml(meeting())));
  });

  it('seeded draws the order of same-ms deliveries from the seed: varies across seeds, the same for one', async () => {
    const orders = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const order = arrivalOrder(await runScenario(scenarioFromYaml(meeting('seeded')), { seed }));
      expect(arrivalOrder(await runScenario(scenarioFromYaml(meeting('seeded')), { seed }))).toBe(order);
      orders.add(order);
    }
    expect(orders.size).toBeGreaterThan(2);
  });

  it('is refused when misspelled', () => {
    expect(problemsOf(meeting('random'))).toContain('replication.simultaneous: found the string "random"');
  });
});

describe('a mode in AWS’s words', () => {
  it('says which of geosim’s modes AWS’s STRONG and EVENTUAL are', () => {
    const text = problemsOf('regions: [us-east-1, us-east-2, us-west-2]\nmode: strong\nsteps:\n  - { at: 0, put: { region: us-east-1, item: { Id: A } } }\n');
    expect(text).toContain('hint: expected one of "mrec", "mrsc" (AWS\'s MultiRegionConsistency: STRONG is mrsc, EVENTUAL is mrec)');
  });
});
