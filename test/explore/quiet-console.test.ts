import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runInput } from '../../src/explore/run-input.js';
import { run } from '../../src/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'user-apps');
const input = {
  name: 'logs',
  regions: ['us-east-1', 'eu-west-1'],
  application: { module: './logs.mjs' },
  steps: [{ at: 0, event: { id: 'l1', region: 'us-east-1', item: 'A', data: { n: 1 } } }],
};

afterEach(() => vi.restoreAllMocks());

describe("a team's console while exploring", () => {
  it('prints in geosim run (the library run), and prints nothing in explore\'s runs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await run(input, { baseDir: FIXTURES });
    expect(log.mock.calls.map((c) => c[0])).toEqual(['handled l1']);
    log.mockClear();
    const report = await runInput(input, { file: join(FIXTURES, 'logs.yaml') });
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(log).not.toHaveBeenCalled();
  });
});
