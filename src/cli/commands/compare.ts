import { Option, type Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import type { CompareFlags } from '../compare-command.js';
import { parseFileSize, parseHorizon, parseMaxTraceEvents, parseSeed, parseSyncLimit } from './run.js';

export function registerCompare(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('compare')
    .description('Run one scenario under several conflict strategies and modes; print one table side by side.')
    .argument('<scenario>', 'a scenario file')
    .option('--strategies <list>', "comma-separated application strategies, one column each (default: the scenario's own)")
    .option('--modes <list>', "comma-separated consistency modes (default: the scenario's own)")
    .addOption(new Option('--format <format>', 'output: pretty (terminal, needs a TTY), text, json').choices(['pretty', 'text', 'json']))
    .option('--seed <n>', "PRNG seed of every run (overrides the scenario's seed)", parseSeed)
    .option('--horizon <time>', 'stop a run whose own work is still due this long after its last scripted step or fault (default 3650d)', parseHorizon)
    .option('--max-trace-events <n>', 'stop a run whose trace reaches this many events (default 500000)', parseMaxTraceEvents)
    .option('--sync-limit <time>', 'application.module: wall-clock time one slice of your handler may run without yielding (default 10s)', parseSyncLimit)
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
mode, a combination the loader refuses, a run stopped at a limit), 70 an internal error.`,
    )
    .action(async (scenario: string, flags: CompareFlags) => {
      const { compareCommand } = await import('../compare-command.js');
      setExit(await compareCommand(scenario, flags, io));
    });
}
