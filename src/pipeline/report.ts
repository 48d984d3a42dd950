import { stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { RunReport } from '../trace/report.js';
import { indexHtml, reportHtml, runFailed, type IndexEntry } from '../render/report/html.js';
import { reportParts } from '../render/report/parts.js';
import { shownPath, writeOutputFile } from './atomic-write.js';
import { refuseInputAsOutput } from './output-guard.js';
import type { ScenarioRun } from './diagram.js';

export interface ReportOptions {
  /** Scenario files, directories of them, or recorded runs (.json), as the user gave them. */
  paths: string[];
  /** -o: the HTML file (one run) or the directory (several); defaults report.html and report/. */
  out?: string;
  /** Overrides every scenario's own seed. */
  seed?: number;
  /** Trace events the space-time drawing shows at most. */
  maxSteps?: number;
  cwd: string;
}

/** The parts of geosim the job drives; the command passes the real ones, tests fakes. */
export interface ReportDeps {
  collectScenarioFiles(paths: string[], cwd: string): Promise<string[]>;
  /** A scenario's run, or every run a recorded .json holds (or the problems, formatted). */
  runFile(file: string, seed: number | undefined): Promise<ScenarioRun[]>;
  /** The gzipped, base64 Mermaid bundle ('' leaves the live render out). */
  mermaidBundle(): string;
}

export interface ReportResult {
  /** Files written, in order, as shown to the user. */
  written: string[];
  passed: number;
  failed: number;
  /** Inputs that could not be run or read (their problems went to `warn`). */
  notRun: number;
  /** 2 when an input was bad (the others still reported), else 1 when a run failed, else 0. */
  exitCode: number;
}

export const DEFAULT_REPORT_FILE = 'report.html';
export const DEFAULT_REPORT_DIR = 'report';

/**
 * The `geosim report` job: run each scenario (or read each recorded run), then write one HTML page
 * per run: for one run the page itself at `-o` (default report.html), for several a directory
 * (default report/) of `<scenario>.html` and an index.html. Every file is written atomically and
 * told to `log` as `wrote <path>`; a bad input is told to `warn` and the others are still reported.
 */
export async function writeReports(options: ReportOptions, deps: ReportDeps, log: (line: string) => void, warn: (text: string) => void): Promise<ReportResult> {
  const files = await deps.collectScenarioFiles(options.paths, options.cwd);
  // Several reports when several inputs were named or a directory was (even of one scenario), so a
  // CI job's layout does not change with the number of scenarios in its folder.
  let several = files.length > 1 || files.some((f) => !options.paths.includes(f));
  if (several) refuseFileOut(options.out, undefined);
  const reports: RunReport[] = [];
  let exitCode = 0;
  let notRun = 0;
  for (const file of files) {
    for (const run of await deps.runFile(file, options.seed)) {
      if (run.ok) reports.push(run.report);
      else {
        warn(run.problems);
        exitCode = 2;
        notRun++;
      }
    }
  }
  if (reports.length > 1) several = true;
  if (several) refuseFileOut(options.out, reports.length);
  const show = shower(options.cwd);
  const written: string[] = [];
  const parts = { mermaidBundle: deps.mermaidBundle(), ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}) };
  if (several) {
    const dir = resolve(options.cwd, options.out ?? DEFAULT_REPORT_DIR);
    written.push(...(await writeReportDir(reports, dir, parts, show, log)));
  } else if (reports.length === 1) {
    const report = reports[0]!;
    let path = resolve(options.cwd, options.out ?? DEFAULT_REPORT_FILE);
    // `-o dir/` or an existing directory: the page goes inside it, named after its scenario.
    if ((options.out !== undefined && /[\\/]$/.test(options.out)) || (await isDirectory(path))) path = join(path, `${reportNames([report])[0]}.html`);
    refuseInputAsOutput('-o', relative(options.cwd, path), files, options.cwd);
    await write(path, reportHtml(report, reportParts(report, parts)));
    written.push(show(path));
    log(`wrote ${show(path)}`);
  }
  const failed = reports.filter(runFailed).length;
  if (failed > 0 && exitCode === 0) exitCode = 1;
  return { written, passed: reports.length - failed, failed, notRun, exitCode };
}

/**
 * One `<scenario>.html` per report and an `index.html` of them in `dir` (the several-runs layout
 * of `geosim report`, and `geosim run --report-dir`). Returns the files written, as shown.
 */
export async function writeReportDir(
  reports: RunReport[],
  dir: string,
  parts: { mermaidBundle: string; maxSteps?: number },
  show: (path: string) => string,
  log: (line: string) => void,
  /** Who named `dir`, for an error: `geosim report -o` or `geosim run --report-dir`. */
  namedBy: OutputFlag = REPORT_OUT,
): Promise<string[]> {
  const written: string[] = [];
  const names = reportNames(reports);
  const entries: IndexEntry[] = [];
  for (const [i, report] of reports.entries()) {
    const path = join(dir, `${names[i]}.html`);
    await write(path, reportHtml(report, reportParts(report, parts)), namedBy);
    written.push(show(path));
    log(`wrote ${show(path)}`);
    entries.push({ href: `${names[i]}.html`, report });
  }
  const index = join(dir, 'index.html');
  await write(index, indexHtml(entries), namedBy);
  written.push(show(index));
  log(`wrote ${show(index)}`);
  return written;
}

/**
 * The file name (without .html) of each report: its scenario file's name, in characters safe in any
 * file system and URL. Two runs of one name (the same scenario recorded twice, `a/x.yaml` and
 * `b/x.yaml`) get `-2`, `-3`... in input order, compared without case (a Mac's disk ignores it);
 * `index` stays free for the index.
 */
export function reportNames(reports: RunReport[]): string[] {
  const taken = new Set<string>(['index']);
  return reports.map((report) => {
    const file = typeof report.scenario.file === 'string' && report.scenario.file !== '' ? report.scenario.file : report.scenario.name;
    let base = basename(file.replaceAll('\\', '/'), extname(file)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
    if (base === '') base = 'run';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

function refuseFileOut(out: string | undefined, runs: number | undefined): void {
  if (out === undefined || !/\.html?$/i.test(out)) return;
  throw new UserError(`geosim report: -o ${out} names one file, but ${runs === undefined ? 'several inputs give several' : `${runs} runs give ${runs}`} reports; -o must name a directory (e.g. -o report/), which gets one <scenario>.html each and an index.html`);
}

/** A path as `wrote` lines show it: relative to cwd when inside it, else as it is. */
export function shower(cwd: string): (path: string) => string {
  return (path) => shownPath(cwd, path);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** A command and its flag that named an output path, as an error about that path says them. */
export interface OutputFlag {
  command: string;
  flag: string;
}

const REPORT_OUT: OutputFlag = { command: 'geosim report', flag: '-o' };

/** Writes atomically; a path that cannot be written is the user's flag (exit 2) or the machine (exit 3). */
function write(path: string, data: string, namedBy: OutputFlag = REPORT_OUT): Promise<void> {
  return writeOutputFile(path, data, namedBy.command, namedBy.flag);
}
