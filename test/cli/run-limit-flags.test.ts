import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHorizon, parseIndexLag } from '../../src/cli/commands/run.js';
import { geosim, lastLine, tempFile } from '../helpers/cli.js';

// Every command that runs scenarios in the model takes the run's limits, so the hint a stopped run
// gives ("raise it with --max-trace-events", "(--sync-limit)") names a flag the same command accepts.
const TWO_EVENTS = `regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: { n: 1 } } }
  - { at: 10, event: { id: e2, region: eu-west-1, item: A, data: { n: 2 } } }
`;

describe('the run-limit flags (--horizon, --sync-limit, --max-trace-events)', () => {
  it.each(['run', 'diagram', 'report', 'compare'])('geosim %s --help lists all three', async (command) => {
    const r = await geosim([command, '--help']);
    for (const flag of ['--horizon <time>', '--sync-limit <time>', '--max-trace-events <n>']) expect(r.stdout).toContain(flag);
  });

  it('report --max-trace-events stops the run there, and the page says which limit', async () => {
    const scenario = tempFile('two.yaml', TWO_EVENTS);
    const out = join(mkdtempSync(join(tmpdir(), 'geosim-limits-')), 'two.html');
    const whole = await geosim(['report', scenario, '-o', out]);
    expect(lastLine(whole.stdout)).toBe('1 passed, 0 failed');
    const cut = await geosim(['report', scenario, '-o', out, '--max-trace-events', '3']);
    expect(cut.code).toBe(1);
    expect(lastLine(cut.stdout)).toBe('0 passed, 1 failed');
    expect(readFileSync(out, 'utf8')).toContain('raise it with --max-trace-events');
  });

  it('diagram --max-trace-events draws the run as it stopped', async () => {
    const scenario = tempFile('two.yaml', TWO_EVENTS);
    const out = mkdtempSync(join(tmpdir(), 'geosim-limits-'));
    const r = await geosim(['diagram', scenario, '--out', out, '--max-trace-events', '3']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'two.mmd'), 'utf8')).toContain('trace limit');
  });

  it('a bad limit is exit 2 on report as on run', async () => {
    const r = await geosim(['report', 'scenarios/concurrent.yaml', '--horizon', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--horizon 7300d');
  });

  it('a flag’s time may be written as the views print one (1h30m, 2d03h), as a scenario’s may', () => {
    expect(parseHorizon('1h30m')).toBe(5_400_000);
    expect(parseHorizon('2d03h')).toBe(183_600_000);
    expect(parseIndexLag('0m01.5s')).toBe(1500);
    expect(() => parseHorizon('1s1m')).toThrow(/--horizon 7300d/);
  });
});
