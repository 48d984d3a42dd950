import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { makeDirectory } from './atomic-write.js';
import { basename, dirname, join } from 'node:path';
import { JSON_FORMAT_VERSION, jsonChunks } from '../render/json.js';
import { parseLinkLag } from '../render/lag-words.js';
import { formatBytesAgainst } from '../scenario/limits.js';
import type { LinkSpec } from '../scenario/model.js';
import { printable } from '../scenario/printable.js';
import type { RunReport } from '../trace/report.js';
import type { ScenarioRun } from './diagram.js';

/** Where writeTraceFile writes before its rename: a process that must stop mid-write removes it (serve's second Ctrl-C). */
export function traceTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Writes a session's report as `geosim run --format json` writes reports (one scenario), so
 * `geosim diagram FILE.json` and the views read it. Atomic: the chunks go to a temporary file in
 * the same directory, which then replaces the target in one rename, so a kill during the write
 * leaves the old file (or none), never half a trace. Chunked: a long trace never has to exist as
 * one string.
 */
export async function writeTraceFile(path: string, report: RunReport): Promise<void> {
  const dir = dirname(path);
  await makeDirectory(dir);
  const temp = traceTempPath(path);
  try {
    const handle = await open(temp, 'w');
    try {
      let pending: string[] = [];
      let size = 0;
      const passed = report.assertions.every((a) => a.passed) ? 1 : 0;
      for (const chunk of jsonChunks([report], { passed, failed: 1 - passed })) {
        pending.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) {
          await handle.write(pending.join(''));
          pending = [];
          size = 0;
        }
      }
      if (pending.length > 0) await handle.write(pending.join(''));
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Largest trace file `geosim diagram` reads by default: a long session's trace is far larger than a scenario. */
export const DEFAULT_MAX_TRACE_FILE_BYTES = 512 * 1_048_576;

/**
 * A run recorded as JSON (`geosim serve --trace FILE`, `geosim run --format json > FILE`) as the
 * report the diagram reads. The file must hold exactly one run; what is not such a document is a
 * problem of the input (exit 2), reported without a stack.
 */
export async function readTraceFile(full: string, shown: string, maxFileBytes?: number): Promise<ScenarioRun> {
  const doc = await readTraceDocument(full, shown, maxFileBytes);
  if (!doc.ok) return doc;
  if (doc.scenarios.length !== 1) return traceFailure(shown, `holds ${doc.scenarios.length} runs; diagram draws a trace file of one run (run one scenario per --format json file)`);
  return recordedRun(doc.scenarios[0], shown);
}

/**
 * Every run of a recorded JSON (`geosim run --format json` of several scenarios gives several), for
 * a reader that takes them all (`geosim report`). A file holding no run is a problem of the input.
 */
export async function readTraceRuns(full: string, shown: string, maxFileBytes?: number): Promise<ScenarioRun[]> {
  const doc = await readTraceDocument(full, shown, maxFileBytes);
  if (!doc.ok) return [doc];
  if (doc.scenarios.length === 0) return [traceFailure(shown, 'holds no runs')];
  return doc.scenarios.map((r, i) => recordedRun(r, doc.scenarios.length === 1 ? shown : `${shown} (run ${i + 1})`));
}

const traceFailure = (shown: string, why: string): ScenarioRun & { ok: false } => ({ ok: false, problems: `geosim: ${shown}: ${why}` });

/** The file read and parsed as a geosim JSON document of format JSON_FORMAT_VERSION: its runs, unchecked. */
async function readTraceDocument(full: string, shown: string, maxFileBytes?: number): Promise<{ ok: true; scenarios: unknown[] } | (ScenarioRun & { ok: false })> {
  const max = Math.max(maxFileBytes ?? 0, DEFAULT_MAX_TRACE_FILE_BYTES);
  const fail = (why: string) => traceFailure(shown, why);
  let text: string;
  try {
    const info = await stat(full);
    if (info.size > max) {
      const [size, limit] = formatBytesAgainst(info.size, max);
      return fail(`the trace file is ${size}, more than the ${limit} read; raise it with --max-file-size`);
    }
    text = await readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : `cannot read it (${code ?? String(error)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    // on one line: JSON.parse quotes the text it choked on, newlines and all
    return fail(`not a JSON trace (${printable((error as Error).message)}); expected what geosim serve --trace or geosim run --format json writes`);
  }
  const d = doc as { geosim?: unknown; scenarios?: unknown };
  if (d === null || typeof d !== 'object' || d.geosim !== JSON_FORMAT_VERSION || !Array.isArray(d.scenarios)) {
    // a scenario written as JSON (run and explore take one, since YAML reads JSON): a .json here is a recorded run
    const scenario = d !== null && typeof d === 'object' && !Array.isArray(d) && 'regions' in d && 'steps' in d;
    if (scenario) return fail('this looks like a scenario written as JSON: diagram and report read a .json file as a recorded run; name the scenario .yaml (YAML reads JSON as it is)');
    return fail(`not a geosim trace of format ${JSON_FORMAT_VERSION} (expected {"geosim": ${JSON_FORMAT_VERSION}, "scenarios": [...]}, as geosim serve --trace or geosim run --format json writes)`);
  }
  return { ok: true, scenarios: d.scenarios };
}

/** One recorded run as a RunReport, its shape checked. */
function recordedRun(run: unknown, shown: string): ScenarioRun {
  const fail = (why: string) => traceFailure(shown, why);
  const report = run as Partial<RunReport>;
  const problem = shapeProblem(report);
  if (problem !== undefined) return fail(`not a geosim trace: ${problem}`);
  // The JSON holds the lag in words (its documented contract); the report carries it as declared.
  const lag: LinkSpec[] = [];
  for (const [i, words] of (report.lag as unknown[]).entries()) {
    const link = typeof words === 'string' ? parseLinkLag(words) : undefined;
    if (link === undefined) return fail(`not a geosim trace: lag[${i}] is not a link's lag as geosim writes it (e.g. "us-east-1→eu-west-1 uniform 300..900ms")`);
    lag.push(link);
  }
  return { ok: true, report: { ...report, lag } as RunReport };
}

/** The fields the diagram reads, checked so a damaged file is an input error and not a crash. */
function shapeProblem(r: Partial<RunReport>): string | undefined {
  if (r === null || typeof r !== 'object') return 'the run is not an object';
  if (typeof r.scenario?.name !== 'string' || typeof r.scenario.file !== 'string') return 'scenario.name and scenario.file must be strings';
  if (!Array.isArray(r.regions) || !r.regions.every((x) => typeof x === 'string')) return 'regions must be a list of strings';
  if (!Array.isArray(r.lag) || !Array.isArray(r.assertions)) return 'lag and assertions must be lists';
  if (typeof r.seed !== 'number' || typeof r.strategy !== 'string' || typeof r.idempotency !== 'string') return 'seed, strategy and idempotency are missing';
  if (r.final === null || typeof r.final !== 'object') return 'final must be an object';
  if (r.tables !== undefined && (r.tables === null || typeof r.tables !== 'object' || Array.isArray(r.tables))) return 'tables must be an object';
  if (!Array.isArray(r.trace)) return 'trace must be a list';
  for (const [i, e] of r.trace.entries()) {
    const event = e as { t?: unknown; kind?: unknown } | null;
    if (event === null || typeof event !== 'object' || typeof event.t !== 'number' || typeof event.kind !== 'string') return `trace[${i}] needs a number t and a string kind`;
  }
  return undefined;
}
