import { Option, type Command } from 'commander';
import type { CliIo } from '../io.js';
import type { SetExit } from './index.js';
import { parseSeed } from './run.js';

export interface DiagramFlags {
  seed?: number;
  format: 'mmd' | 'svg' | 'png' | 'md';
  out: string;
}

export function registerDiagram(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('diagram')
    .description('Write a Mermaid sequence diagram per scenario, and the architecture diagram, to diagrams/.')
    .argument('[paths...]', 'scenario files or directories of *.yaml', ['scenarios/'])
    .addOption(new Option('--format <format>', 'mmd; svg or png (also render, needs Chromium); md (Markdown with a mermaid fence)').choices(['mmd', 'svg', 'png', 'md']).default('mmd'))
    .option('--out <dir>', 'output directory', 'diagrams/')
    .option('--seed <n>', "PRNG seed (overrides each scenario's seed)", parseSeed)
    .addHelpText(
      'after',
      `
Examples:
  geosim diagram                                   diagrams/<scenario>.mmd for scenarios/, and architecture.mmd
  geosim diagram scenarios/concurrent.yaml --format svg
  geosim diagram --format md --out docs/diagrams   Markdown pages that GitHub renders

Rendering (svg, png) uses the Chromium at PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium,
chromium-browser, google-chrome(-stable); without one the .mmd files are still written and the
exit code is 3. Exit codes: 0 written, 2 bad input, 3 no browser or rendering failed.`,
    )
    .action(async (paths: string[], flags: DiagramFlags) => {
      // Heavy modules (the simulator, mermaid-cli, puppeteer) load only here.
      const [{ writeDiagrams }, { collectScenarioFiles }, { runScenarioFileForDiagram }] = await Promise.all([
        import('../../render/mermaid/write-diagrams.js'),
        import('../scenario-files.js'),
        import('../../render/mermaid/scenario-run.js'),
      ]);
      const cwd = io.cwd ?? process.cwd();
      const result = await writeDiagrams(
        { paths, format: flags.format, out: flags.out, cwd, env: io.env, ...(flags.seed !== undefined ? { seed: flags.seed } : {}) },
        { collectScenarioFiles, runScenarioFile: (file, seed) => runScenarioFileForDiagram(file, seed, cwd) },
        (line) => io.stdout.write(`${line}\n`),
        (text) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
      );
      setExit(result.exitCode);
    });
}
