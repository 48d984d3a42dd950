import type { Stats } from 'node:fs';
import { open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { makeDirectory, writeTarget } from './atomic-write.js';
import { basename, dirname, join } from 'node:path';
import { JSON_FORMAT_VERSION, jsonChunks } from '../render/json.js';
import { parseLinkLag } from '../render/lag-words.js';
import { formatBytesAgainst } from '../scenario/limits.js';
import type { LinkSpec } from '../scenario/model.js';
import { printable, quoted } from '../scenario/printable.js';
import type { z } from 'zod';
import type { TraceKind } from '../trace/events.js';
import { recordedRunCheck, recordedSchemas, traceEventChecks } from '../trace/schema.js';
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
export async function writeTraceFile(given: string, report: RunReport): Promise<void> {
  const path = await writeTarget(given); // a symbolic link stays one: the file it names gets the trace
  // A device, pipe or socket (`--trace /dev/stdout`, a FIFO a script reads) is written to, never
  // replaced by a renamed file, as writeFileAtomic does: a rename put a regular file in its place.
  if (isSpecialFile(await stat(path).catch(() => undefined))) {
    const handle = await open(path, 'w');
    try {
      await writeChunks(handle, report);
    } finally {
      await handle.close();
    }
    return;
  }
  const dir = dirname(path);
  await makeDirectory(dir);
  const temp = traceTempPath(path);
  try {
    const handle = await open(temp, 'w');
    try {
      await writeChunks(handle, report);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Something that exists and is neither a regular file nor a directory: a device, a FIFO, a socket. */
export function isSpecialFile(info: Stats | undefined): boolean {
  return info !== undefined && !info.isFile() && !info.isDirectory();
}

/** The report as JSON, in chunks of about 1 MB: a long trace never has to exist as one string. */
async function writeChunks(handle: FileHandle, report: RunReport): Promise<void> {
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
  return recordedRun(doc.scenarios[0], 0, shown);
}

/**
 * Every run of a recorded JSON (`geosim run --format json` of several scenarios gives several), for
 * a reader that takes them all (`geosim report`). A file holding no run is a problem of the input.
 */
export async function readTraceRuns(full: string, shown: string, maxFileBytes?: number): Promise<ScenarioRun[]> {
  const doc = await readTraceDocument(full, shown, maxFileBytes);
  if (!doc.ok) return [doc];
  if (doc.scenarios.length === 0) return [traceFailure(shown, 'holds no runs')];
  return doc.scenarios.map((r, i) => recordedRun(r, i, shown));
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

/** One recorded run (`scenarios[index]` of its file) as a RunReport, its shape checked. */
function recordedRun(run: unknown, index: number, shown: string): ScenarioRun {
  const where = `scenarios[${index}]`;
  const fail = (why: string) => traceFailure(shown, `not a geosim trace: ${why}`);
  const runWrong = runProblem(run);
  if (runWrong !== undefined) return fail(`${where}: ${runWrong}`);
  const eventWrong = traceProblem((run as { trace: unknown[] }).trace);
  if (eventWrong !== undefined) return fail(`${where}${eventWrong}`);
  const report = run as Omit<RunReport, 'lag'> & { lag: string[] };
  // The JSON holds the lag in words (its documented contract); the report carries it as declared.
  const lag: LinkSpec[] = [];
  for (const [i, words] of report.lag.entries()) {
    const link = parseLinkLag(words);
    if (link === undefined) return fail(`${where}: lag[${i}] is not a link's lag as geosim writes it (e.g. "us-east-1→eu-west-1 uniform 300..900ms")`);
    lag.push(link);
  }
  return { ok: true, report: { ...report, lag } };
}

/**
 * What is wrong with a run's fields besides its trace events, in words, or undefined: everything a
 * renderer reads is there, of its type (the run's schema, held to RunReport by the compiler).
 */
function runProblem(run: unknown): string | undefined {
  if (run === null || typeof run !== 'object' || Array.isArray(run)) return `must be a run (an object), not ${described(run)}`;
  if (recordedRunCheck()(run)) return undefined;
  const parsed = recordedSchemas().run.safeParse(run);
  return parsed.success ? undefined : issueWords(parsed.error.issues[0]!, run);
}

/**
 * The first trace event a renderer could not draw, as `.trace[3] (kind): what`, or undefined.
 * Each is held to its kind's schema (src/trace/schema.ts, held to events.ts by the compiler); a
 * kind this geosim does not know is refused, not skipped: a newer geosim's recording may hold
 * kinds that change what the others mean. Fields no schema names are left alone.
 */
function traceProblem(trace: readonly unknown[]): string | undefined {
  const checks = traceEventChecks();
  for (let i = 0; i < trace.length; i++) {
    const event = trace[i];
    // the fast path: a compiled check per kind (see compileCheck); zod only words a failure
    const kind = event !== null && typeof event === 'object' ? (event as { kind?: unknown }).kind : undefined;
    if (typeof kind === 'string' && Object.hasOwn(checks, kind) && checks[kind as TraceKind](event)) continue;
    return `.trace[${i}]${eventProblem(event)}`;
  }
  return undefined;
}

/** What is wrong with an event that failed its check, after its place: `: kind is missing`, ` (read): item is missing`. */
function eventProblem(event: unknown): string {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return `: must be an event (an object), not ${described(event)}`;
  const kind = (event as { kind?: unknown }).kind;
  if (typeof kind !== 'string') return kind === undefined ? ': kind is missing' : `: kind must be a string, not ${described(kind)}`;
  const schemas = recordedSchemas().events;
  if (!Object.hasOwn(schemas, kind)) return `: unknown event kind ${quoted(kind.length > 60 ? `${kind.slice(0, 60)}…` : kind)} (a recording from a newer geosim?)`;
  const parsed = schemas[kind as TraceKind].safeParse(event);
  // the check and the schema agree (test/trace/schema.test.ts); were they ever not to, zod's word is taken
  return ` (${kind}): ${parsed.success ? 'does not match its kind' : issueWords(parsed.error.issues[0]!, event)}`;
}

/** A zod issue in words, of a field of `value`: `version is missing`, `t must be a number, not the string "5"`. */
function issueWords(issue: z.core.$ZodIssue, value: unknown): string {
  const field = fieldPath(issue.path);
  const found = valueAt(value, issue.path);
  if (found === undefined && issue.path.length > 0) return `${field} is missing`;
  const must = (what: string) => `${field} must be ${what}, not ${described(found)}`;
  switch (issue.code) {
    case 'invalid_type':
      return must(TYPE_WORDS[issue.expected] ?? issue.expected);
    case 'invalid_value':
      return must(oneOfWords(issue.values));
    case 'invalid_union': {
      // a discriminated union (replication-discarded's reason, an assertion's source): the path is its field
      const { options } = issue as { options?: unknown[] };
      return must(Array.isArray(options) ? oneOfWords(options) : 'one of its forms');
    }
    case 'too_big':
    case 'too_small':
      return Array.isArray(found) ? `${field} must hold ${issue.code === 'too_big' ? 'at most' : 'at least'} ${String(issue.code === 'too_big' ? issue.maximum : issue.minimum)} entries, not ${found.length}` : must(issue.message);
    case 'custom':
      return `${field} ${issue.message}, not ${described(found)}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** zod's type names as the message says them. */
const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

function oneOfWords(values: readonly unknown[]): string {
  const words = values.map((v) => JSON.stringify(v));
  return words.length === 1 ? words[0]! : `one of ${words.join(', ')}`;
}

/** A path in an event or a run as it reads in the file: `version.ts`, `versions[1]`, `envelope.event["Data"]`. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${quoted(String(key))}]`;
  }
  return out === '' ? 'it' : out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A value of the file, shortly: `the string "5"`, `the number 3`, `null`, `a list`, `an object`. */
function described(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${quoted(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${String(v)}`;
  return String(v);
}
