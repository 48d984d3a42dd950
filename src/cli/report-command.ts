import { writeReports } from '../pipeline/report.js';
import { runFileForReport } from '../pipeline/report-run.js';
import { mermaidBundle } from '../render/report/parts.js';
import { silenceSdkNodeNotice } from '../backends/dynamodb/sdk-notice.js';
import type { CliIo } from './io.js';
import { runLimits, type RunLimitFlags } from './run-flags.js';
import { collectWarningOfSeed } from './scenario-files.js';

export interface ReportFlags extends RunLimitFlags {
  out?: string;
  seed?: number;
  maxFileSize?: number;
  maxSteps?: number;
}

/**
 * `geosim report`: one self-contained HTML page per run (src/pipeline/report.ts), `wrote <path>` per
 * file on stdout and the closing `N passed, N failed`; returns the exit code.
 */
export async function reportCommand(paths: string[], flags: ReportFlags, io: CliIo): Promise<number> {
  // A scenario with your own handler loads the AWS SDK, whose Node 20 notice says nothing about the report.
  silenceSdkNodeNotice();
  const cwd = io.cwd ?? process.cwd();
  const result = await writeReports(
    { paths, cwd, ...(flags.out !== undefined ? { out: flags.out } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}), ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}) },
    { collectScenarioFiles: (given, at) => collectWarningOfSeed(given, at, flags.seed, io), runFile: (file, seed) => runFileForReport(file, seed, cwd, flags.maxFileSize, runLimits(flags)), mermaidBundle },
    (line) => io.stdout.write(`${line}\n`),
    (text) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  );
  // as `geosim run` says it: a CI log whose last line reads "1 passed" must not hide a file left out
  if (result.notRun > 0) io.stderr.write(`${result.notRun} scenario file${result.notRun === 1 ? '' : 's'} not run: fix the errors above\n`);
  io.stdout.write(`${result.passed} passed, ${result.failed} failed\n`);
  return result.exitCode;
}
