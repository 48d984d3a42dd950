import { constants, rmSync } from 'node:fs';
import { access, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadScenarioFile } from '../scenario/load.js';
import { formatProblems } from '../scenario/problems.js';
import { printable, shellWord } from '../scenario/printable.js';
import { DEFAULT_MAX_TRACE_EVENTS } from '../pipeline/run-scenario.js';
import { startDynamoDBHttpServer, type DynamoDBHttpServer } from '../dynamodb/http-server.js';
import { quickStartScenario } from '../serve/quick-start.js';
import { ServeSession, type ServedScenario } from '../serve/session.js';
import { serveReport } from '../pipeline/serve-report.js';
import { isSpecialFile, traceTempPath, writeTraceFile } from '../pipeline/trace-file.js';
import { makeDirectory, writeTarget } from '../pipeline/atomic-write.js';
import { describeLag, describeLinkLag } from '../render/lag-words.js';
import { reportedLinks } from '../check/end-of-run.js';
import { EnvironmentError, ExitCode, UserError } from '../errors.js';
import type { CliIo } from './io.js';
import { interruptedExit, STOP_SIGNALS, type StopSignal } from './interruption.js';
import { DEFAULT_TABLE_NAME } from '../trace/item.js';
import type { ServeFlags } from './serve-flags.js';
import { writeFailure } from '../pipeline/io-words.js';

/**
 * `geosim serve`: the model's regions as one DynamoDB HTTP endpoint on 127.0.0.1, replication on
 * the wall clock, until SIGINT, SIGTERM or SIGHUP (or `stopWhen`, for tests). Returns the exit code.
 */
export async function serveCommand(file: string | undefined, flags: ServeFlags, io: CliIo, stopWhen?: Promise<string>): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const served = await servedScenario(file, flags, cwd, io);
  if (served === undefined) return ExitCode.badInput;
  const { scenario, seed, steps } = served;
  // as the scenario key is refused on MRSC (no Time to Live there), so is the flag
  if (scenario.mode === 'mrsc' && (flags.ttlDelay ?? 0) > 0) {
    io.stderr.write('geosim serve: --ttl-delay: MRSC global tables do not support Time to Live; serve the scenario without it, or with mode: mrec\n');
    return ExitCode.badInput;
  }
  if (flags.trace !== undefined) await checkTracePath(resolve(cwd, flags.trace), flags.trace);
  const maxTraceEvents = flags.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS;
  const timeScale = flags.timeScale ?? 1;
  const session = new ServeSession(scenario, {
    seed,
    timeScale,
    maxTraceEvents,
    epochMs: Date.now(),
    ...(flags.indexLag !== undefined ? { indexLagMs: flags.indexLag } : {}),
    ...(flags.ttlDelay !== undefined ? { ttlDelayMs: flags.ttlDelay } : {}),
    onError: (error) => internalError(io, error),
    onTraceFull: () =>
      io.stderr.write(`geosim serve: the trace reached ${maxTraceEvents} events (--max-trace-events); later events are not recorded, the session keeps serving. To record more: --max-trace-events ${maxTraceEvents * 2}\n`),
  });
  let server: DynamoDBHttpServer;
  try {
    server = await startDynamoDBHttpServer({ endpointFor: (region) => session.endpointFor(region), port: flags.port, defaultRegion: scenario.regions[0]!, onInternalError: (error) => internalError(io, error) });
  } catch (error) {
    await session.driver.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new EnvironmentError(`geosim serve: port ${flags.port} on 127.0.0.1 is in use (another geosim serve or DynamoDB Local?); pick another with --port, or --port 0 for a free one`, { cause: error });
    throw new EnvironmentError(`geosim serve: cannot listen on 127.0.0.1:${flags.port} (${code ?? String(error)}); pick another with --port`, { cause: error });
  }
  io.stdout.write(`geosim serve: ${server.url} ${scenario.regions.join(',')}\n`);
  io.stdout.write(banner(server.url, scenario, timeScale, steps, flags.trace));

  // Listening for signals only once serving: a refusal to start leaves no listener in a caller's process.
  const why = await (stopWhen ?? signal());
  // A second signal while the trace is being written ends the process at once: said, not silent.
  // (the file a --trace link names: its temporary file sits beside that file, see writeTraceFile)
  const tracePath = flags.trace === undefined ? undefined : await writeTarget(resolve(cwd, flags.trace));
  const abandoned = flags.trace !== undefined && tracePath !== undefined && stopWhen === undefined ? onSecondSignal(io, flags.trace, traceTempPath(tracePath)) : undefined;
  await server.close();
  const report = serveReport(await session.stop());
  let exit: number = ExitCode.ok;
  if (flags.trace !== undefined && tracePath !== undefined) {
    const path = tracePath;
    try {
      await writeTraceFile(path, report);
    } catch (error) {
      throw new EnvironmentError(`geosim serve: cannot write the trace to ${printable(flags.trace)}: ${writeFailure(error)}`, { cause: error });
    } finally {
      abandoned?.();
    }
    io.stdout.write(`geosim serve: wrote ${printable(flags.trace)} (${report.trace.length} trace events); draw it with: geosim diagram ${printable(shellWord(flags.trace))}\n`);
  }
  if (report.stopped) {
    io.stderr.write(`geosim serve: the trace holds only the first ${maxTraceEvents} of ${session.trace.emitted} events; to record them all: --max-trace-events ${roomFor(session.trace.emitted, maxTraceEvents)}\n`);
    exit = ExitCode.badInput;
  }
  io.stdout.write(`geosim serve: stopped (${why}) after ${session.requests} request${session.requests === 1 ? '' : 's'}, ${session.trace.replicated} write${session.trace.replicated === 1 ? '' : 's'} replicated\n`);
  return exit;
}

/** The scenario file's regions, replication and faults, or the quick-start flags'. Undefined: problems printed. */
async function servedScenario(file: string | undefined, flags: ServeFlags, cwd: string, io: CliIo): Promise<{ scenario: ServedScenario; seed: number; steps: number } | undefined> {
  if (file === undefined) {
    const quick = quickStartScenario(flags.regions, flags.lag);
    if (!quick.ok) throw new UserError(`geosim serve: ${quick.message}`);
    return { scenario: quick.scenario, seed: flags.seed ?? 1, steps: 0 };
  }
  if (flags.regions !== undefined || flags.lag !== undefined) {
    throw new UserError(`geosim serve: --regions and --lag are for serving without a scenario; ${printable(file)} sets its own regions and replication`);
  }
  const loaded = await loadScenarioFile(resolve(cwd, file), { stepsOptional: true, ...(flags.maxFileSize !== undefined ? { maxFileBytes: flags.maxFileSize } : {}) }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`geosim: ${printable(file)}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.code === 'EISDIR' ? 'is a directory' : printable(error.message)}`);
  });
  if (!loaded.ok) {
    io.stderr.write(formatProblems(loaded.problems.map((p) => ({ ...p, file }))));
    return undefined;
  }
  const s = loaded.scenario;
  return { scenario: { ...s, file }, seed: flags.seed ?? s.seed, steps: s.steps.length };
}

/**
 * `--trace FILE` before listening, so a session's trace is not lost at its end: its directory is
 * made (as `-o` and `run --conflicts` make theirs), a file can be made in it (as the write on stop
 * does first, see writeTraceFile) and FILE is no directory. Failing is the machine's (exit 3).
 */
async function checkTracePath(named: string, given: string): Promise<void> {
  const path = await writeTarget(named); // a link: the file it names is the one written
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let why: string;
  try {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() === true) {
      why = 'it is a directory';
    } else if (isSpecialFile(info)) {
      // a device or a FIFO is written to in place (writeTraceFile): no file is made beside it, and
      // a FIFO is not opened here, which would wait for its reader
      await access(path, constants.W_OK);
      return;
    } else {
      await makeDirectory(dirname(path));
      await (await open(probe, 'w')).close();
      await rm(probe, { force: true });
      return;
    }
  } catch (error) {
    why = writeFailure(error); // in words, naming no probe file: the user gave `path`
  }
  throw new EnvironmentError(`geosim serve: --trace ${printable(given)}: ${printable(why)}`);
}

/** What a user needs to start: the regions and lags, how to point a client at it, what is not served. */
function banner(url: string, scenario: ServedScenario, timeScale: number, steps: number, trace: string | undefined): string {
  const region = scenario.regions[1] ?? scenario.regions[0]!;
  const links = reportedLinks(scenario);
  const lags = [...new Set(links.map((l) => describeLag(l.lag)))];
  const lines = [
    `  regions ${scenario.regions.join(', ')}${scenario.witness !== undefined ? `, witness ${scenario.witness} (no replica)` : ''}; replication lag ${lags.length === 1 ? lags[0] : links.map(describeLinkLag).join(', ')}${timeScale !== 1 ? ` (virtual time; --time-scale ${timeScale})` : ''}`,
    // Served as the model runs it (World): say so, or a client's refused transaction is a surprise.
    ...(scenario.mode === 'mrsc' ? ['  MRSC (multi-Region strong consistency): strong reads and conditions see a write in every region with quorum at once, eventual reads once it arrives; a region without quorum refuses writes and strong reads; no transactions, no TTL'] : []),
    `  ${(scenario.faults ?? []).length} fault${(scenario.faults ?? []).length === 1 ? '' : 's'} on the timeline from now${steps > 0 ? `; the scenario's ${steps} step${steps === 1 ? ' is' : 's are'} not run by serve` : ''}`,
    `  the region of a request is its SigV4 signing region; any credentials work (e.g. AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x)`,
    `  AWS CLI: aws dynamodb list-tables --endpoint-url ${url} --region ${region}`,
    `  SDK:     new DynamoDBClient({ endpoint: '${url}', region: '${region}' })`,
    `  tables created in one region are global tables in every region; ${tablesAtStart(scenario)}`,
    `  Ctrl-C stops${trace !== undefined ? ` and writes ${printable(trace)}` : ''}`,
  ];
  return lines.join('\n') + '\n';
}

/** The tables a client finds at the start: the scenario's own `tables:`, else GlobalEventTable. */
function tablesAtStart(scenario: ServedScenario): string {
  const names = scenario.tables?.map((t) => t.name) ?? [DEFAULT_TABLE_NAME];
  return `${names.map(printable).join(', ')} ${names.length === 1 ? 'exists' : 'exist'} from the start`;
}

/**
 * A `--max-trace-events` that holds a session of `total` events, the limit's double at least (a
 * next session tends to run longer), rounded up to two significant digits: 9 of 2 gives 9, 523417
 * of 500000 gives 1000000, 1234567 of 100000 gives 1300000.
 */
export function roomFor(total: number, limit: number): number {
  const n = Math.max(total, limit * 2);
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.ceil(n / step) * step;
}

function internalError(io: CliIo, error: unknown): void {
  io.stderr.write(`geosim serve: internal error while serving a request (a bug; please report it with this text):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/**
 * While the trace is written after a first signal: a second SIGINT, SIGTERM or SIGHUP says the
 * trace was not written (the write goes to a temporary file first, so nothing half-written is
 * left) and ends the process with the signal's code (130, 143, 129). Returns what removes the listeners.
 */
export function onSecondSignal(io: CliIo, trace: string, temp: string, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const stop = (name: StopSignal) => {
    // the write is cut short: what it wrote so far goes (process.exit skips the writer's own clean-up)
    rmSync(temp, { force: true });
    io.stderr.write(`geosim serve: ${name} again: stopped before the trace was written to ${printable(trace)}\n`);
    exit(interruptedExit(name));
  };
  return onceEach(stop);
}

/**
 * Resolves with the name of the first SIGINT, SIGTERM or SIGHUP (a closed terminal ends the
 * session as Ctrl-C does: the trace is written, not lost); a second one: see onSecondSignal.
 */
function signal(): Promise<string> {
  return new Promise((resolve) => {
    const remove = onceEach((name) => {
      remove();
      resolve(name);
    });
  });
}

/** Listens once for each stop signal, calling `then` with its name; returns what removes the listeners. */
function onceEach(then: (name: StopSignal) => void): () => void {
  const listeners = STOP_SIGNALS.map((name) => [name, () => then(name)] as const);
  for (const [name, listener] of listeners) process.once(name, listener);
  return () => {
    for (const [name, listener] of listeners) process.off(name, listener);
  };
}
