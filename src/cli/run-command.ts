import { formatProblems } from '../scenario/problems.js';
import { printable } from '../scenario/printable.js';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario, type RunOptions } from '../pipeline/run-scenario.js';
import type { Scenario } from '../scenario/model.js';
import type { RunReport, RunStop } from '../trace/report.js';
import { jsonChunks, type NotRun } from '../render/json.js';
import { renderText } from '../render/text.js';
import { EnvironmentError, ExitCode, inputError, UserError } from '../errors.js';
import type { CliIo } from './io.js';
import { DEFAULT_MAX_OUTPUT_BYTES, runLimits, type RunFlags } from './run-flags.js';
import { collectScenarioFiles } from './scenario-files.js';
import { refuseInputAsOutput, statOrUndefined } from '../pipeline/output-guard.js';
import { writeFileAtomic } from '../pipeline/atomic-write.js';
import { formatBytes } from '../scenario/limits.js';
import { silenceSdkNodeNotice } from '../backends/dynamodb/sdk-notice.js';
import { join } from 'node:path';
import { writeSync } from 'node:fs';
import { writeFailure } from '../pipeline/io-words.js';
import { itemsExpiredDuringRun } from './expired-items.js';

/**
 * `geosim run`: load every scenario (reporting all problems of all files), run the valid ones,
 * render, and return the exit code (DESIGN §4).
 */
export async function runCommand(paths: string[], flags: RunFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  // A team's handler loads the AWS SDK in the model too; its Node 20 notice says nothing about the run.
  silenceSdkNodeNotice();
  const files = await collectScenarioFiles(paths, cwd);
  if (flags.conflicts !== undefined) {
    refuseInputAsOutput('--conflicts', flags.conflicts, files, cwd);
    // said before the runs, not after them
    if (statOrUndefined(resolvePath(cwd, flags.conflicts))?.isDirectory()) throw conflictsIsDirectory(flags.conflicts);
  }
  // ink is never rendered to a pipe, a dumb terminal or under NO_COLOR: the plain view carries
  // the same content without escape codes.
  const wanted = flags.format ?? 'pretty';
  const plainOnly = !io.stdout.isTTY || Boolean(io.env.NO_COLOR) || io.env.TERM === 'dumb';
  const format = wanted === 'pretty' && plainOnly ? 'text' : wanted;
  // Asked for by name, the terminal view is not dropped silently (the default falls back quietly).
  if (flags.format === 'pretty' && format === 'text' && !flags.step) io.stderr.write(`geosim: --format pretty needs a terminal (${!io.stdout.isTTY ? 'standard output is not one' : io.env.NO_COLOR ? 'NO_COLOR is set' : 'TERM is dumb'}); printing the text view\n`);
  // a flag that does nothing alone is a mistake worth saying, as the backend's flags are
  if (flags.speed !== undefined && !flags.step) throw new UserError('geosim: --speed sets how fast --step plays: it needs --step');
  if (flags.step) {
    // the stepper redraws in place with cursor moves a dumb terminal (an editor's shell) prints as text
    if (io.env.TERM === 'dumb') throw new UserError('geosim: --step redraws the screen, which a dumb terminal (TERM=dumb) cannot; use --format text');
    if (!io.stdout.isTTY || !(io.stdin ?? process.stdin).isTTY) throw new UserError('geosim: --step needs a terminal (stdin and stdout a TTY); for a pipe or CI log use --format text');
    if (files.length !== 1) throw new UserError(`geosim: --step takes one scenario file, got ${files.length}`);
    if (flags.format && flags.format !== 'pretty') throw new UserError(`geosim: --step shows the terminal view; it cannot be combined with --format ${flags.format}`);
  }
  // ink and react load only for the terminal view, starting now so loading overlaps the run.
  const terminalView = flags.step || format === 'pretty' ? (await import('../render/ink/load.js')).loadTerminalView() : undefined;
  // the view once loaded, for the output printed at once when a handler stops geosim at --sync-limit
  let terminalViewNow: Awaited<NonNullable<typeof terminalView>> | undefined;
  void terminalView?.then((view) => (terminalViewNow = view), () => undefined);
  if (flags.backend === 'dynamodb' && (flags.horizon !== undefined || flags.maxTraceEvents !== undefined)) {
    throw new UserError('geosim: --horizon and --max-trace-events bound runs of the model; --backend dynamodb runs on the wall clock');
  }
  const dynamo = flags.backend === 'dynamodb' ? await dynamoRunner(flags) : (rejectDynamoFlags(flags), undefined);
  let exit: number = ExitCode.ok;
  let invalid = 0;
  /** Scenarios found in a directory that run only in the model, skipped on --backend dynamodb: their files, per reason (the note names them). */
  const skippedModelOnly = new Map<ModelOnly, string[]>();
  // files named on the command line, as against found in a directory given
  const named = new Set(paths.map((p) => resolvePath(cwd, p)));
  // what did not run, and why: in the JSON document too, so a reader of it alone does not take a run that skipped a file for a clean pass
  const notRun: NotRun[] = [];
  const reports: RunReport[] = [];
  const maxOutput = flags.maxOutputSize ?? DEFAULT_MAX_OUTPUT_BYTES;
  const perfetto = format === 'perfetto' ? await import('../render/perfetto/chunks.js') : undefined;
  let written = 0;
  /** The scenario whose text crossed --max-output-size: none of it, or after it, was written. */
  let overLimitAt: string | undefined;
  // The loop runs every scenario (and writes text as it goes); a DynamoDB Local started for them stops after.
  try {
    for (const [index, file] of files.entries()) {
      const loaded = await loadScenarioFile(resolvePath(cwd, file), { ...(flags.maxFileSize !== undefined ? { maxFileBytes: flags.maxFileSize } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}) }).catch((error: NodeJS.ErrnoException) => {
        return { ok: false as const, io: error.code === 'EISDIR' ? 'is a directory' : printable(error.message) };
      });
      if (!loaded.ok) {
        io.stderr.write('io' in loaded ? `geosim: ${printable(file)}: ${loaded.io}\n` : formatProblems(loaded.problems.map((p) => ({ ...p, file }))));
        notRun.push('io' in loaded ? { file, why: loaded.io } : { file, why: 'invalid scenario', problems: loaded.problems.map(({ line, col, code, message }) => ({ line, col, code, message })) });
        exit = Math.max(exit, ExitCode.badInput);
        invalid++;
        continue;
      }
      const scenario = { ...loaded.scenario, file };
      const modelOnly = dynamo ? modelOnlyReason(scenario) : undefined;
      if (modelOnly !== undefined) {
        // Named on the command line it is a mistake; found in a directory (the shipped scenarios) it is skipped.
        notRun.push({ file, why: modelOnly.why });
        if (!named.has(resolvePath(cwd, file))) {
          skippedModelOnly.set(modelOnly, [...(skippedModelOnly.get(modelOnly) ?? []), file]);
          continue;
        }
        // (not counted with the invalid files: nothing in this one needs fixing, the backend is the mistake)
        io.stderr.write(`geosim: ${printable(file)}: ${modelOnly.why}; run it without --backend dynamodb\n`);
        exit = Math.max(exit, ExitCode.badInput);
        continue;
      }
      // The model's index lag is a knob; a real table's indexes lag on their own: said, and the scenario runs.
      if (dynamo && (scenario.indexLagMs ?? 0) > 0) io.stderr.write(`geosim: ${printable(file)}: ${INDEX_LAG_NOTE}\n`);
      // A handler stuck past --sync-limit ends geosim from inside its loop, with synchronous writes:
      // what was written before must have left the process by then, or it is lost.
      if (scenario.application.module !== undefined) await Promise.all([flushed(io.stdout), flushed(io.stderr)]);
      // The run as it stood, and the output of the scenarios before it, printed before geosim exits 2.
      const onSyncLimit = (stopped: RunReport): void => {
        reports.push(stopped);
        const later = files.slice(index + 1);
        for (const next of later) notRun.push({ file: next, why: `not run: a handler in ${file} ran past --sync-limit, which stopped geosim` });
        if (later.length > 0) writeNow(io.stderr, [`geosim: ${later.length} scenario${later.length === 1 ? '' : 's'} after ${printable(file)} not run: --sync-limit stopped geosim\n`]);
        if (terminalView && terminalViewNow) terminalViewNow.renderPrettyNow(stopped, io);
        else if (format !== 'json' && format !== 'perfetto') {
          const text = renderText(stopped) + '\n';
          written += Buffer.byteLength(text);
          if (overLimitAt === undefined && written > maxOutput) overLimitAt = file;
          if (overLimitAt === undefined) writeNow(io.stdout, [text]);
        }
        for (const [stream, chunks] of closing().writes) writeNow(stream, chunks);
        // they are written by code that waits, and this process does not wait again
        const side = [flags.conflicts !== undefined && '--conflicts', flags.reportDir !== undefined && '--report-dir'].filter(Boolean);
        if (side.length > 0) writeNow(io.stderr, [`geosim: ${side.join(' and ')} not written: --sync-limit stopped geosim\n`]);
      };
      const report = await (dynamo ? dynamo.run(scenario) : runScenario(scenario, { ...runOptions(flags), moduleLog: io.stderr, onSyncLimit })).catch((error: unknown) => {
        // A team's module that cannot load (not found, a syntax error, no such export) is this
        // scenario's bad input: said with the scenario's name, and the other scenarios still run.
        if (!(error instanceof UserError) || error.exitCode !== ExitCode.badInput) throw error;
        io.stderr.write(`${inputError(printable(file), error)}\n`);
        notRun.push({ file, why: error.message.replace(/^geosim: /, '') });
        return undefined;
      });
      if (report === undefined) {
        exit = Math.max(exit, ExitCode.badInput);
        invalid++;
        continue;
      }
      reports.push(report);
      // Time to Live acts in the model's time only: a run that outlived an item's expiry is not the model's.
      if (dynamo) {
        const note = expiredNote(scenario, report);
        if (note !== undefined) io.stderr.write(`geosim: ${printable(file)}: ${note}\n`);
      }
      if (report.stopped) {
        io.stderr.write(`${stoppedMessage(file, report.stopped)}\n`);
        exit = Math.max(exit, ExitCode.badInput);
      }
      if (terminalView && flags.step) await (await terminalView).stepThrough(report, io, flags.speed ?? 2);
      else if (terminalView) await (await terminalView).renderPretty(report, io);
      else if (format !== 'json' && format !== 'perfetto') {
        const text = renderText(report) + '\n';
        written += Buffer.byteLength(text);
        // past the limit nothing more is written, but the rest is still measured: the hint then
        // names what the whole output needs (one scenario at a time, it took a try per scenario)
        if (overLimitAt === undefined && written > maxOutput) overLimitAt = file;
        if (overLimitAt === undefined) await writeChunks(io.stdout, [text]);
      }
    }
  } finally {
    await dynamo?.close();
  }
  // The files beside the run's output, written after it: a directory that cannot be written then
  // costs its own file and exit code, not the JSON document or the closing line already printed.
  const sideOutputs = async (): Promise<void> => {
    // nothing ran (every file was invalid): no feed, rather than an empty one that reads as "no conflicts"
    if (flags.conflicts !== undefined && reports.length > 0) await writeConflictFeed(resolvePath(cwd, flags.conflicts), flags.conflicts, reports, files.length > 1, io);
    if (flags.reportDir !== undefined) await writeFailedReports(flags.reportDir, reports, cwd, io);
  };
  const { writes, exit: code } = closing();
  for (const [stream, chunks] of writes) await writeChunks(stream, chunks);
  await sideOutputs();
  return code;

  /**
   * What the run prints after its scenarios, in order (stderr's notes, the JSON or Perfetto
   * document, the closing line), and its exit code. Computed, not written: written as usual after
   * the loop, or at once when a handler stops geosim at --sync-limit.
   */
  function closing(): { writes: Array<[CliIo['stdout'], Iterable<string>]>; exit: number } {
    if (overLimitAt !== undefined) {
      // the runs ran: their feed and reports are written, as with JSON over the limit
      return { writes: [[io.stderr, [`${outputLimitMessage('text', maxOutput, written, overLimitAt)}\n`]]], exit: ExitCode.badInput };
    }
    const writes: Array<[CliIo['stdout'], Iterable<string>]> = [];
    const failed = reports.filter((r) => r.assertions.some((a) => !a.passed)).length;
    const passed = reports.length - failed;
    const code = failed > 0 ? Math.max(exit, ExitCode.assertionFailed) : exit;
    for (const [reason, files] of skippedModelOnly) writes.push([io.stderr, [`geosim: ${files.length} scenario${files.length === 1 ? '' : 's'} with ${reason.what} not run: ${reason.why}; skipped: ${namedFew(files)}\n`]]);
    if (invalid > 0) writes.push([io.stderr, [`${invalid} scenario file${invalid === 1 ? '' : 's'} not run: fix the errors above\n`]]);
    if (format !== 'json' && format !== 'perfetto') {
      writes.push([io.stdout, [`${passed} passed, ${failed} failed\n`]]);
      return { writes, exit: code };
    }
    // The Perfetto renderer loads only when asked for, as the conflict feed and reports do (loaded
    // before the runs: a handler stuck past --sync-limit leaves no time to load it).
    const chunks = () => (perfetto ? perfetto.perfettoDocument(reports).chunks() : jsonChunks(reports, { passed, failed, notRun }));
    // Sized before a byte is written: a document over the limit is refused whole, never cut short.
    let size = 0;
    for (const chunk of chunks()) size += Buffer.byteLength(chunk);
    if (size > maxOutput) {
      // counted whole, so the hint names a limit that lets this document through
      writes.push([io.stderr, [`${outputLimitMessage(format === 'json' ? 'JSON' : 'Perfetto', maxOutput, size)}\n`]]);
      return { writes, exit: ExitCode.badInput };
    }
    writes.push([io.stdout, chunks()], [io.stderr, [`${passed} passed, ${failed} failed\n`]]);
    return { writes, exit: code };
  }
}

/**
 * Writes `chunks` in pieces of about 64 KB, waiting while the stream's buffer is full: the output
 * of a long run never has to exist as one string, nor pile up in memory ahead of a slow pipe.
 */
async function writeChunks(stream: CliIo['stdout'], chunks: Iterable<string>): Promise<void> {
  let pending: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const ok = stream.write(pending.join(''));
    pending = [];
    size = 0;
    if (ok === false) await drained(stream);
  };
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 65_536) await flush();
  }
  if (size > 0) await flush();
}

/**
 * Until what was written to `stream` has left the process (a pipe's slow reader holds it in Node's
 * buffer): nothing written before a handler's synchronous loop is lost when geosim exits from it.
 */
function flushed(stream: CliIo['stdout']): Promise<void> {
  const { writableLength, destroyed } = stream as { writableLength?: number; destroyed?: boolean };
  if (!(writableLength! > 0) || destroyed === true) return Promise.resolve();
  // an empty write's callback comes after every write before it
  return new Promise<void>((resolve) => stream.write('', () => resolve()));
}

/**
 * Writes `chunks` synchronously, for a process about to exit from inside a handler's synchronous
 * loop, where the event loop never turns again: the process's own streams through their file
 * descriptors, waiting out a full pipe (EAGAIN); a reader that closed the pipe ends it quietly, as
 * for every write (bin/geosim). A test's streams take writes synchronously.
 */
function writeNow(stream: CliIo['stdout'], chunks: Iterable<string>): void {
  const fd = stream === process.stdout ? 1 : stream === process.stderr ? 2 : undefined;
  if (fd === undefined) {
    for (const chunk of chunks) stream.write(chunk);
    return;
  }
  let pending: string[] = [];
  let size = 0;
  const flush = (): boolean => {
    const bytes = Buffer.from(pending.join(''));
    pending = [];
    size = 0;
    for (let at = 0; at < bytes.length; ) {
      try {
        at += writeSync(fd, bytes, at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') return false;
        if (code !== 'EAGAIN') throw error;
        Atomics.wait(PAUSE, 0, 0, 5);
      }
    }
    return true;
  };
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 65_536 && !flush()) return;
  }
  if (size > 0) flush();
}

/** What `writeNow` waits on while a pipe is full: nothing ever notifies it. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Until the stream can take more, or will never again (a reader that closed the pipe destroys it). */
function drained(stream: CliIo['stdout']): Promise<void> {
  if ((stream as { destroyed?: boolean }).destroyed === true) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/** Why a scenario runs only in the model, and what of it says so (`mode: mrsc`, `ttlDelay`). */
interface ModelOnly {
  what: string;
  why: string;
}

const MRSC_MODEL_ONLY: ModelOnly = {
  what: 'mode: mrsc',
  why: 'mode: mrsc runs only in the model (--backend dynamodb runs MREC tables: DynamoDB Local has no multi-Region strong consistency, and geosim creates no MRSC global table)',
};
const TTL_DELAY_MODEL_ONLY: ModelOnly = {
  what: 'ttlDelay',
  why: "ttlDelay runs only in the model (DynamoDB deletes expired items on its own clock, and a run's expiry times are virtual)",
};

const UNCHANGED_SKIP_MODEL_ONLY: ModelOnly = {
  what: 'replication.unchangedWrites: skip',
  why: "replication.unchangedWrites: skip runs only in the model (--backend dynamodb's emulated replication sends every write, one that changes nothing included, as unchangedWrites: replicate does)",
};

/**
 * Said of a scenario with `indexLag` run on --backend dynamodb: it runs (its assertions may hold
 * whatever the lag), but the lag it scripts is not the one its indexes have.
 */
const INDEX_LAG_NOTE = "indexLag is the model's only: on --backend dynamodb the indexes lag as the endpoint's do (DynamoDB Local's not at all), not as scripted, so a query that misses a young write in the model may see it here";

/**
 * Said of a run on --backend dynamodb that ended holding an item whose Time to Live expiry came
 * before its end: the model would have deleted it then (and a retry would have found no
 * idempotency record), DynamoDB did not, so the run can differ from the model's.
 */
function expiredNote(scenario: Scenario, report: RunReport): string | undefined {
  const expired = itemsExpiredDuringRun(scenario, report);
  const first = expired[0];
  if (first === undefined) return undefined;
  const items = new Set(expired.map((e) => `${e.table}\u0000${e.key}`)).size;
  const which = `${printable(first.key)}${scenario.tables !== undefined ? ` (${printable(first.table)})` : ''}${items > 1 ? ` and ${items - 1} more item${items === 2 ? '' : 's'}` : ''}`;
  return `${which} expired by Time to Live at ${virtualTime(first.expiredAt)}, before the run ended at ${virtualTime(report.endedAt)}: the model deletes an item at its expiry in the run's time, --backend dynamodb does not (DynamoDB expires items on its own clock), so this run can differ from the model's; run it without --backend dynamodb to see Time to Live act`;
}

/** The first few of `files`, and how many more: a note on stderr names what it skipped without burying the run. */
function namedFew(files: readonly string[], shown = 5): string {
  const names = files.slice(0, shown).map(printable).join(', ');
  return files.length > shown ? `${names} and ${files.length - shown} more` : names;
}

/** Why `scenario` cannot run on --backend dynamodb (a run there would model something else), if it cannot. */
function modelOnlyReason(scenario: Scenario): ModelOnly | undefined {
  // No MRSC there (DynamoDB Local has none; geosim creates MREC tables): a run would model MREC.
  if (scenario.mode === 'mrsc') return MRSC_MODEL_ONLY;
  if ((scenario.ttlDelayMs ?? 0) > 0) return TTL_DELAY_MODEL_ONLY;
  if (scenario.replication.unchangedWrites === 'skip') return UNCHANGED_SKIP_MODEL_ONLY;
  return undefined;
}

/** Output over --max-output-size (DESIGN §5: exit 2, and the message names the flag that raises it). */
function outputLimitMessage(what: 'JSON' | 'Perfetto' | 'text', limit: number, needed?: number, crossedAt?: string): string {
  const size = (bytes: number) => (bytes >= 1_073_741_824 && bytes % 1_073_741_824 === 0 ? `${bytes / 1_073_741_824}GB` : formatBytes(bytes).replace(' ', ''));
  // two sizes that round alike are said in bytes ("6KB, larger than 6KB" said nothing)
  const [shownNeeded, shownLimit] = needed !== undefined && size(needed) === size(limit) ? [`${needed} bytes`, `${limit} bytes`] : [needed === undefined ? '' : size(needed), size(limit)];
  const larger = needed === undefined ? `larger than ${shownLimit}` : `${shownNeeded}, larger than ${shownLimit}`;
  // text is written as it is made: the scenarios before the one that crossed the limit were written
  const written = what !== 'text' ? ', so none was written' : crossedAt !== undefined ? ` (the output before ${printable(crossedAt)} was written, none after)` : ' (the output before this scenario was written)';
  return `geosim: the ${what} output would be ${larger}${written}; large items repeated in a long trace? To allow more: --max-output-size ${needed === undefined ? size(limit * 2) : roundedUp(needed)}`;
}

/** A size at least `bytes`, in a unit --max-output-size takes: whole KB under a MB, whole MB under a GB, else whole GB. */
function roundedUp(bytes: number): string {
  if (bytes <= 1_048_576) return `${Math.ceil(bytes / 1024)}KB`;
  if (bytes <= 1_073_741_824) return `${Math.ceil(bytes / 1_048_576)}MB`;
  return `${Math.ceil(bytes / 1_073_741_824)}GB`;
}

function runOptions(flags: RunFlags): RunOptions {
  return { ...(flags.seed !== undefined ? { seed: flags.seed } : {}), ...runLimits(flags) };
}

/** A run limit was hit (DESIGN §5: exit 2, and the message names the flag that raises it). */
function stoppedMessage(file: string, stop: RunStop): string {
  if (stop.limit === 'horizon') {
    return `geosim: ${file}: stopped with work still due at ${virtualTime(stop.nextDue)}, more than the run's horizon of ${virtualTime(stop.horizon)} after its last scripted step or fault (${virtualTime(stop.scriptedEnd)}); a retry that never ends? To run longer: --horizon ${suggestHorizon(stop.nextDue - stop.scriptedEnd)}`;
  }
  if (stop.limit === 'sync-limit') {
    // said by the watchdog as it stops geosim (its message names the handler and the flag)
    return `geosim: ${file}: stopped at ${virtualTime(stop.at)}: ${stop.handler} ran past --sync-limit without yielding`;
  }
  return `geosim: ${file}: stopped at ${virtualTime(stop.at)} when the trace passed ${stop.maxTraceEvents} events with work still due; a retry that never ends? To allow more: --max-trace-events ${stop.maxTraceEvents * 2}`;
}

/** Virtual ms in the largest whole unit that fits: 30d, 36h, 90s, 250ms. */
function virtualTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms}ms`;
}

/** A --horizon value (whole days) that covers `due` (ms after the script's end), when the flag can take it. */
function suggestHorizon(due: number): string {
  const days = Math.ceil((due + 1) / 86_400_000);
  return days <= 36500 ? `${days}d` : '36500d (the most it takes)';
}

/** The DynamoDB backend, loaded only when asked for: the AWS SDK stays off every other path. */
async function dynamoRunner(flags: RunFlags): Promise<{ run: (scenario: Scenario) => Promise<RunReport>; close: () => Promise<void> }> {
  silenceSdkNodeNotice();
  const { runOnDynamoDb, SharedLocal, checkDynamoFlags } = await import('../pipeline/run-on-dynamodb.js');
  const endpoints = parseEndpoints(flags.endpoint ?? []);
  // contradicting flags are the command line's mistake, said once before any file (not as a problem of each scenario)
  try {
    checkDynamoFlags({ timeScale: flags.timeScale ?? 1, local: flags.local ?? false, replication: flags.replication ?? 'emulate', endpoints });
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`geosim: ${error.message}`);
    throw error;
  }
  // --local over several scenarios: one DynamoDB Local for all of them, not one JVM start each.
  const shared = new SharedLocal();
  const run = async (scenario: Scenario): Promise<RunReport> =>
    runOnDynamoDb(scenario, {
      seed: flags.seed ?? scenario.seed,
      endpoints,
      ...(flags.profile ? { profile: flags.profile } : {}),
      local: flags.local ?? false,
      replication: flags.replication ?? 'emulate',
      timeScale: flags.timeScale ?? 1,
      ...(flags.requestTimeout !== undefined ? { requestTimeoutMs: flags.requestTimeout } : {}),
    }, shared);
  return { run, close: () => shared.stop() };
}

function parseEndpoints(values: string[]): Record<string, string> | string | undefined {
  if (values.length === 0) return undefined;
  const plain = values.filter((v) => !/^[a-z]{2}(-[a-z]+)+-\d+=/.test(v));
  if (plain.length > 0) {
    if (values.length > 1) throw new UserError('geosim: give either one --endpoint URL for every region or one --endpoint REGION=URL per region');
    return plain[0];
  }
  return Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
}

/** Backend flags without --backend dynamodb are a mistake worth saying, not ignoring. */
function rejectDynamoFlags(flags: RunFlags): void {
  const given = [
    flags.endpoint && '--endpoint',
    flags.local && '--local',
    flags.replication && '--replication',
    flags.timeScale !== undefined && '--time-scale',
    flags.profile && '--profile',
    flags.requestTimeout !== undefined && '--request-timeout',
  ].filter(Boolean);
  if (given.length > 0) throw new UserError(`geosim: ${given.join(', ')} need${given.length === 1 ? 's' : ''} --backend dynamodb`);
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith('/') ? file : `${cwd}/${file}`;
}

function conflictsIsDirectory(given: string): UserError {
  return new UserError(`geosim: --conflicts ${printable(given)} is a directory: name a file in it, e.g. ${printable(join(given, 'conflicts.jsonl'))}`);
}

/**
 * `--conflicts FILE`: every run's conflict feed as JSON lines (with the scenario's name when
 * several scenarios ran). A file that cannot be written is the environment's failure (exit 3).
 */
async function writeConflictFeed(path: string, given: string, reports: RunReport[], several: boolean, io: CliIo): Promise<void> {
  const { conflictFeed, conflictLines } = await import('../trace/conflict-feed.js');
  let count = 0;
  const text = reports
    .map((report) => {
      const records = conflictFeed(report.trace);
      count += records.length;
      return conflictLines(records, several ? report.scenario.name : undefined);
    })
    .join('');
  try {
    // atomic, as every output file: a reader never sees half a feed; its directory is made as -o makes one
    await writeFileAtomic(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // a directory named where a file goes is the user's mistake; a disk that refuses, the machine's
    if (code === 'EISDIR') throw conflictsIsDirectory(given);
    // as report -o says it: a path through a file is the user's mistake
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new UserError(`geosim: --conflicts ${printable(given)}: a part of the path is a file, not a directory`);
    throw new EnvironmentError(`geosim: --conflicts ${printable(given)}: cannot write it: ${writeFailure(error)}`);
  }
  io.stderr.write(`geosim: ${count} conflict${count === 1 ? '' : 's'} written to ${printable(given)}\n`);
}

/**
 * `--report-dir DIR`: an HTML report of every failed run (an assertion failed, or it stopped at a
 * limit) and an index.html of them, whatever the format and backend; nothing when all passed.
 * The exit code stays the run's, unless DIR cannot be written: 2 when a part of it is a file, else
 * 3 (the machine's), each said with the flag's name.
 */
async function writeFailedReports(dir: string, reports: RunReport[], cwd: string, io: CliIo): Promise<void> {
  const [{ writeReportDir, shower }, { runFailed }, { mermaidBundle }] = await Promise.all([
    import('../pipeline/report.js'),
    import('../render/report/html.js'),
    import('../render/report/parts.js'),
  ]);
  const failed = reports.filter(runFailed);
  if (failed.length === 0) {
    io.stderr.write(`geosim: every scenario passed; no report written to ${printable(dir)}\n`);
    return;
  }
  const written = await writeReportDir(failed, resolvePath(cwd, dir), { mermaidBundle: mermaidBundle() }, shower(cwd), () => {}, { command: 'geosim run', flag: '--report-dir' });
  io.stderr.write(`geosim: wrote ${written.length - 1} report${written.length === 2 ? '' : 's'} to ${printable(dir)}\n`);
}
