import chalk from 'chalk';
import { render } from 'ink';
import type { CliIo } from '../../cli/io.js';
import type { RunReport } from '../../trace/report.js';
import { RunView } from './RunView.js';
import { StepThrough } from './StepThrough.js';

/**
 * Entry of the terminal view; the CLI imports this module dynamically so ink and react load only
 * when a TTY shows the pretty view. Never call it for a pipe: ink writes cursor escapes there
 * (see notes/rendering.md), the plain view is for that.
 */
export async function renderPretty(report: RunReport, io: CliIo): Promise<void> {
  const instance = render(<RunView report={report} columns={io.stdout.columns || 80} />, inkOptions(io));
  // Ask for the exit promise before unmounting: asked after, ink 6.8 leaves a beforeExit listener
  // behind per render, and a directory of scenarios trips MaxListenersExceededWarning.
  const exited = instance.waitUntilExit();
  instance.unmount();
  await exited;
}

/**
 * `renderPretty` without waiting: ink writes the view's one frame as it unmounts, synchronously.
 * For a run stuck past --sync-limit, printed from inside the stuck slice before geosim exits.
 */
export function renderPrettyNow(report: RunReport, io: CliIo): void {
  render(<RunView report={report} columns={io.stdout.columns || 80} />, inkOptions(io)).unmount();
}

/**
 * `--step`: the interactive stepper, until the user presses q. Needs a TTY on stdin and stdout;
 * the caller checks that and reports a UserError otherwise.
 */
export async function stepThrough(report: RunReport, io: CliIo, speed: number): Promise<void> {
  if (io.env.NO_COLOR) chalk.level = 0;
  const instance = render(<StepThrough report={report} speed={speed} />, { ...inkOptions(io), exitOnCtrlC: true });
  await instance.waitUntilExit();
}

function inkOptions(io: CliIo) {
  return {
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    stdin: (io.stdin ?? process.stdin) as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
  };
}
