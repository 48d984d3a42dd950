import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { parseLagFlag, quickStartScenario } from '../../src/serve/quick-start.js';

describe('geosim serve --regions / --lag', () => {
  it('builds a link per directed region pair with the lag', () => {
    const q = quickStartScenario('us-east-1,eu-west-1,ap-south-1', '1s');
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.scenario.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-south-1']);
    expect(q.scenario.replication.links).toHaveLength(6);
    expect(q.scenario.replication.links[0]).toEqual({ from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'fixed', ms: 1000 } });
  });

  it('defaults to us-east-1 and eu-west-1 with the scenario default lag', () => {
    const q = quickStartScenario(undefined, undefined);
    expect(q.ok && q.scenario.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(q.ok && q.scenario.replication.links[0]!.lag).toEqual({ distribution: 'uniform', min: 500, max: 1500 });
  });

  it('takes a distribution in the scenario lag syntax', () => {
    expect(parseLagFlag('{distribution: uniform, min: 300ms, max: 0.9s}')).toEqual({ ok: true, lag: { distribution: 'uniform', min: 300, max: 900 } });
    expect(parseLagFlag('250')).toEqual({ ok: true, lag: { distribution: 'fixed', ms: 250 } });
  });

  it.each([
    ['fast', /--lag: expected a duration/],
    ['-1s', /--lag: a time or duration cannot be negative|--lag: expected a duration/],
    ['{distribution: zipf, mean: 1s}', /--lag: .*distribution/],
    ['{distribution: fixed}', /--lag: ms/],
    ['{', /--lag: expected a duration/],
    // as a scenario refuses it (semantic-checks), in its words
    ['{distribution: uniform, min: 900ms, max: 300ms}', /^--lag: uniform lag: min \(900ms\) is above max \(300ms\)$/],
  ])('refuses --lag %s with a message naming the flag', (value, message) => {
    const r = parseLagFlag(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('refuses the lags a scenario refuses, in its words', () => {
    for (const lag of ['{distribution: uniform, min: 900ms, max: 300ms}', '{distribution: uniform, min: 2s, max: 1999}']) {
      const loaded = loadScenarioText(`regions: [us-east-1, eu-west-1]\nreplication: { lag: ${lag} }\nsteps:\n  - { at: 0, check: { converged: true } }\n`, 'lag.yaml');
      const refused = parseLagFlag(lag);
      expect(loaded.ok || loaded.problems.map((p) => `${p.code} ${p.message}`)).toEqual([`bad-range ${!refused.ok && refused.message.replace(/^--lag: /, '')}`]);
    }
    // a uniform lag of one value is a fixed lag: both take it
    expect(parseLagFlag('{distribution: uniform, min: 300ms, max: 0.3s}')).toMatchObject({ ok: true });
  });

  it.each([
    ['us-east-1', /at least two regions/],
    ['us-east-1,US_EAST', /"US_EAST" is not a region name/],
    ['us-east-1,us-east-1', /us-east-1 is listed twice/],
  ])('refuses --regions %s', (value, message) => {
    const q = quickStartScenario(value, undefined);
    expect(!q.ok && q.message).toMatch(message);
  });
});
