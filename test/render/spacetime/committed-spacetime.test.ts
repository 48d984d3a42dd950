import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioFileForDiagram } from '../../../src/pipeline/diagram-run.js';
import { diagramName } from '../../../src/pipeline/diagram.js';
import { spacetime } from '../../../src/render/spacetime/spacetime.js';

/**
 * diagrams/<scenario>.spacetime.svg is committed for every scenario in scenarios/ (not
 * scenarios/explore): it must be byte-identical to what the code draws now. Fix a failure with:
 *   npm run build && node bin/geosim diagram --format spacetime
 */
const REGENERATE = 'npm run build && node bin/geosim diagram --format spacetime';
const ROOT = join(import.meta.dirname, '../../..');
const DIAGRAMS = join(ROOT, 'diagrams');
const scenarios = readdirSync(join(ROOT, 'scenarios')).filter((f) => /\.ya?ml$/.test(f)).sort();

describe(`committed diagrams/*.spacetime.svg (regenerate: ${REGENERATE})`, () => {
  it('has exactly one .spacetime.svg per scenario', () => {
    const committed = readdirSync(DIAGRAMS).filter((f) => f.endsWith('.spacetime.svg')).sort();
    expect(committed, `regenerate with: ${REGENERATE}`).toEqual(scenarios.map((f) => `${diagramName(f)}.spacetime.svg`).sort());
  });

  it('holds each byte-identical to what the current code draws', async () => {
    for (const f of scenarios) {
      const run = await runScenarioFileForDiagram(join('scenarios', f), undefined, ROOT);
      if (!run.ok) throw new Error(run.problems);
      const name = `${diagramName(f)}.spacetime.svg`;
      expect(readFileSync(join(DIAGRAMS, name), 'utf8') === spacetime(run.report).svg, `diagrams/${name} is stale; regenerate with: ${REGENERATE}`).toBe(true);
    }
  });
});
