import { Option, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import type { CompareFlags } from '../compare-command.js';
import { parseFileSize, parseSeed, withRunLimits } from './run.js';

export function registerCompare(program: Command, io: CliIo, setExit: SetExit): void {
  withRunLimits(
    program
      .command('compare')
      .description('Run one scenario under several conflict strategies and modes; print one table side by side.')
      .argument('<scenario>', 'a scenario file')
      .option('--strategies <list>', "comma-separated application strategies, one column each (default: the scenario's own)")
      .option('--modes <list>', "comma-separated consistency modes (default: the scenario's own)")
      .addOption(new Option('--format <format>', 'output: pretty (terminal, needs a TTY), text, json').choices(['pretty', 'text', 'json']))
      .option('--seed <n>', "PRNG seed of every run (overrides the scenario's seed)", parseSeed),
  )
    .option('--max-file-size <size>', 'largest scenario file read (default 1MB), e.g. 5MB', parseFileSize)
    .addHelpText(
      'after',
      `
Examples:
  geosim compare scenarios/concurrent.yaml --strategies service-lww,client-lww,version
  geosim compare my-scenario.yaml --strategies lww-item,counter --modes mrec,mrsc
  geosim compare my-scenario.yaml --strategies lww-item,counter --format json > table.json

Each combination (mode × strategy) runs the scenario with application.strategy and mode replaced,
through the same loader and checks as geosim run. compare reports, it does not judge: a failed
assertion shows in the table. The last line is "compared N combinations: P passed, F failed".
Exit codes: 0 the table was printed (whatever the assertions), 2 bad input (an unknown strategy or
mode, a combination the loader refuses, a run stopped at a limit), 3 an environment failure
(standard output cannot be written), 70 an internal error.`,
    )
    .action(async (scenario: string, flags: CompareFlags) => {
      const { compareCommand } = await import('../compare-command.js');
      setExit(await compareCommand(scenario, flags, io));
    });
}
