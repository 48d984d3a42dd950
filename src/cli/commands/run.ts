import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { SetExit } from './index.js';

export interface RunFlags {
  seed?: number;
  format?: 'pretty' | 'text' | 'json';
  /** Interactive step-through (needs a terminal). */
  step?: boolean;
  /** Steps per second when the stepper plays. */
  speed?: number;
}

/** Parses `--speed`: steps per second, more than 0 and at most 50. */
export function parseSpeed(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 50) {
    throw new InvalidArgumentError('expected steps per second, more than 0 and at most 50, e.g. --speed 4');
  }
  return n;
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
    .option('--step', 'step through the timeline interactively (space/→ next, ← previous, p play/pause, q quit); needs a terminal')
    .option('--speed <n>', 'steps per second when --step plays (default 2)', parseSpeed)
    .addHelpText(
      'after',
      `
Examples:
  geosim run scenarios/concurrent.yaml           the timeline of one scenario
  geosim run scenarios/concurrent.yaml --step    step through it, with every region's items
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
