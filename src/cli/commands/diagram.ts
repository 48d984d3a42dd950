import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../../errors.js';
import type { CliIo, SetExit } from '../io.js';
import { runLimits, type RunLimitFlags } from '../run-flags.js';
import { parseFileSize, parsePath, parseSeed, withRunLimits } from './run.js';

export interface DiagramFlags extends RunLimitFlags {
  seed?: number;
  format: 'mmd' | 'svg' | 'png' | 'md' | 'spacetime';
  out: string;
  /** Seconds one diagram may take to render. */
  timeout: number;
  /** Largest scenario file read, in bytes. */
  maxFileSize?: number;
  /** spacetime: trace events drawn at most. */
  maxSteps?: number;
}

/** The default of `--max-steps` (SPACETIME_MAX_STEPS in render/spacetime, not imported here to keep start-up light). */
export const DEFAULT_SPACETIME_MAX_STEPS = 2000;

/** `--max-steps <n>`: a positive whole number. */
export function parseMaxSteps(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of trace events, at least 1, e.g. --max-steps 20000');
  }
  return n;
}

/** The default of `--timeout`, seconds (RENDER_TIMEOUT_MS in render.ts, not imported here to keep start-up light). */
export const DEFAULT_RENDER_TIMEOUT_S = 600;

/** `--timeout <seconds>`: a positive number, fractions allowed. */
export function parseTimeout(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 86_400) {
    throw new InvalidArgumentError('expected seconds, more than 0 and at most 86400, e.g. --timeout 1200');
  }
  return n;
}

export function registerDiagram(program: Command, io: CliIo, setExit: SetExit): void {
  withRunLimits(
    program
      .command('diagram')
      .description('Write a Mermaid sequence diagram per scenario, and the architecture diagram, to diagrams/ (or, with --format spacetime, a space-time SVG per scenario).')
      .argument('[paths...]', 'scenario files or directories of *.yaml (and *.yml), or a recorded run (.json from geosim serve --trace or run --format json)', ['scenarios/'])
      .addOption(
        new Option('--format <format>', 'mmd; svg or png (also render, needs Chromium); md (Markdown with a mermaid fence); spacetime (a space-time SVG per scenario, no browser)')
          .choices(['mmd', 'svg', 'png', 'md', 'spacetime'])
          .default('mmd'),
      )
      .option('-o, --out <dir>', 'output directory', parsePath, 'diagrams/')
      .option('--seed <n>', "PRNG seed (overrides each scenario's seed)", parseSeed)
      .option('--max-file-size <size>', 'largest scenario file read (default 1MB), e.g. 5MB', parseFileSize)
      .option('--max-steps <n>', `spacetime: trace events drawn at most (default ${DEFAULT_SPACETIME_MAX_STEPS}); the rest are named in a note`, parseMaxSteps)
      .option('--timeout <seconds>', 'how long one diagram may take to render (svg, png) before geosim gives up with exit 3', parseTimeout, DEFAULT_RENDER_TIMEOUT_S),
  )
    .addHelpText(
      'after',
      `
Examples:
  geosim diagram                                   diagrams/<scenario>.mmd for scenarios/, and architecture.mmd
  geosim diagram scenarios/concurrent.yaml --format svg
  geosim diagram --format md --out docs/diagrams   Markdown pages that GitHub renders
  geosim diagram --format spacetime                diagrams/<scenario>.spacetime.svg: regions as lines, time down,
                                                   replication as slanted arrows (no browser needed)

Rendering (svg, png) uses the Chromium at PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium,
chromium-browser, google-chrome(-stable); without one the .mmd files are still written and the
exit code is 3. A diagram that takes longer than --timeout (default ${DEFAULT_RENDER_TIMEOUT_S} s; a busy machine can
need minutes for a large PNG) also exits 3, the .mmd files written.
Exit codes: 0 written, 2 bad input, 3 no browser, rendering failed or timed out,
143 (130) SIGTERM (SIGINT) stopped the rendering.`,
    )
    .action(async (paths: string[], flags: DiagramFlags) => {
      if (flags.maxSteps !== undefined && flags.format !== 'spacetime') {
        throw new UserError('geosim diagram: --max-steps limits the space-time diagram; use it with --format spacetime');
      }
      // Heavy modules (the simulator, mermaid-cli, puppeteer) load only here.
      const [{ writeDiagrams }, { collectWarningOfSeed }, { runScenarioFileForDiagram }, { silenceSdkNodeNotice }] = await Promise.all([
        import('../../pipeline/diagram.js'),
        import('../scenario-files.js'),
        import('../../pipeline/diagram-run.js'),
        import('../../backends/dynamodb/sdk-notice.js'),
      ]);
      // A scenario with your own handler loads the AWS SDK, whose Node 20 notice says nothing about the diagram.
      silenceSdkNodeNotice();
      const cwd = io.cwd ?? process.cwd();
      const result = await writeDiagrams(
        { paths, format: flags.format, out: flags.out, cwd, env: io.env, timeoutMs: flags.timeout * 1000, ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}) },
        { collectScenarioFiles: (given, at) => collectWarningOfSeed(given, at, flags.seed, io), runScenarioFile: (file, seed) => runScenarioFileForDiagram(file, seed, cwd, flags.maxFileSize, runLimits(flags)) },
        (line) => io.stdout.write(`${line}\n`),
        (text) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
      );
      setExit(result.exitCode);
    });
}
