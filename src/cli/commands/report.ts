import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import type { ReportFlags } from '../report-command.js';
import { parseFileSize, parsePath, parseSeed, withRunLimits } from './run.js';

/** The space-time drawing's default limit (SPACETIME_MAX_STEPS, not imported here to keep start-up light). */
export const DEFAULT_REPORT_MAX_STEPS = 2000;

/** `--max-steps <n>`: a whole number from 1 to 10,000,000. */
export function parseMaxSteps(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000_000) throw new InvalidArgumentError('expected a whole number of steps from 1 to 10000000, e.g. --max-steps 5000');
  return n;
}

export function registerReport(program: Command, io: CliIo, setExit: SetExit): void {
  withRunLimits(
    program
      .command('report')
    .description('Write a self-contained HTML report per run: verdict, assertions, space-time diagram, step slider, Mermaid diagram.')
    .argument('<paths...>', 'scenario files or directories of *.yaml (and *.yml), or recorded runs (.json from geosim run --format json or serve --trace)')
    .option('-o, --out <path>', 'one run: the HTML file (default report.html); several: a directory (default report/) with <scenario>.html each and index.html', parsePath)
    .option('--seed <n>', "PRNG seed (overrides each scenario's seed)", parseSeed)
    .option('--max-file-size <size>', 'largest scenario file read (default 1MB; a recorded .json: 512MB), e.g. 5MB', parseFileSize)
    .option('--max-steps <n>', `trace events the space-time diagram draws (default ${DEFAULT_REPORT_MAX_STEPS}); the step slider always covers every step`, parseMaxSteps),
  )
    .addHelpText(
      'after',
      `
Examples:
  geosim report scenarios/concurrent.yaml          report.html for one scenario
  geosim report scenarios -o report/               report/<scenario>.html each, and report/index.html
  geosim run scenarios --format json > run.json && geosim report run.json -o report/
  geosim run scenarios --report-dir report/        a report per FAILED scenario, for CI artifacts

The page needs no network: open it from disk in any current browser. It ends with the
Mermaid sequence diagram, drawn when its section is opened.
Exit codes: 0 all passed, 1 an assertion failed (reports still written), 2 bad input
(the other inputs still reported), 3 a file could not be written.`,
    )
    .action(async (paths: string[], flags: ReportFlags) => {
      const { reportCommand } = await import('../report-command.js');
      setExit(await reportCommand(paths, flags, io));
    });
}
