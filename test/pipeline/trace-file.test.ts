import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile, writeTraceFile } from '../../src/pipeline/trace-file.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

describe('a trace file for geosim diagram', () => {
  it('round-trips: what serve writes, diagram reads back and draws as the run itself', async () => {
    const report = await runScenario(scenarioFromYaml('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    put: { region: us-east-1, item: { Id: A, n: 1 } }\n'));
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    const file = join(dir, 'run.json');
    await writeTraceFile(file, report);
    expect(readdirSync(dir)).toEqual(['run.json']);
    const read = await readTraceFile(file, 'run.json');
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(sequenceDiagram(read.report)).toBe(sequenceDiagram(report));
    // The file holds the lag in words; the report read back carries it as the run declared it.
    expect(read.report.lag).toEqual(report.lag);
  });

  it.each([
    ['{', /not a JSON trace/],
    // the text JSON.parse quotes stays on the message's one line
    ['not json\n', /^[^\n]*not a JSON trace \(Unexpected token 'o', "not json\\n" is not valid JSON\)[^\n]*\n?$/],
    ['{"geosim": 2, "scenarios": []}', /not a geosim trace of format 1/],
    ['{"geosim": 1, "scenarios": []}', /holds 0 runs/],
    // a scenario written as JSON: named as one, with what to do
    ['{"regions": ["us-east-1", "eu-west-1"], "steps": []}', /looks like a scenario written as JSON: .* name the scenario \.yaml/],
    ['{"geosim": 1, "scenarios": [{"scenario": {"name": "x"}}]}', /scenario.name and scenario.file/],
    [
      '{"geosim": 1, "scenarios": [{"scenario": {"name": "x", "file": "x.yaml"}, "seed": 1, "strategy": "s", "idempotency": "i", "regions": [], "lag": ["us-east-1→eu-west-1 soon"], "assertions": [], "final": {}, "trace": []}]}',
      /lag\[0\] is not a link's lag as geosim writes it/,
    ],
  ])('refuses %s as bad input, not a crash', async (text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    writeFileSync(join(dir, 't.json'), text);
    const read = await readTraceFile(join(dir, 't.json'), 't.json');
    expect(!read.ok && read.problems).toMatch(message);
  });
});
