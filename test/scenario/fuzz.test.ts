import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS shared with the bench (bench/fuzz/run.mjs, npm run fuzz)
import { caseDir, cases, seedFiles } from '../../bench/fuzz/cases.mjs';
// @ts-expect-error plain JS shared with the bench
import { checkCase } from '../../bench/fuzz/check.mjs';
import { main } from '../../src/cli/main.js';
import { loadScenarioText } from '../../src/scenario/load.js';

// A fixed-seed sample of the loader and CLI fuzz (issue 10, Checks): mutated copies of every file of
// scenarios/ and test/corpus go through the loader and `geosim run` in-process, valid ones run too.
// Nothing may escape the loader, the CLI exits 0-3 with no stack trace and no raw control character.
// `npm run fuzz` runs 10,000 cases with the same checks, and times each one.
type Case = { seed: string; mutations: string[]; text: string };
type Checked = { failures: string[]; exit: number | undefined; valid: boolean };

describe('loader and CLI fuzz, fixed-seed sample', () => {
  it('200 mutated scenarios: no crash, exit codes 0-3 only, problems located', { timeout: 300_000 }, async () => {
    const root = join(import.meta.dirname, '../..');
    const sample: Case[] = cases(seedFiles(root), 200, 20260101);
    const dir = caseDir(root);
    const failed: string[] = [];
    let valid = 0;
    for (const [i, c] of sample.entries()) {
      const r: Checked = await checkCase(c, { loadScenarioText, main }, dir, i % 3 === 0 ? 'json' : 'text');
      if (r.valid) valid++;
      if (r.failures.length > 0) failed.push(`#${i} ${c.seed} [${c.mutations.join('; ')}]\n${r.failures.join('\n')}\n--- text:\n${c.text.slice(0, 1500)}`);
    }
    expect(failed).toEqual([]);
    // The sample exercises runs of valid mutated scenarios, not only rejections.
    expect(valid).toBeGreaterThan(20);
  });
});
