import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { silenceSdkNodeNotice } from '../backends/dynamodb/sdk-notice.js';
import { ExitCode, FILE_PROBLEM, UserError } from '../errors.js';
import { interruptedExit, letSignalsIn, listenForInterruption, type Interruption } from './interruption.js';
import { Explorer, FIRST_BLOCK, JOIN_IF_LEFT_MS, search, searchRunners, type SearchResult } from '../explore/engine.js';
import { describeFailure, failureDetail, failureSignatures } from '../explore/failure.js';
import { defaultReproPath, loadRegressions, regressionDir, replayRegressions, saveRegression, UnreadableRegression, type Regression } from '../explore/regressions.js';
import { runInput } from '../explore/run-input.js';
import { lagFloors, pinLags } from '../explore/pin-lags.js';
import { timeFloors } from '../explore/ranges.js';
import { reproYaml } from '../explore/repro.js';
import { shrink } from '../explore/shrink.js';
import { decodeToken, encodeToken, sha8 } from '../explore/token.js';
import { writeFileAtomic } from '../pipeline/atomic-write.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { loadScenarioFile, loadScenarioText } from '../scenario/load.js';
import { printable, shellWord } from '../scenario/printable.js';
import { formatProblems, type ScenarioProblem } from '../scenario/problems.js';
import type { Scenario } from '../scenario/model.js';
import type { RunReport } from '../trace/report.js';
import type { CliIo } from './io.js';
import { wallNow } from '../sim/virtual-time/real.js';
import { refuseInputAsOutput, statOrUndefined } from '../pipeline/output-guard.js';
import { placedAtSetting } from '../scenario/setting-locations.js';

// The flags of `geosim explore` (wiring in commands/explore.ts).
export interface ExploreFlags {
  runs?: number;
  /** Wall-clock budget, ms. */
  time?: number;
  seed?: number;
  workers?: number;
  shard?: { k: number; n: number };
  keepGoing?: boolean;
  repro?: string;
  format?: 'text' | 'json';
  replay?: string;
  /** false with --no-shrink. */
  shrink?: boolean;
  /** Wall-clock ms shrinking one failure may take. */
  shrinkTime?: number;
  maxFileSize?: number;
  /** --sync-limit, ms. */
  syncLimit?: number;
}

/** Default of --shrink-time: one minute per failure. */
export const DEFAULT_SHRINK_MS = 60_000;
/** Default of --seed. */
export const DEFAULT_EXPLORE_SEED = 1;

type Input = Record<string, unknown>;

/** One failure as explore reports it (the JSON summary's `failures[]`). */
interface FoundFailure {
  signature: string;
  /** The seed and run index of the failing draw; null for a saved regression replayed as pinned. */
  seed: number | null;
  run: number | null;
  token: string | null;
  /** The failed assertion in the text view's words. */
  assertion: string;
  repro: string;
  /** Where the repro was written; null when it could not be (the warning says why; `repro` holds it). */
  reproFile: string | null;
  /** Where it was saved as a regression, or for a saved regression that still fails, its file. */
  regression?: string;
  /** `complete` false: --shrink-time stopped it, with the smallest repro so far. */
  shrink: { runs: number; ms: number; from: number; to: number; complete: boolean } | null;
}

/**
 * `geosim explore`: replay the scenario's saved regressions, then search draws for a failing one,
 * shrink each failure to a repro scenario, write it, and report (design-14.md). Returns the exit code.
 */
export async function exploreCommand(scenarioArg: string | undefined, flags: ExploreFlags, io: CliIo): Promise<number> {
  // The first Ctrl-C (or SIGTERM, or SIGHUP) stops the search and any shrink, then reports what was found as a
  // budget's end would (exit 130); a second ends the process.
  const interruption = listenForInterruption();
  try {
    return await explore(scenarioArg, flags, io, interruption);
  } catch (error) {
    // a mistake a run finds (a team's module that throws while loading) names the scenario, as
    // geosim run does; a file's own problems (a saved regression's, at its lines) name that file
    const fileArg = scenarioArg ?? tokenFile(flags.replay);
    // a module that does not load is a mistake at a setting of the file: placed at its line, as geosim run places it
    const placed = error instanceof UserError && error.setting !== undefined ? await placedInFile(error, fileArg, io.cwd ?? process.cwd()) : error;
    const said = placed instanceof UserError && !placed.message.startsWith('geosim:') && !FILE_PROBLEM.test(placed.message) ? new UserError(`geosim: ${printable(fileArg)}: ${placed.message}`) : placed;
    // a CI job reading the summary gets one for a search that could not run too (as geosim run's `notRun`)
    if (flags.format === 'json' && said instanceof ScenarioProblems) writeNotRun(io, fileArg, { why: 'invalid scenario', problems: said.problems.map(({ line, col, code, message }) => ({ line, col, code, message })) });
    else if (flags.format === 'json' && said instanceof UserError) writeNotRun(io, fileArg, { why: said.message.replace(/^geosim: /, '') });
    throw said;
  } finally {
    // a signal that came during the last runs, before it is no longer listened for (else it is lost)
    await letSignalsIn();
    interruption.close();
  }
}

/**
 * The JSON summary of a search that did not run (a scenario with problems, a file that cannot be
 * read): `passed` false and why, in the words and shape of geosim run's `notRun` entries.
 */
function writeNotRun(io: CliIo, fileArg: string, notRun: { why: string; problems?: Array<{ line: number; col: number; code: string; message: string }> }): void {
  io.stdout.write(`${JSON.stringify({ scenario: fileArg === '' ? null : printable(fileArg), passed: false, notRun }, null, 2)}\n`);
}

/** The scenario file's problems that stop explore before it can read the file as a template (printed as geosim run prints them). */
class ScenarioProblems extends UserError {
  constructor(
    readonly problems: readonly ScenarioProblem[],
    shown: string,
  ) {
    super(formatProblems(problems.map((p) => ({ ...p, file: shown }))).trimEnd());
  }
}

/** `error` placed at its setting in the scenario file (read again for where it writes it), or as it is. */
async function placedInFile(error: UserError, fileArg: string, cwd: string): Promise<unknown> {
  const loaded = await loadScenarioFile(resolve(cwd, fileArg)).catch(() => undefined);
  return loaded?.ok === true ? placedAtSetting({ ...loaded.scenario, file: printable(fileArg) }, error) : error;
}

/** The scenario a replay token names ('' for none, or one that does not decode). */
function tokenFile(replay: string | undefined): string {
  try {
    return replay === undefined ? '' : decodeToken(replay).file;
  } catch {
    return '';
  }
}

async function explore(scenarioArg: string | undefined, flags: ExploreFlags, io: CliIo, interruption: Interruption): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const started = wallNow();
  silenceSdkNodeNotice();
  const token = flags.replay !== undefined ? decodeToken(flags.replay) : undefined;
  if (token && scenarioArg !== undefined) throw new UserError('geosim: --replay names its scenario; give either a scenario or --replay TOKEN, not both');
  if (token) {
    const given = [flags.runs !== undefined && '--runs', flags.time !== undefined && '--time', flags.seed !== undefined && '--seed', flags.workers !== undefined && '--workers', flags.shard && '--shard', flags.keepGoing && '--keep-going'].filter((f): f is string => typeof f === 'string');
    if (given.length > 0) throw new UserError(`geosim: --replay reruns one draw of the seed its token names: ${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply (--runs, --time, --seed, --workers, --shard and --keep-going never do)`);
  }
  if (flags.shrink === false && flags.shrinkTime !== undefined) throw new UserError('geosim: --shrink-time limits the shrinking, and --no-shrink skips it: give one of them');
  const fileArg = token ? token.file : scenarioArg;
  if (fileArg === undefined) throw new UserError('geosim: explore needs a scenario file, e.g. geosim explore scenarios/explore/retry-in-lag.yaml (or --replay TOKEN)');
  const file = resolve(cwd, fileArg);
  if (flags.repro !== undefined) {
    refuseInputAsOutput('--repro', flags.repro, [fileArg], cwd);
    // (said before the search: the write came after it, and its warning named a rename)
    if (/[\\/]$/.test(flags.repro) || statOrUndefined(resolve(cwd, flags.repro))?.isDirectory() === true) throw new UserError(`geosim: --repro ${printable(flags.repro)} is a directory: name a file in it, e.g. ${printable(join(flags.repro, 'repro.yaml'))}`);
  }
  const shown = printable(fileArg);
  const { text, template, problems } = await readTemplate(file, shown, flags.maxFileSize, token ? ' (a replay token names its scenario relative to the directory explore ran in: run --replay from there)' : '');
  // nor any file the scenario loads: a --repro naming the team's handler would replace its code
  if (flags.repro !== undefined) {
    refuseInputAsOutput('--repro', flags.repro, modulesOf(template, file), cwd);
    // (after the inputs' check, which says what the file is)
    refuseToReplace(flags.repro, cwd);
  }
  const seed = token ? token.seed : (flags.seed ?? DEFAULT_EXPLORE_SEED);
  const limits = flags.syncLimit !== undefined ? { syncLimitMs: flags.syncLimit } : {};
  // (checked before the explorer reads the template: a range that failed its check is no range)
  if (problems.length > 0) {
    io.stderr.write(formatProblems(problems.map((p) => ({ ...p, file: shown }))));
    if (flags.format === 'json') writeNotRun(io, fileArg, { why: 'invalid scenario', problems: problems.map(({ line, col, code, message }) => ({ line, col, code, message })) });
    return ExitCode.badInput;
  }
  const explorer = new Explorer({ template, file, seed, ...limits });
  const hash = sha8(text);
  const relFile = relative(cwd, file).split(sep).join('/');
  const tokenOf = (index: number, failure?: string) => encodeToken({ file: relFile, seed, index, hash, ...(failure !== undefined ? { failure } : {}) });
  const json = flags.format === 'json';
  const out = (line: string) => {
    if (!json) io.stdout.write(`${line}\n`);
  };
  const failures: FoundFailure[] = [];
  const interrupted = () => interruption.signal !== undefined;
  const settleOptions = { explorer, file, shown, cwd, flags, tokenOf, io, interrupted };
  // --repro takes the first repro explore writes (a regression replayed as pinned writes none)
  let reproFree = true;

  if (token) {
    if (token.hash !== hash) io.stderr.write(`geosim: warning: ${shown} changed since the token was made (sha256 ${hash}, token ${token.hash}): run ${token.index} draws from the file as it is now\n`);
    out(`replaying run ${token.index} of ${shown}, seed ${seed}`);
    const { report } = await explorer.runRecorded(token.index);
    const signatures = failureSignatures(report);
    // a token of a run that failed several assertions names the one it was printed under
    const named = token.failure === undefined ? undefined : signatures.find((s) => sha8(s) === token.failure);
    if (token.failure !== undefined && named === undefined && signatures.length > 0) io.stderr.write(`geosim: warning: run ${token.index} no longer fails the assertion the token names: replaying its first failure\n`);
    const signature = named ?? signatures[0];
    if (signature !== undefined) failures.push(await settle(token.index, signature, settleOptions));
    else out(`run ${token.index} passes now: every assertion held`);
    return finish({ io, json, shown, seed, runs: 1, failures, sometimes: [], started, workers: { asked: 1, threads: 0 }, ...(interruption.signal !== undefined ? { interrupted: interruption.signal } : {}) });
  }

  // Saved regressions first: a failure explore found before and that still fails is the answer
  // (with --keep-going: every one that still fails, then the search).
  const regressions = await loadRegressions(cwd, explorer.name).catch((error: unknown) => {
    if (error instanceof UnreadableRegression) throw new UserError(`geosim: ${printable(relative(cwd, error.path))}: ${printable(error.why)}\n${regressionAdvice(relative(cwd, error.path))}`);
    throw error;
  });
  const pinned = loadRegressionScenarios(regressions, cwd, flags.maxFileSize);
  for (const r of regressions) {
    if (r.unreadableToken !== undefined) io.stderr.write(`geosim: warning: ${printable(relative(cwd, r.path))}: the replay token in its first line cannot be read (an edit?): it is replayed as pinned, never redrawn on the scenario as it is now\n`);
  }
  // (said first: a saved regression that still fails ends explore before the search's own header)
  if (regressions.length > 0) out(`replaying ${regressions.length} saved regression${regressions.length === 1 ? '' : 's'} of ${shown} (${printable(relative(cwd, regressionDir(cwd, explorer.name)))}/)`);
  const explorerFor = (seedOf: number) => (seedOf === seed ? explorer : new Explorer({ template, file, seed: seedOf, ...limits }));
  const replay = await replayRegressions(
    regressions,
    {
      // as explore runs every input: quiet (a handler that logs per event would bury explore's own output)
      // (each after a turn of the event loop, so a Ctrl-C gets in between them)
      run: async (regression) => (await letSignalsIn(), runScenario(pinned.get(regression)!, { quietConsole: true, ...limits })),
      file: relFile,
      hash,
      redraw: async (seedOf, index) => (await letSignalsIn(), (await explorerFor(seedOf).runRecorded(index)).report),
      stop: interrupted,
    },
    flags.keepGoing,
  );
  for (const { regression, report, signature, redrawn } of replay.failed) {
    if (failures.some((f) => f.signature === signature)) continue; // one failure per failed assertion
    const rel = relative(cwd, regression.path);
    // regressions are kept by scenario name: one found on another file says which (it may have been
    // moved or copied there: nothing here says that file has this scenario's name)
    const elsewhere = regression.token !== undefined && regression.token.file !== relFile ? ` (found exploring ${printable(regression.token.file)})` : '';
    if (redrawn) {
      // A copy of the file it was found on (that file is still there) reports the failure but
      // leaves the regression to that file: saved over or removed, each file's explore undid the
      // other's, and committed regressions changed on every run. A moved file takes it over.
      const copy = regression.token !== undefined && regression.token.file !== relFile && statOrUndefined(resolve(cwd, regression.token.file))?.isFile() === true;
      // The scenario changed since: the draw still fails on it, so shrink it afresh (the saved file is stale).
      const options = { ...settleOptions, explorer: explorerFor(redrawn.seed), tokenOf: (index: number, failure?: string) => encodeToken({ file: relFile, seed: redrawn.seed, index, hash, ...(failure !== undefined ? { failure } : {}) }), saveRegression: !copy };
      const found = await settle(redrawn.index, signature, options, `saved regression ${rel}${elsewhere} still fails (its draw, run ${redrawn.index} of seed ${redrawn.seed}, on ${shown} as it is now)`);
      // saved afresh under its failure's name: a file of another name is stale (it would be redrawn and shrunk on every explore)
      if (!copy && found.regression !== undefined && resolve(cwd, found.regression) !== regression.path) await rm(regression.path, { force: true });
      failures.push(found);
      continue;
    }
    const assertion = describeFailure(report, signature)!;
    failures.push({ signature, seed: null, run: null, token: null, assertion, repro: await readFile(regression.path, 'utf8'), reproFile: rel, regression: rel, shrink: null });
    out(`FAIL saved regression ${rel}${elsewhere} still fails: ${assertion}`);
    out(`  run it: geosim run ${rel}`);
    out('  (fix the bug, or delete the file once the failure is intended)');
  }
  // no search ran: the scenario's sometimes conditions are listed with no hits (JSON readers find every one), and none counts as never hit
  const unsearched = explorer.sometimesNames.map((name) => ({ name, hits: 0 }));
  if (failures.length > 0 && !flags.keepGoing) return finish({ io, json, shown, seed, runs: 0, failures, sometimes: unsearched, stoppedEarly: true, started, workers: { asked: flags.workers ?? 1, threads: 0 }, ...(flags.shard ? { shard: flags.shard } : {}), ...(interruption.signal !== undefined ? { interrupted: interruption.signal } : {}) });
  const known = new Set(failures.map((f) => f.signature));
  if (replay.replayed > 0 && replay.failed.length === 0) out(`replayed ${replay.replayed} saved regression${replay.replayed === 1 ? '' : 's'}: all pass`);

  // runs that cannot differ (explore.lags and explore.simultaneous false, no range): one is the whole search
  const runs = !explorer.varies ? 1 : (flags.runs ?? (flags.time !== undefined ? Infinity : explorer.settings.runs));
  const asked = flags.workers ?? 1;
  // A thread that would get no block would only cost its start (about 0.2 s each): no more threads than first blocks.
  const workers = Math.max(1, Math.min(asked, Math.ceil(runsInShard(runs, flags.shard) / FIRST_BLOCK)));
  // the budget and the rate count from the search's start, not from the regressions replayed before it
  const searchStarted = wallNow();
  const deadline = flags.time !== undefined ? searchStarted + flags.time : Infinity;
  out(`exploring ${shown}: seed ${seed}, ${Number.isFinite(runs) ? runsText(runs) : 'no run limit'}${flags.time !== undefined ? `, at most ${flags.time / 1000}s` : ''}${flags.shard ? `, shard ${flags.shard.k}/${flags.shard.n}` : ''}${workers > 1 || workers < asked ? `, ${workers} worker${workers === 1 ? '' : 's'}` : ''}${workers < asked ? fewerThreads(asked, workers, runsInShard(runs, flags.shard)) : ''}`);
  if (!explorer.varies) out('nothing varies between runs (no range, explore.lags and explore.simultaneous false): one run is the whole search');
  // (a CI matrix of more shards than runs: its last shards pass, and say why they ran nothing)
  if (flags.shard !== undefined && runsInShard(runs, flags.shard) === 0) out(`shard ${flags.shard.k}/${flags.shard.n} has no runs: the search's ${runsText(runs)} are fewer than its ${flags.shard.n} shards`);
  // failures as the closing line will count them: those reported above, then new ones (only the first without --keep-going)
  const progress = progressLine(io, searchStarted, deadline, runsInShard(runs, flags.shard), (signatures) => {
    let fresh = 0;
    for (const s of signatures) if (!known.has(s)) fresh++;
    return failures.length + (flags.keepGoing ? fresh : Math.min(fresh, 1));
  });
  const runners = searchRunners(explorer, workers, () => deadline - wallNow());
  let result: SearchResult;
  try {
    result = await search(
      {
        runs,
        ...(flags.shard ? { shard: flags.shard } : {}),
        ...(flags.keepGoing ? { keepGoing: true } : {}),
        outOfTime: () => interrupted() || wallNow() >= deadline,
        onProgress: progress.update,
        // --keep-going shrinks once the search ends: each failure is told, with its replay, as soon as it is the lowest of its kind
        ...(flags.keepGoing
          ? {
              onFound: (index: number, signature: string, several: boolean) => {
                if (known.has(signature)) return;
                progress.clear();
                const line = `found at run ${index}: ${printable(signature)}; replay: geosim explore --replay ${tokenOf(index, several ? sha8(signature) : undefined)}${flags.shrink === false ? '' : ' (shrunk when the search ends)'}\n`;
                // (with --format json on stderr: stdout is the summary's alone)
                (json ? io.stderr : io.stdout).write(line);
              },
            }
          : {}),
      },
      runners.now,
      explorer.sometimesNames.length,
      runners.later,
    );
  } finally {
    progress.clear();
    await runners.close();
  }
  // a signal from here on stops shrinking, not the search, which ran as far as it says
  const searchSignal = interruption.signal;
  // a failure a saved regression already reported is not reported twice (--keep-going)
  for (const f of result.failures) if (!known.has(f.signature)) failures.push(await settle(f.index, f.signature, settleOptions));
  const sometimes = explorer.sometimesNames.map((name, i) => ({ name, hits: result.hits[i]! }));
  // Stopped at its first failure or by the user, the search never ran its budget: its counts say little either way.
  const stoppedEarly = failures.length > 0 && !flags.keepGoing;
  const signal = interruption.signal;
  if (sometimes.length > 0) {
    const scope = [flags.shard && flags.shard.n > 1 ? 'in this shard' : '', stoppedEarly ? 'until the search stopped at its first failure' : searchSignal !== undefined ? `until ${searchSignal} stopped the search` : ''].filter((s) => s !== '').join(', ');
    out(scope === '' ? 'sometimes:' : `sometimes (${scope}):`);
    // NEVER is a verdict on the whole search; a part of it (a shard, a search cut short) only counts none
    for (const s of sometimes) out(`  ${s.hits > 0 ? 'hit  ' : scope === '' ? 'NEVER' : 'none '} ${printable(s.name)}: ${s.hits} of ${runsText(result.runs)}`);
  }
  if (searchSignal !== undefined) out(`${searchSignal} stopped the search after ${runsText(result.runs)}`);
  else if (signal !== undefined) out(`${signal} stopped the shrinking: each repro above is the smallest found by then`);
  else if (result.ended === 'time') out(`the --time budget ended the search after ${runsText(result.runs)}`);
  if (workers > 1) {
    const joined = runners.joinedAt;
    out(
      joined !== undefined
        ? `ran on this thread and ${runners.threads} worker thread${runners.threads === 1 ? '' : 's'} (started ${((joined - searchStarted) / 1000).toFixed(1)} s in)`
        : result.ended === 'failure'
          ? 'ran on this thread alone: the search stopped at its first failure before a worker thread was worth starting'
          : `ran on this thread alone: too short for worker threads to pay for their start (they join a search that has ${JOIN_IF_LEFT_MS / 1000} s or more left after its first second)`,
    );
  }
  return finish({ io, json, shown, seed, runs: result.runs, failures, sometimes, started, stoppedEarly: stoppedEarly || searchSignal !== undefined, workers: { asked, threads: runners.threads }, ...(flags.shard ? { shard: flags.shard } : {}), ...(signal !== undefined ? { interrupted: signal } : {}) });

  /** Prints a settled failure as it is found (text). */
  async function settle(index: number, signature: string, o: typeof settleOptions, label = `run ${index}`): Promise<FoundFailure> {
    // the failure is told at once: its shrink may take up to --shrink-time
    const found = await settleFailure(index, signature, o, reproFree, (assertion, token) => {
      out(`FAIL ${label}: ${assertion}`);
      // JSON is written at the end: a job killed meanwhile keeps the failure and its replay on stderr
      if (json) io.stderr.write(`FAIL ${printable(label)}: ${assertion}; replay: geosim explore --replay ${token}\n`);
    });
    reproFree = false;
    const s = found.shrink;
    if (s) out(`  shrunk in ${s.runs} run${s.runs === 1 ? '' : 's'} (${s.ms} ms): ${s.from} steps and faults → ${s.to}${s.complete ? '' : ` (${o.interrupted() ? `${interruption.signal} ended it` : '--shrink-time ended it'}: the smallest repro so far)`}`);
    out(`--- ${found.reproFile ?? 'repro (not written: see the warning)'}`);
    out(found.repro.trimEnd());
    out('---');
    if (found.reproFile !== null) {
      out(`repro written to ${found.reproFile}`);
      out(`  run it:  geosim run ${shellWord(found.reproFile)}`);
    } else out('repro not written: save the scenario above to a file and geosim run it');
    out(`  replay:  geosim explore --replay ${found.token}`);
    if (found.regression) out(`  saved as a regression: ${found.regression} (replayed first next time)`);
    return found;
  }
}

/** What explore says of a saved regression it cannot use: the user's to mend, since explore read it without being asked to. */
function regressionAdvice(shown: string): string {
  return `geosim: ${printable(shown)} is a saved regression, replayed before every search of its scenario: fix it, or delete it`;
}

/**
 * The scenario of each saved regression, loaded from its own text (a mistake in it is placed at
 * its line), once, before any is replayed. Every one that is not a valid scenario (a merge conflict
 * left in it, an edit gone wrong) is reported, all at once as `geosim run` reports its files: their
 * problems at their own lines, exit 2.
 */
function loadRegressionScenarios(regressions: Regression[], cwd: string, maxFileSize: number | undefined): Map<Regression, Scenario> {
  const scenarios = new Map<Regression, Scenario>();
  const reports: string[] = [];
  for (const regression of regressions) {
    const loaded = loadScenarioText(regression.text, regression.path, maxFileSize !== undefined ? { maxFileBytes: maxFileSize } : {});
    if (loaded.ok) {
      scenarios.set(regression, loaded.scenario);
      continue;
    }
    const shown = relative(cwd, regression.path);
    reports.push(`${formatProblems(loaded.problems.map((p) => ({ ...p, file: printable(shown) }))).trimEnd()}\n${regressionAdvice(shown)}`);
  }
  if (reports.length > 0) throw new UserError(reports.join('\n\n'));
  return scenarios;
}

/** Reads the scenario: its bytes (hashed into replay tokens) and the template its YAML parses to. */
async function readTemplate(file: string, shown: string, maxFileSize: number | undefined, missingHint: string): Promise<{ text: string; template: Input; problems: ScenarioProblem[] }> {
  const loaded = await loadScenarioFile(file, maxFileSize !== undefined ? { maxFileBytes: maxFileSize } : {}).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`geosim: ${shown}: ${error.code === 'ENOENT' ? `no such file${missingHint}` : error.code === 'EISDIR' ? 'is a directory: explore searches one scenario file' : printable(error.message)}`);
  });
  const early = loaded.ok ? [] : loaded.problems.filter((p) => p.code === 'file-too-large' || p.code === 'not-text' || p.code === 'not-a-scenario');
  if (early.length > 0) throw new ScenarioProblems(early, shown);
  const text = await readFile(file, 'utf8');
  let template: unknown;
  try {
    template = parse(text);
  } catch {
    template = undefined;
  }
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    if (!loaded.ok) throw new ScenarioProblems(loaded.problems, shown);
    throw new UserError(`geosim: ${shown}: a scenario is a YAML mapping`);
  }
  return { text, template: template as Input, problems: loaded.ok ? [] : loaded.problems };
}

/**
 * An unshrunk repro (--no-shrink) named `<name>-repro`, as a shrunk one is (so exploring it keeps
 * regressions of its own), when it fails the same way under that name (one run).
 */
async function renamedRepro(input: Input, signature: string, run: (input: Input) => Promise<RunReport>): Promise<Input> {
  const renamed = reproNamed(input);
  if (renamed === input) return input;
  return failureSignatures(await run(renamed)).includes(signature) ? renamed : input;
}

/**
 * --repro replaces a repro an earlier explore wrote there (its first line says so), an empty file
 * or none; any other file is refused before the search (exit 2): it was silently replaced, a
 * scenario or a source file the handler imports included.
 */
function refuseToReplace(repro: string, cwd: string): void {
  const path = resolve(cwd, repro);
  const info = statOrUndefined(path);
  if (info === undefined || !info.isFile() || info.size === 0) return;
  if (info.size <= MAX_REPRO_BYTES && readFileSync(path, 'utf8').startsWith(REPRO_FIRST_LINE)) return;
  throw new UserError(`geosim: --repro ${printable(repro)} already exists and is not a repro geosim explore wrote (its first line would start "${REPRO_FIRST_LINE}"): explore does not replace it; name another file, or remove it first`);
}

/** How a repro explore writes begins (reproYaml), and the size past which a file is no repro of it. */
const REPRO_FIRST_LINE = '# Found by geosim explore ';
const MAX_REPRO_BYTES = 10 * 2 ** 20;

/** `input` named `<name>-repro` (as it is when it has no name, or that one already). */
function reproNamed(input: Input): Input {
  const name = input.name;
  return typeof name !== 'string' || name.endsWith('-repro') ? input : { ...input, name: `${name}-repro` };
}

/**
 * A failure's whole story: rerun it recording every lag, pin them, shrink (unless --no-shrink),
 * write the repro (to --repro when given and `first`: no repro written yet) and save it as a regression.
 */
async function settleFailure(
  index: number,
  signature: string,
  o: { explorer: Explorer; file: string; shown: string; cwd: string; flags: ExploreFlags; tokenOf: (i: number, failure?: string) => string; io: CliIo; interrupted: () => boolean; saveRegression?: boolean },
  first: boolean,
  /** Told how the run failed, and its replay token, before the shrink starts (which may take a while). */
  failing: (assertion: string, token: string) => void,
): Promise<FoundFailure> {
  const { plan, report, lags } = await o.explorer.runRecorded(index);
  const again = failureSignatures(report);
  // The search ran this index already: a different answer means a run depends on more than (seed, index).
  if (!again.includes(signature)) throw new Error(`explore: run ${index} failed with "${signature}" in the search but "${again[0] ?? 'no failure'}" when rerun: a run is not deterministic`);
  // a run that failed several assertions (--keep-going reports each): the token names this one
  const token = o.tokenOf(index, again.length > 1 ? sha8(signature) : undefined);
  failing(describeFailure(report, signature)!, token);
  const pinned = pinLags(plan.input, lags, Number(plan.input.seed));
  // (each run after a turn of the event loop, so a Ctrl-C gets in and stops the shrink)
  const runAt = (file: string) => async (input: Input) => (await letSignalsIn(), runInput(input, { file, ...o.explorer.limits }));
  const shrunk =
    o.flags.shrink === false ? undefined : await shrink(pinned, signature, runAt(o.file), { deadlineMs: o.flags.shrinkTime ?? DEFAULT_SHRINK_MS, lagFloors: lagFloors(plan.input), timeFloors: timeFloors(o.explorer.points, o.explorer.setup.template), stop: o.interrupted });
  // unshrunk, or a shrink --shrink-time cut before its last pass named it: `<name>-repro` all the
  // same, checked by one run; after a signal, without that run (a signal asks for an end, and a
  // scenario's name plays no part in its run): it kept the scenario's own name, which geosim run showed
  const unfinished = shrunk?.input ?? pinned;
  const minimal = shrunk?.complete === true ? shrunk.input : o.interrupted() ? reproNamed(unfinished) : await renamedRepro(unfinished, signature, runAt(o.file));
  const reproFile = first && o.flags.repro !== undefined ? o.flags.repro : defaultReproPath(o.explorer.name, signature);
  const reproPath = resolve(o.cwd, reproFile);
  // the header says how it fails too (an item's held value, a lost write): what the shrink kept
  const detail = failureDetail(report, signature);
  const fails = detail ? `${signature} (${detail})` : signature;
  const yaml = reproYaml(relocate(minimal, o.file, reproPath), { scenarioFile: o.shown, seed: o.explorer.setup.seed, run: index, token, signature: fails, reproFile });
  await checkRepro(yaml, reproPath, signature);
  // A place that cannot be written loses the file, not the failure: it is still reported (exit 1), with a warning.
  const written = await writeFileAtomic(reproPath, yaml).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      o.io.stderr.write(`geosim: warning: cannot write the repro to ${printable(reproFile)}: ${printable(error.message)}; it is printed with the failure (choose another place with --repro FILE)\n`);
      return false;
    },
  );
  const regressionPath = join(regressionDir(o.cwd, o.explorer.name), `${sha8(signature)}.yaml`);
  const regressionYaml = reproYaml(relocate(minimal, o.file, regressionPath), { scenarioFile: o.shown, seed: o.explorer.setup.seed, run: index, token, signature: fails, reproFile: relative(o.cwd, regressionPath) });
  const regression =
    o.saveRegression === false
      ? undefined
      : await saveRegression(o.cwd, o.explorer.name, signature, regressionYaml).catch((error: NodeJS.ErrnoException) => {
          o.io.stderr.write(`geosim: warning: cannot save the regression under ${printable(relative(o.cwd, dirname(regressionPath)))}: ${printable(error.message)}; it will not be replayed first next time\n`);
          return undefined;
        });
  const size = (input: Input) => ((input.steps as unknown[] | undefined)?.length ?? 0) + ((input.faults as unknown[] | undefined)?.length ?? 0);
  return {
    signature,
    seed: o.explorer.setup.seed,
    run: index,
    token,
    assertion: describeFailure(report, signature)!,
    // a repro that is not on disk does not tell its reader to run a file that is not there
    // (its paths, a module's, as from a file in the working directory, where its reader saves it)
    repro: written ? yaml : reproYaml(relocate(minimal, o.file, join(o.cwd, 'repro.yaml')), { scenarioFile: o.shown, seed: o.explorer.setup.seed, run: index, token, signature: fails, reproFile: null }),
    reproFile: written ? reproFile : null,
    ...(regression !== undefined ? { regression: relative(o.cwd, regression) } : {}),
    shrink: shrunk ? { runs: shrunk.runs, ms: shrunk.ms, from: size(pinned), to: size(minimal), complete: shrunk.complete } : null,
  };
}

/** Runs the repro as `geosim run` would from `path`: it must fail the same way, or explore has a bug. */
async function checkRepro(yaml: string, path: string, signature: string): Promise<void> {
  const report: RunReport = await runInput(parse(yaml) as Input, { file: path });
  const again = failureSignatures(report);
  if (!again.includes(signature)) throw new Error(`explore: the repro ${path} fails with "${again[0] ?? 'no failure'}", not "${signature}"`);
}

/**
 * An input moved to another file: a relative application.module still names the same module
 * (relative to the new file's directory), so the repro runs wherever it was written.
 */
function relocate(input: Input, from: string, to: string): Input {
  const application = input.application as Input | undefined;
  const module = application?.module;
  if (typeof module !== 'string' || isAbsolute(module)) return input;
  let moved = relative(dirname(to), resolve(dirname(from), module)).split(sep).join('/');
  if (!moved.startsWith('.')) moved = `./${moved}`;
  return { ...input, application: { ...application, module: moved } };
}

/** How many of the draws 0 … runs-1 a shard runs (all of them without --shard); Infinity without a limit. */
function runsInShard(runs: number, shard: { k: number; n: number } | undefined): number {
  if (!Number.isFinite(runs) || shard === undefined) return runs;
  return Math.max(0, Math.ceil((runs - (shard.k - 1)) / shard.n));
}

/**
 * The progress line: only on a terminal (stderr a TTY), redrawn in place at most 10 times a second.
 * Time left: until --time's deadline, or the runs left at the rate so far, whichever ends first.
 */
function progressLine(
  io: CliIo,
  started: number,
  deadline: number,
  total: number,
  count: (signatures: ReadonlySet<string>) => number,
): { update: (done: number, signatures: ReadonlySet<string>) => void; clear: () => void } {
  if (!io.stderr.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let width = 0;
  return {
    update(done, signatures) {
      const now = wallNow();
      if (now - last < 100) return;
      last = now;
      const failures = count(signatures);
      const rate = done / Math.max(0.001, (now - started) / 1000);
      const leftMs = Math.min(deadline - now, Number.isFinite(total) && rate > 0 ? ((total - done) / rate) * 1000 : Infinity);
      const left = Number.isFinite(leftMs) ? `, ${Math.max(0, Math.ceil(leftMs / 1000))}s left` : '';
      const line = `explore: ${runsText(done)}, ${Math.round(rate)} runs/s, ${failures} failure${failures === 1 ? '' : 's'}${left}`;
      io.stderr.write(`\r${line.padEnd(width)}`);
      width = line.length;
    },
    clear() {
      if (width > 0) io.stderr.write(`\r${' '.repeat(width)}\r`);
      // a line printed after it: the next update draws afresh below it
      width = 0;
      last = 0;
    },
  };
}

/** The summary (JSON) or the closing line, and the exit code. */
function finish(r: { io: CliIo; json: boolean; shown: string; seed: number; runs: number; failures: FoundFailure[]; sometimes: Array<{ name: string; hits: number }>; started: number; stoppedEarly?: boolean; shard?: { k: number; n: number }; workers: { asked: number; threads: number }; interrupted?: string }): number {
  // A search stopped at its first failure did not run its budget: a condition it did not meet yet says nothing.
  const never = r.stoppedEarly ? [] : r.sometimes.filter((s) => s.hits === 0);
  // A shard is a part of one search, and a condition counts over the whole search (which no shard
  // sees): one a shard did not meet is reported, and left to the shards' summaries added up.
  // (a shard 1/1 is the whole search)
  const part = r.shard !== undefined && r.shard.n > 1;
  const fails = never.length > 0 && !part;
  const neverText = part ? 'sometimes not hit in this shard' : 'sometimes never hit';
  // Grammar-neutral, like `geosim run`'s `N passed, N failed`: a CI log greps `: 0 failed`.
  const closing = `explored ${runsText(r.runs)}: ${r.failures.length} failed${never.length > 0 ? `, ${never.length} ${neverText}` : ''}`;
  if (r.json) {
    const failures = r.failures.map((f) => ({ signature: f.signature, seed: f.seed, run: f.run, token: f.token, assertion: f.assertion, repro: f.repro, reproFile: f.reproFile, ...(f.regression ? { regression: f.regression } : {}), shrink: f.shrink && { runs: f.shrink.runs, ms: f.shrink.ms, complete: f.shrink.complete } }));
    const shard = r.shard === undefined ? {} : { shard: `${r.shard.k}/${r.shard.n}` };
    const interrupted = r.interrupted === undefined ? {} : { interrupted: r.interrupted };
    // the verdict the exit code gives (0), for a script that reads the summary alone: no failure,
    // no `sometimes` never hit (a shard's own misses are the whole search's to judge), not interrupted
    const passed = r.failures.length === 0 && !fails && r.interrupted === undefined;
    r.io.stdout.write(`${JSON.stringify({ scenario: r.shown, seed: r.seed, ...shard, runs: r.runs, workers: r.workers, passed, failures, sometimes: r.sometimes, ...interrupted, elapsedMs: Math.round(wallNow() - r.started) }, null, 2)}\n`);
    r.io.stderr.write(`${closing}\n`);
  } else {
    const names = never.map((s) => printable(s.name)).join(', ');
    if (never.length > 0) {
      r.io.stdout.write(
        !part
          ? `sometimes never hit: ${names} (a pass would mean little: widen the ranges or run more)\n`
          : `sometimes not hit in this shard: ${names} (a condition counts over the whole search: add up the shards' --format json "sometimes" hits)\n`,
      );
    }
    r.io.stdout.write(`${closing}\n`);
  }
  if (r.interrupted !== undefined) return interruptedExit(r.interrupted);
  return r.failures.length > 0 || fails ? ExitCode.assertionFailed : ExitCode.ok;
}

/** Why fewer threads run than `--workers` asked: the runs are fewer blocks (an empty shard says so on a line of its own). */
function fewerThreads(asked: number, workers: number, runs: number): string {
  if (runs === 0) return ` (of ${asked} asked: no runs)`;
  return ` (of ${asked} asked: ${runsText(runs)} ${runs === 1 ? 'is' : 'are'} ${workers === 1 ? 'one block' : `${workers} blocks`} of ${FIRST_BLOCK})`;
}

/** `1 run`, `2 runs`. */
function runsText(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}

/** The files a scenario loads besides itself: its handler module and its merge module, as paths from the scenario's directory. */
function modulesOf(template: Input, file: string): string[] {
  const application = (template as { application?: { module?: unknown; merge?: { module?: unknown } } }).application;
  const named = [application?.module, application?.merge?.module].filter((m): m is string => typeof m === 'string' && m !== '');
  return named.map((m) => resolve(dirname(file), m));
}
