import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { renderJson } from '../../src/render/json.js';
import { compileCheck, recordedSchemas } from '../../src/trace/schema.js';
import type { TraceKind } from '../../src/trace/events.js';
import { scenarioFromFile } from '../helpers/scenario.js';

const ROOT = join(import.meta.dirname, '../..');
const { events: TRACE_EVENT_SCHEMAS, run: RECORDED_RUN_SCHEMA } = recordedSchemas();
const TRACE_KINDS = Object.keys(TRACE_EVENT_SCHEMAS);

/** Every shipped scenario's run (seed 1) as `geosim run --format json` writes it and JSON.parse reads it back. */
async function shippedRuns(): Promise<Record<string, unknown>[]> {
  const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
  const runs: Record<string, unknown>[] = [];
  for (const file of files) {
    const report = await runScenario(await scenarioFromFile(`scenarios/${file}`), { seed: 1 });
    runs.push((JSON.parse(renderJson([report], { passed: 0, failed: 0 })) as { scenarios: Record<string, unknown>[] }).scenarios[0]!);
  }
  return runs;
}

/** Events of the kinds no shipped scenario makes (a team's handler, stream records, redrive), as geosim writes them. */
const OTHER_KINDS: Record<string, Record<string, unknown>> = {
  'event-lost': { seq: 1, t: 0, kind: 'event-lost', region: 'us-east-1', eventId: 'e1', reason: 'retries exhausted, no dead-letter queue' },
  'stream-records-discarded': {
    seq: 1, t: 0, kind: 'stream-records-discarded', region: 'us-east-1', records: ['ORDER#1#1'], firstSequenceNumber: '1', lastSequenceNumber: '1', reason: 'record-expired', attempts: 3, error: 'boom',
  },
  'redrive-empty': { seq: 1, t: 0, kind: 'redrive-empty', eventIds: [] },
  'side-effect': { seq: 1, t: 0, kind: 'side-effect', region: 'us-east-1', eventId: 'e1', service: 'sqs', operation: 'SendMessage' },
  'handler-problem': { seq: 1, t: 0, kind: 'handler-problem', region: 'us-east-1', eventId: 'e1', problem: 'late-error', message: 'late' },
  'cold-start': { seq: 1, t: 0, kind: 'cold-start', region: 'us-east-1', function: 'app.mjs#handler', reason: 'first', environments: 1 },
};

describe('the schemas of a recorded run', () => {
  it('name every kind events.ts declares, and no other', () => {
    // The compiler holds each schema to its type (src/trace/schema.ts); this holds the list to the file.
    const declared = [...readFileSync(join(ROOT, 'src/trace/events.ts'), 'utf8').matchAll(/^\s+kind: '([a-z-]+)';$/gm)].map((m) => m[1]);
    expect(new Set(TRACE_KINDS)).toEqual(new Set(declared));
    expect(TRACE_KINDS.length).toBeGreaterThanOrEqual(34);
  });

  let runs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    runs = await shippedRuns();
  }, 60_000);

  it('take every run of every shipped scenario, every kind it writes has a schema', () => {
    const kinds = new Set<string>();
    for (const run of runs) {
      expect(RECORDED_RUN_SCHEMA.safeParse(run).error?.issues).toBeUndefined();
      for (const event of run.trace as { kind: string }[]) {
        kinds.add(event.kind);
        expect(TRACE_KINDS).toContain(event.kind);
        expect(TRACE_EVENT_SCHEMAS[event.kind as TraceKind].safeParse(event).error?.issues).toBeUndefined();
      }
    }
    // the kinds no shipped scenario writes are the ones OTHER_KINDS samples
    expect(TRACE_KINDS.filter((k) => !kinds.has(k)).sort()).toEqual(Object.keys(OTHER_KINDS).sort());
    for (const event of Object.values(OTHER_KINDS)) expect(TRACE_EVENT_SCHEMAS[event.kind as TraceKind].safeParse(event).success).toBe(true);
  });

  it('compiled, answer as zod does for every event damaged in every field', () => {
    const samples = new Map<string, Record<string, unknown>>(Object.entries(OTHER_KINDS));
    for (const run of runs) for (const event of run.trace as Record<string, unknown>[]) if (!samples.has(`${String(event.kind)} ${Object.keys(event).join()}`)) samples.set(`${String(event.kind)} ${Object.keys(event).join()}`, event);
    expect(samples.size).toBeGreaterThan(TRACE_KINDS.length);
    const odd: unknown[] = [undefined, null, 'x', '', 0, -1.5, true, false, [], [null], {}, { ts: 1, region: 'r' }, { Id: 'A' }, ['a', 'b'], [null, null]];
    let compared = 0;
    for (const event of samples.values()) {
      const schema = TRACE_EVENT_SCHEMAS[event.kind as TraceKind] as z.ZodType;
      const checks = [compileCheck(schema), compileCheck(schema, { generated: false })];
      const agree = (value: unknown) => {
        const expected = schema.safeParse(value).success;
        for (const check of checks) expect({ value, passes: check(value) }).toEqual({ value, passes: expected });
        compared++;
      };
      agree(event);
      for (const [key, value] of Object.entries(event)) {
        for (const other of odd) agree({ ...event, [key]: other });
        // one level down: a stamp's ts, an item's attribute, a list's entry
        if (value !== null && typeof value === 'object') {
          for (const inner of Object.keys(value)) for (const other of odd) agree({ ...event, [key]: Array.isArray(value) ? Object.assign([...value], { [inner]: other }) : { ...value, [inner]: other } });
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('compiled, answer as zod does for a whole run damaged in every field', () => {
    const run = runs.find((r) => (r.assertions as unknown[]).length > 0 && r.tables === undefined)!;
    const checks = [compileCheck(RECORDED_RUN_SCHEMA), compileCheck(RECORDED_RUN_SCHEMA, { generated: false })];
    for (const [key, value] of Object.entries(run)) {
      for (const other of [undefined, null, 'x', 1, [], {}, [{}], { a: 1 }, { a: { b: 'c' } }, { a: { b: { c: 1 } } }]) {
        const damaged = { ...run, [key]: other };
        const expected = RECORDED_RUN_SCHEMA.safeParse(damaged).success;
        for (const check of checks) expect({ key, other, passes: check(damaged) }).toEqual({ key, other, passes: expected });
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const inner of Object.keys(value)) {
          const damaged = { ...run, [key]: { ...value, [inner]: 'x' } };
          const expected = RECORDED_RUN_SCHEMA.safeParse(damaged).success;
          for (const check of checks) expect({ key, inner, passes: check(damaged) }).toEqual({ key, inner, passes: expected });
        }
      }
    }
  });

  it('compile only the forms they can check as zod does: a refinement or another type is refused, not dropped', () => {
    for (const generated of [true, false]) {
      expect(() => compileCheck(z.object({ a: z.string().min(1) }), { generated })).toThrow(/string with refinements/);
      expect(() => compileCheck(z.object({ a: z.date() }), { generated })).toThrow(/type date/);
      expect(() => compileCheck(z.looseObject({ a: z.string() }).catchall(z.number()), { generated })).toThrow(/catchall/);
    }
  });
});
