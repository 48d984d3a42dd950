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
  it('prints to stderr in geosim run (the library run), never to stdout, and prints nothing in explore\'s runs', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await run(input, { baseDir: FIXTURES });
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual(['handled l1\n']);
    expect(out).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    err.mockClear();
    const report = await runInput(input, { file: join(FIXTURES, 'logs.yaml') });
    expect(report.assertions.every((a) => a.passed)).toBe(true);
    expect(err).not.toHaveBeenCalled();
    expect(out).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('what the module writes to process.stdout itself goes to stderr in geosim run, and nowhere in explore’s runs', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const own = { ...input, application: { module: './process-output.mjs' } };
    await run(own, { baseDir: FIXTURES });
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toBe('{"level":"INFO","message":"handled","event":"l1"}\nraw line for l1\n');
    expect(out).not.toHaveBeenCalled();
    err.mockClear();
    await runInput(own, { file: join(FIXTURES, 'process-output.yaml') });
    expect(err).not.toHaveBeenCalled();
    expect(out).not.toHaveBeenCalled();
  });
});
