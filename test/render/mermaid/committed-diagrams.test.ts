import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedSourceHash, sourceHash } from '../../../src/render/mermaid/render.js';
import { runScenarioFileForDiagram } from '../../../src/pipeline/diagram-run.js';
import { sequenceDiagram } from '../../../src/render/mermaid/sequence.js';
import { architectureSource, diagramName } from '../../../src/pipeline/diagram.js';

/**
 * diagrams/ is committed: it must be what `geosim diagram --format svg` writes now. The .mmd bytes
 * are compared exactly; the SVGs (whose bytes depend on the Chromium version) are checked through
 * the SHA-256 of their source that each one carries. Fix a failure with:
 *   npm run build && node bin/geosim diagram --format svg
 */
const ROOT = join(import.meta.dirname, '../../..');
const DIAGRAMS = join(ROOT, 'diagrams');
const scenarios = readdirSync(join(ROOT, 'scenarios')).filter((f) => /\.ya?ml$/.test(f)).sort();
const committed = readdirSync(DIAGRAMS);

async function expectedSources(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of scenarios) {
    const run = await runScenarioFileForDiagram(join('scenarios', f), undefined, ROOT);
    if (!run.ok) throw new Error(run.problems);
    out.set(diagramName(f), sequenceDiagram(run.report));
  }
  const arch = await architectureSource();
  out.set(arch.name, arch.mmd);
  return out;
}

describe('committed diagrams/ (regenerate: npm run build && node bin/geosim diagram --format svg)', () => {
  it('has exactly one .mmd per scenario plus architecture.mmd', () => {
    expect(committed.filter((f) => f.endsWith('.mmd')).sort()).toEqual([...scenarios.map((f) => `${diagramName(f)}.mmd`), 'architecture.mmd'].sort());
  });

  it('holds .mmd files byte-identical to what the current code generates', async () => {
    for (const [name, mmd] of await expectedSources()) {
      expect(readFileSync(join(DIAGRAMS, `${name}.mmd`), 'utf8'), `diagrams/${name}.mmd is stale`).toBe(mmd);
    }
  });

  it('holds an .svg for every .mmd, rendered from that exact .mmd', () => {
    for (const f of committed.filter((x) => x.endsWith('.mmd'))) {
      const svgName = f.replace(/\.mmd$/, '.svg');
      expect(committed, `diagrams/${svgName} is missing`).toContain(svgName);
      const svg = readFileSync(join(DIAGRAMS, svgName), 'utf8');
      expect(embeddedSourceHash(svg), `diagrams/${svgName} was rendered from another ${f}`).toBe(sourceHash(readFileSync(join(DIAGRAMS, f), 'utf8')));
    }
  });
});

it('embeddedSourceHash reads only the header render.ts writes', () => {
  const h = sourceHash('sequenceDiagram\n');
  expect(embeddedSourceHash(`<!-- geosim-source-sha256: ${h} -->\n<svg/>`)).toBe(h);
  expect(embeddedSourceHash('<svg/>')).toBeUndefined();
  expect(h).not.toBe(sourceHash('sequenceDiagram\n\n'));
});
