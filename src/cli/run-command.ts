import { formatProblems } from '../scenario/problems.js';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../sim/run.js';
import type { RunReport } from '../trace/report.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { ExitCode, UserError } from './errors.js';
import type { CliIo } from './io.js';
import type { RunFlags } from './commands/run.js';
import { collectScenarioFiles } from './scenario-files.js';

/**
 * `geosim run`: load every scenario (reporting all problems of all files), run the valid ones,
 * render, and return the exit code (DESIGN §4).
 */
export async function runCommand(paths: string[], flags: RunFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const files = await collectScenarioFiles(paths, cwd);
  // ink is never rendered to a pipe, a dumb terminal or under NO_COLOR: the plain view carries
  // the same content without escape codes.
  const wanted = flags.format ?? 'pretty';
  const plainOnly = !io.stdout.isTTY || Boolean(io.env.NO_COLOR) || io.env.TERM === 'dumb';
  const format = wanted === 'pretty' && plainOnly ? 'text' : wanted;
  if (flags.step) {
    if (!io.stdout.isTTY || !(io.stdin ?? process.stdin).isTTY) throw new UserError('geosim: --step needs a terminal (stdin and stdout a TTY); for a pipe or CI log use --format text');
    if (files.length !== 1) throw new UserError(`geosim: --step takes one scenario file, got ${files.length}`);
    if (flags.format && flags.format !== 'pretty') throw new UserError(`geosim: --step shows the terminal view; it cannot be combined with --format ${flags.format}`);
  }
  // ink and react load only for the terminal view, starting now so loading overlaps the run.
  const terminalView = flags.step || format === 'pretty' ? (await import('../render/ink/load.js')).loadTerminalView() : undefined;
  let exit: number = ExitCode.ok;
  let invalid = 0;
  const reports: RunReport[] = [];
  for (const file of files) {
    const loaded = await loadScenarioFile(resolvePath(cwd, file)).catch((error: NodeJS.ErrnoException) => {
      return { ok: false as const, io: `geosim: ${file}: ${error.code === 'EISDIR' ? 'is a directory' : error.message}` };
    });
    if (!loaded.ok) {
      io.stderr.write('io' in loaded ? `${loaded.io}\n` : formatProblems(loaded.problems.map((p) => ({ ...p, file }))));
      exit = Math.max(exit, ExitCode.badInput);
      invalid++;
      continue;
    }
    const report = await runScenario({ ...loaded.scenario, file }, flags.seed !== undefined ? { seed: flags.seed } : {});
    reports.push(report);
    if (terminalView && flags.step) await (await terminalView).stepThrough(report, io, flags.speed ?? 2);
    else if (terminalView) await (await terminalView).renderPretty(report, io);
    else if (format !== 'json') io.stdout.write(renderText(report) + '\n');
  }
  const failed = reports.filter((r) => r.assertions.some((a) => !a.passed)).length;
  const passed = reports.length - failed;
  if (failed > 0) exit = Math.max(exit, ExitCode.assertionFailed);
  if (invalid > 0) io.stderr.write(`${invalid} scenario file${invalid === 1 ? '' : 's'} not run: fix the errors above\n`);
  if (format === 'json') {
    io.stdout.write(renderJson(reports, { passed, failed }));
    io.stderr.write(`${passed} passed, ${failed} failed\n`);
  } else {
    io.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
  return exit;
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith('/') ? file : `${cwd}/${file}`;
}
