import chalk from 'chalk';
import { Box, render } from 'ink';
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
  const options = { ...inkOptions(io), exitOnCtrlC: true };
  // Ctrl-Z stops geosim as it stops any job: the terminal back in cooked mode with its cursor
  // shown while the shell has it, and on `fg` the stepper drawn afresh on a cleared screen.
  const suspend = (): void => {
    if (process.platform === 'win32') return;
    options.stdin.setRawMode?.(false);
    options.stdout.write(SHOW_CURSOR);
    process.once('SIGCONT', () => {
      options.stdin.setRawMode?.(true);
      options.stdout.write(`${HIDE_CURSOR}${CLEAR_SCREEN}`);
      // ink draws only a frame that differs from its last: an empty one first, then the stepper
      // (its state kept: the same tree, hidden for one frame). ink draws at most a frame per ~33 ms
      // and only the latest of those asked for meanwhile, so the two are asked for further apart.
      instance.rerender(view(true));
      setTimeout(() => instance.rerender(view(false)), REDRAW_AFTER_MS);
    });
    // the whole process group, as the terminal's own Ctrl-Z does: a wrapper (npx) stops with geosim
    process.kill(0, 'SIGTSTP');
  };
  const view = (hidden: boolean) => (
    <Box display={hidden ? 'none' : 'flex'}>
      <StepThrough report={report} speed={speed} onSuspend={suspend} />
    </Box>
  );
  const instance = render(view(false), options);
  await instance.waitUntilExit();
}

/** Longer than ink's two throttles of ~33 ms each (a render, then its write). */
const REDRAW_AFTER_MS = 100;
const SHOW_CURSOR = '\u001B[?25h';
const HIDE_CURSOR = '\u001B[?25l';
const CLEAR_SCREEN = '\u001B[2J\u001B[H';

function inkOptions(io: CliIo) {
  return {
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    stdin: (io.stdin ?? process.stdin) as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
  };
}
