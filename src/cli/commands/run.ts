import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { SetExit } from './index.js';

export interface RunFlags {
  seed?: number;
  format?: 'pretty' | 'text' | 'json';
}

/** Parses a non-negative integer flag value; commander turns the error into exit 2. */
export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('expected a whole number of 0 or more, e.g. --seed 7');
  }
  return Number(value);
}

export function registerRun(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('run')
    .description('Run scenarios: print the timeline, check assertions, end with "N passed, N failed".')
    .argument('<paths...>', 'scenario files or directories of *.yaml')
    .option('--seed <n>', "PRNG seed (overrides the scenario's seed)", parseSeed)
    .addOption(new Option('--format <format>', 'output: pretty (terminal view, needs a TTY), text, json').choices(['pretty', 'text', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  geosim run scenarios/concurrent.yaml           the timeline of one scenario
  geosim run scenarios                           every scenario in a directory
  geosim run scenarios --format json > out.json  machine-readable results
  geosim run scenarios/idempotency.yaml --seed 7 another draw of the lag distributions

Exit codes: 0 all assertions passed, 1 an assertion failed, 2 bad input (missing file,
invalid scenario, bad flag), 3 a backend or environment failure.`,
    )
    .action(async (paths: string[], flags: RunFlags) => {
      const { runCommand } = await import('../run-command.js');
      setExit(await runCommand(paths, flags, io));
    });
}
