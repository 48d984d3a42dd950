import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { perfettoChunks } from '../../../src/render/perfetto/chunks.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromFile } from '../../helpers/scenario.js';
import { validateTrace } from './validate.js';

const root = join(import.meta.dirname, '../../../scenarios');
// Every shipped scenario, the explorer's finds and their repros too (a repro fails its assertion, and runs).
const files = [
  ...readdirSync(root).filter((f) => f.endsWith('.yaml')).map((f) => join(root, f)),
  ...readdirSync(join(root, 'explore')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'explore', f)),
].sort();

describe('--format perfetto of every scenario', () => {
  it('finds the scenarios', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  const reports: RunReport[] = [];
  for (const file of files) {
    it(`${file.slice(root.length + 1)}: parses, validates, one flow per replicated write`, async () => {
      const report = await runScenario(await scenarioFromFile(file));
      reports.push(report);
      const doc = JSON.parse([...perfettoChunks([report])].join('')) as { otherData: { scenarios: { flows: number; writesSent: number; inFlightAtEnd: number }[] } };
      const checked = validateTrace(doc);
      expect(checked.problems).toEqual([]);
      const sends = report.trace.filter((e) => e.kind === 'replication-sent').length;
      // Every scenario drains its replication, so no write is in flight at the end: one flow each.
      expect(report.stopped).toBeUndefined();
      expect(checked.flows).toBe(sends);
      expect(doc.otherData.scenarios[0]).toMatchObject({ flows: sends, writesSent: sends, inFlightAtEnd: 0 });
    });
  }

  it('all of them in one document: still valid, flows add up, ids stay unique', () => {
    const doc = JSON.parse([...perfettoChunks(reports)].join('')) as unknown;
    const checked = validateTrace(doc);
    expect(checked.problems).toEqual([]);
    expect(checked.flows).toBe(reports.reduce((n, r) => n + r.trace.filter((e) => e.kind === 'replication-sent').length, 0));
  });
});
