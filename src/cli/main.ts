import { Command, CommanderError } from 'commander';
import { EnvironmentError, ExitCode, InterruptedError, UserError } from '../errors.js';
import { SyncLoopError } from '../sim/watchdog/index.js';
import { sourceStack } from './bundle-stack.js';
import type { CliIo } from './io.js';
import { printableLines } from '../scenario/printable.js';
import { registerCommands } from './commands/index.js';
import { suggest } from '../scenario/near-miss.js';

export const VERSION = '0.1.0';

/**
 * Runs geosim with `argv` (without node and script) and returns the exit code. Never calls
 * process.exit, so tests run it in-process.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const exit = { code: ExitCode.ok as number };
  const program = new Command('geosim')
    .description('Simulate active-active data flows on DynamoDB global tables, in deterministic virtual time.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(printableLines(s)),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerCommands(program, io, (code) => {
    exit.code = Math.max(exit.code, code);
  });
  // `geosim help <command>` of a command that does not exist: commander prints the whole help
  // without a word of why; say it as `geosim <unknown>` does
  const names = program.commands.map((c) => c.name());
  // (`help help` and `help --help` are commander's own)
  if (argv[0] === 'help' && argv[1] !== undefined && !argv[1].startsWith('-') && argv[1] !== 'help' && !names.includes(argv[1])) {
    io.stderr.write(printableLines(`error: unknown command '${argv[1]}'${suggest(argv[1], names)}\n(run geosim --help for the commands)\n`));
    return ExitCode.badInput;
  }
  try {
    // `help help` is the help of geosim itself, as `help` alone (commander took it for a missing command)
    await program.parseAsync(argv[0] === 'help' && argv[1] === 'help' ? ['--help'] : argv, { from: 'user' });
    return exit.code;
  } catch (error) {
    return reportError(error, argv, io);
  }
}

function reportError(error: unknown, argv: string[], io: CliIo): number {
  if (error instanceof CommanderError) {
    // commander already printed its message; help asked for and the version are successes, the
    // help printed instead of a missing command is bad input (a script that forgot it must fail)
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // `geosim help <command>` asked for help (exit code 0); the help shown for a missing command is an error (1)
    if (error.code === 'commander.help' && error.exitCode === 0) return ExitCode.ok;
    return ExitCode.badInput;
  }
  if (error instanceof UserError || error instanceof EnvironmentError || error instanceof SyncLoopError || error instanceof InterruptedError) {
    // The message may quote a file name or a value from the user: never let it drive the terminal.
    io.stderr.write(`${printableLines(error.message.trimEnd())}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? sourceStack(error.stack ?? error.message) : String(error);
  io.stderr.write(
    `geosim ${VERSION} hit an internal error (a bug; please report it with this text).\n` +
      `command: geosim ${argv.join(' ')}\nnode: ${process.version}\n${stack}\n`,
  );
  return ExitCode.bug;
}
