import { lstatSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTraceFile, readTraceRuns, writeTraceFile } from '../../src/pipeline/trace-file.js';
import { renderJson } from '../../src/render/json.js';
import { COUNT_NAMES } from '../../src/trace/count-names.js';
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

  it('writes through a --trace path that is a symbolic link, which stays a link to the trace', async () => {
    const report = await runScenario(scenarioFromYaml('regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    put: { region: us-east-1, item: { Id: A, n: 1 } }\n'));
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    writeFileSync(join(dir, 'session-1.json'), 'old');
    symlinkSync('session-1.json', join(dir, 'latest.json'));
    await writeTraceFile(join(dir, 'latest.json'), report);
    expect(lstatSync(join(dir, 'latest.json')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['latest.json', 'session-1.json']);
    const read = await readTraceFile(join(dir, 'session-1.json'), 'session-1.json');
    expect(read.ok).toBe(true);
  });

  it.each([
    ['{', /not a JSON trace/],
    // the text JSON.parse quotes stays on the message's one line
    ['not json\n', /^[^\n]*not a JSON trace \(Unexpected token 'o', "not json\\n" is not valid JSON\)[^\n]*\n?$/],
    ['{"geosim": 2, "scenarios": []}', /not a geosim trace of format 1/],
    ['{"geosim": 1, "scenarios": []}', /holds 0 runs/],
    // a scenario written as JSON: named as one, with what to do
    ['{"regions": ["us-east-1", "eu-west-1"], "steps": []}', /looks like a scenario written as JSON: .* name the scenario \.yaml/],
    ['{"geosim": 1, "scenarios": [{"scenario": {"name": "x"}}]}', /^geosim: t\.json: not a geosim trace: scenarios\[0\]: scenario\.file is missing$/],
    [
      // a run complete but for its lag (the schema's fields: mode, backend, counts and endedAt too)
      `{"geosim": 1, "scenarios": [{"scenario": {"name": "x", "file": "x.yaml"}, "seed": 1, "mode": "mrec", "strategy": "s", "idempotency": "i", "regions": [], "lag": ["us-east-1→eu-west-1 soon"], "backend": "memory", "assertions": [], "final": {}, "trace": [], "counts": ${JSON.stringify({ ...Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])), effects: {} })}, "endedAt": 0}]}`,
      /lag\[0\] is not a link's lag as geosim writes it/,
    ],
  ])('refuses %s as bad input, not a crash', async (text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    writeFileSync(join(dir, 't.json'), text);
    const read = await readTraceFile(join(dir, 't.json'), 't.json');
    expect(!read.ok && read.problems).toMatch(message);
  });

  it('reads back the recorded run fixture (test/__snapshots__/clock-skew.seed1.json)', async () => {
    const file = join(import.meta.dirname, '../__snapshots__/clock-skew.seed1.json');
    const read = await readTraceFile(file, 'clock-skew.seed1.json');
    expect(read.ok && read.report.trace.length).toBeGreaterThan(0);
  });
});

/**
 * A recorded run damaged as a hand edit, a truncating tool or a newer geosim would: each is bad
 * input (exit 2 at the CLI) named by its file, its run and event, its kind and the field, never a
 * run that a renderer then crashes on.
 */
describe('a trace file with a damaged event', () => {
  // concurrent.yaml's trace: [0] client-event, [1] local-write, [2] replication-sent, [5] event-outcome
  const SCENARIO = 'regions: [us-east-1, eu-west-1]\nsteps:\n  - at: 0\n    event: { id: e1, region: us-east-1, item: ORDER#1, data: { status: paid } }\n  - at: 10\n    read: { region: eu-west-1, key: { Id: ORDER#1 } }\n  - at: 2000\n    check: { name: later, items: { ORDER#1: { Data: { status: paid } } } }\n';
  let recorded: { scenarios: { trace: Record<string, unknown>[] }[] };
  const kindAt = (kind: string) => recorded.scenarios[0]!.trace.findIndex((e) => e.kind === kind);
  async function readDamaged(damage: (trace: Record<string, unknown>[]) => void, runs = 1): Promise<string> {
    const doc = structuredClone(recorded);
    doc.scenarios = Array.from({ length: runs }, () => structuredClone(recorded.scenarios[0]!));
    damage(doc.scenarios[runs - 1]!.trace);
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
    const read = runs === 1 ? [await readTraceFile(join(dir, 'bad.json'), 'bad.json')] : await readTraceRuns(join(dir, 'bad.json'), 'bad.json');
    const failed = read.filter((r) => !r.ok);
    expect(failed).toHaveLength(1);
    return failed[0]!.ok ? '' : failed[0]!.problems;
  }

  beforeAll(async () => {
    const report = await runScenario(scenarioFromYaml(SCENARIO));
    recorded = JSON.parse(renderJson([report], { passed: 1, failed: 0 })) as typeof recorded;
  });

  it('reads the undamaged recording', async () => {
    expect(recorded.scenarios[0]!.trace.map((e) => e.kind)).toEqual(expect.arrayContaining(['client-event', 'local-write', 'replication-sent', 'replication-applied', 'event-outcome', 'read', 'checkpoint']));
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(recorded));
    expect((await readTraceFile(join(dir, 'good.json'), 'good.json')).ok).toBe(true);
  });

  it.each([
    ['replication-sent', 'version'],
    ['replication-sent', 'arrivesAt'],
    ['local-write', 'after'],
    ['local-write', 'seq'],
    ['client-event', 'envelope'],
    ['event-outcome', 'outcome'],
    ['replication-applied', 'conflict'],
    ['read', 'consistency'],
    ['checkpoint', 'passed'],
  ])('a %s without its %s: missing, named with the event', async (kind, field) => {
    const i = kindAt(kind);
    const problems = await readDamaged((trace) => delete trace[i]![field]);
    expect(problems).toBe(`geosim: bad.json: not a geosim trace: scenarios[0].trace[${i}] (${kind}): ${field} is missing`);
  });

  it.each([
    ['client-event', (e: Record<string, unknown>) => (e.t = '12'), 't must be a number, not the string "12"'],
    ['replication-sent', (e: Record<string, unknown>) => (e.version = { ts: '5', region: 'us-east-1' }), 'version.ts must be a number, not the string "5"'],
    ['local-write', (e: Record<string, unknown>) => (e.after = 'ORDER#1'), 'after must be an item (an object), not the string "ORDER#1"'],
    ['local-write', (e: Record<string, unknown>) => (e.op = 'upsert'), 'op must be one of "put", "update", "delete", not the string "upsert"'],
    ['replication-applied', (e: Record<string, unknown>) => (e.conflict = 'no'), 'conflict must be true or false, not the string "no"'],
    ['client-event', (e: Record<string, unknown>) => ((e.envelope as { event: unknown }).event = []), 'envelope.event must be an object, not a list'],
    ['read', (e: Record<string, unknown>) => (e.item = [1]), 'item must be an item (an object), not a list'],
  ])('a %s with a field of the wrong type or value: said what it must be', async (kind, damage, words) => {
    const i = kindAt(kind);
    const problems = await readDamaged((trace) => damage(trace[i]!));
    expect(problems).toBe(`geosim: bad.json: not a geosim trace: scenarios[0].trace[${i}] (${kind}): ${words}`);
  });

  it('an unknown kind is refused, as a newer geosim may have written it', async () => {
    const problems = await readDamaged((trace) => (trace[3]!.kind = 'bogus'));
    expect(problems).toBe('geosim: bad.json: not a geosim trace: scenarios[0].trace[3]: unknown event kind "bogus" (a recording from a newer geosim?)');
  });

  it.each([
    [(trace: unknown[]) => (trace[2] = null), 'scenarios[0].trace[2]: must be an event (an object), not null'],
    [(trace: Record<string, unknown>[]) => delete trace[2]!.kind, 'scenarios[0].trace[2]: kind is missing'],
    [(trace: Record<string, unknown>[]) => (trace[2]!.kind = 7), 'scenarios[0].trace[2]: kind must be a string, not the number 7'],
  ])('an event that is no event: said so (%#)', async (damage, words) => {
    expect(await readDamaged(damage as (trace: Record<string, unknown>[]) => void)).toBe(`geosim: bad.json: not a geosim trace: ${words}`);
  });

  it('a fields no schema names is left alone: a renderer ignores it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    const doc = structuredClone(recorded);
    doc.scenarios[0]!.trace[1]!.addedLater = { by: 'a newer geosim' };
    writeFileSync(join(dir, 'newer.json'), JSON.stringify(doc));
    const read = await readTraceFile(join(dir, 'newer.json'), 'newer.json');
    expect(read.ok).toBe(true);
    if (read.ok) expect(sequenceDiagram(read.report)).toContain('sequenceDiagram');
  });

  it('in a file of several runs, the run is named by its place in the file', async () => {
    const i = kindAt('replication-sent');
    const problems = await readDamaged((trace) => delete trace[i]!.version, 3);
    expect(problems).toBe(`geosim: bad.json: not a geosim trace: scenarios[2].trace[${i}] (replication-sent): version is missing`);
  });

  it.each([
    [(run: Record<string, unknown>) => delete run.mode, 'scenarios[0]: mode is missing'],
    [(run: Record<string, unknown>) => delete run.counts, 'scenarios[0]: counts is missing'],
    [(run: Record<string, unknown>) => ((run.assertions as Record<string, unknown>[])[0]!.source = 'x'), 'scenarios[0]: assertions[0].source must be one of "check", "expectation", "step", "invariant", "limit", not the string "x"'],
    [(run: Record<string, unknown>) => (run.final = { 'us-east-1': { 'ORDER#1': 5 } }), 'scenarios[0]: final["us-east-1"]["ORDER#1"] must be an item (an object), not the number 5'],
  ])('a run whose own fields are damaged: named by its field (%#)', async (damage, words) => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-trace-'));
    const doc = structuredClone(recorded) as unknown as { scenarios: Record<string, unknown>[] };
    damage(doc.scenarios[0]!);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
    const read = await readTraceFile(join(dir, 'bad.json'), 'bad.json');
    expect(!read.ok && read.problems).toBe(`geosim: bad.json: not a geosim trace: ${words}`);
  });
});
