import { readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, UserError } from '../errors.js';
import type { RunReport } from '../trace/report.js';
import { architectureDiagram } from '../render/mermaid/architecture.js';
import { markdownOf } from '../render/mermaid/markdown.js';
import { sequenceDiagram } from '../render/mermaid/sequence.js';
import { shownPath, writeOutputFile } from './atomic-write.js';
import { printable } from '../scenario/printable.js';

export type DiagramFormat = 'mmd' | 'svg' | 'png' | 'md' | 'spacetime';
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['mmd', 'svg', 'png', 'md', 'spacetime'];

export interface DiagramOptions {
  /** Scenario files or directories, as the user gave them. */
  paths: string[];
  format: DiagramFormat;
  /** Output directory. */
  out: string;
  /** Overrides every scenario's own seed. */
  seed?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long one diagram may take to render, ms (render.ts's default when absent). */
  timeoutMs?: number;
  /** spacetime: trace events drawn at most (SPACETIME_MAX_STEPS when absent). */
  maxSteps?: number;
}

/** One scenario's run, or the problems that kept it from running (already formatted). */
export type ScenarioRun = { ok: true; report: RunReport } | { ok: false; problems: string };

/** The parts of geosim this job drives; the command passes the real ones, tests fakes. */
export interface DiagramDeps {
  collectScenarioFiles(paths: string[], cwd: string): Promise<string[]>;
  runScenarioFile(file: string, seed: number | undefined): Promise<ScenarioRun>;
}

export interface DiagramResult {
  /** Files written, in order, relative to cwd. */
  written: string[];
  /** 2 when a scenario was invalid (the others were still drawn), else 0. */
  exitCode: number;
  /** Render time per image, ms, when images were rendered. */
  renderMs: number[];
}

/** A generated diagram before it is written. */
export interface DiagramSource {
  /** File name without extension. */
  name: string;
  title: string;
  mmd: string;
}

/** The AWS template shipped with geosim (package.json `files` includes infra/). */
export const TEMPLATE_PATH = fileURLToPath(new URL('../../infra/template.yaml', import.meta.url));

/**
 * The `geosim diagram` job (the pipeline, not render/: render/mermaid turns a report into Mermaid
 * text and images and touches no file): run each scenario, write `<out>/<scenario>.mmd` (plus `.md`, or `.svg`/`.png`
 * rendered in one browser session), and with them the architecture diagram from infra/template.yaml.
 * Every input is run or read before anything is written: one that is refused is said to `warn` and
 * the others are still drawn; when every one is refused, nothing is written. Every file is written
 * atomically; `log` gets one line per file. Rendering happens after every .mmd is on disk, so a
 * missing browser (EnvironmentError, exit 3) still leaves the .mmd files.
 */
export async function writeDiagrams(options: DiagramOptions, deps: DiagramDeps, log: (line: string) => void, warn: (text: string) => void): Promise<DiagramResult> {
  if (options.format === 'spacetime') return writeSpacetimeDiagrams(options, deps, log, warn);
  const outDir = isAbsolute(options.out) ? options.out : resolve(options.cwd, options.out);
  const files = await deps.collectScenarioFiles(options.paths, options.cwd);
  const sources: DiagramSource[] = [];
  // the architecture diagram's own file is taken: a scenario named architecture.yaml would overwrite it
  const runs = await runEach(files, options.seed, deps, '.mmd', warn, { architecture: 'the architecture diagram (infra/template.yaml)' });
  // Every input was refused (said on stderr): the architecture diagram goes with the inputs'
  // diagrams, and written alone it would be output left behind by a command that drew nothing.
  if (runs.reports.length === 0) return { written: [], exitCode: runs.exitCode, renderMs: [] };
  for (const { name, report } of runs.reports) sources.push({ name, title: report.scenario.name, mmd: sequenceDiagram(report) });
  // infra/template.yaml deploys geosim's own application: drawn beside runs of it, not beside a
  // team's handler or a serve session alone, whose architecture is the team's and not in it
  if (runs.reports.some(({ report }) => runsBuiltInApplication(report))) sources.push(await architectureSource());

  const extensions = ['mmd', ...(options.format === 'md' ? ['md'] : []), ...(options.format === 'svg' || options.format === 'png' ? [options.format] : [])];
  await refuseDirectoryTargets(sources.flatMap((s) => extensions.map((ext) => join(outDir, `${s.name}.${ext}`))), options.cwd);
  const written: string[] = [];
  const show = (path: string): string => shownPath(options.cwd, path);
  for (const s of sources) {
    const mmdPath = join(outDir, `${s.name}.mmd`);
    await write(mmdPath, s.mmd);
    written.push(show(mmdPath));
    log(`wrote ${show(mmdPath)}`);
    if (options.format === 'md') {
      const mdPath = join(outDir, `${s.name}.md`);
      await write(mdPath, markdownOf(s));
      written.push(show(mdPath));
      log(`wrote ${show(mdPath)}`);
    }
  }

  const renderMs: number[] = [];
  if (options.format === 'svg' || options.format === 'png') {
    const format = options.format;
    const { renderDiagrams } = await import('../render/mermaid/render.js');
    const images = await renderDiagrams(
      sources.map((s) => ({ name: s.name, source: s.mmd, format })),
      { env: options.env, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) },
    );
    for (const image of images) {
      const path = join(outDir, `${image.name}.${image.format}`);
      await write(path, image.data);
      written.push(show(path));
      renderMs.push(image.ms);
      log(`wrote ${show(path)}`);
    }
  }
  return { written, exitCode: runs.exitCode, renderMs };
}

/**
 * `geosim diagram --format spacetime`: each scenario's space-time SVG, `<out>/<scenario>.spacetime.svg`,
 * drawn from its report in this process (no browser, no .mmd, no architecture diagram).
 */
async function writeSpacetimeDiagrams(options: DiagramOptions, deps: DiagramDeps, log: (line: string) => void, warn: (text: string) => void): Promise<DiagramResult> {
  const { spacetime } = await import('../render/spacetime/spacetime.js');
  const outDir = isAbsolute(options.out) ? options.out : resolve(options.cwd, options.out);
  const files = await deps.collectScenarioFiles(options.paths, options.cwd);
  const runs = await runEach(files, options.seed, deps, '.spacetime.svg', warn);
  await refuseDirectoryTargets(runs.reports.map(({ name }) => join(outDir, `${name}.spacetime.svg`)), options.cwd);
  const written: string[] = [];
  for (const { name, report } of runs.reports) {
    const path = join(outDir, `${name}.spacetime.svg`);
    await write(path, spacetime(report, options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}).svg);
    const shown = shownPath(options.cwd, path);
    written.push(shown);
    log(`wrote ${shown}`);
  }
  return { written, exitCode: runs.exitCode, renderMs: [] };
}

/**
 * Runs each scenario file (or reads each recorded run) for a diagram named after its file:
 * two files of one name, or a file named as a diagram in `taken`, would write one `<name><suffix>`
 * (refused, exit 2); a file that does not
 * run is told to `warn` and makes the exit code 2, the others are still drawn.
 */
async function runEach(files: string[], seed: number | undefined, deps: DiagramDeps, suffix: string, warn: (text: string) => void, taken: Record<string, string> = {}): Promise<{ reports: { name: string; report: RunReport }[]; exitCode: number }> {
  const owners = new Map<string, string>(Object.entries(taken));
  const reports: { name: string; report: RunReport }[] = [];
  let exitCode = 0;
  for (const file of files) {
    const name = diagramName(file);
    const previous = owners.get(name);
    if (previous !== undefined) {
      const hint = Object.hasOwn(taken, name) ? 'rename the scenario file' : 'rename one of them or draw them with separate --out folders';
      throw new UserError(`geosim diagram: ${previous} and ${file} would both write ${name}${suffix}; ${hint}`);
    }
    owners.set(name, file);
    const run = await deps.runScenarioFile(file, seed);
    if (!run.ok) {
      warn(run.problems);
      exitCode = 2;
      continue;
    }
    reports.push({ name, report: run.report });
  }
  return { reports, exitCode };
}

/** Writes atomically; a path that cannot be written is the user's --out (exit 2) or the machine (exit 3). */
/**
 * A directory where one of the files goes (`out/architecture.mmd/`) is refused before any file is
 * written: found at its turn, it left the diagrams written before it beside a failed command.
 */
async function refuseDirectoryTargets(paths: string[], cwd: string): Promise<void> {
  for (const path of paths) {
    if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new UserError(`geosim diagram: cannot write ${printable(shownPath(cwd, path))}: it is a directory; nothing was written`);
  }
}

function write(path: string, data: string | Uint8Array): Promise<void> {
  return writeOutputFile(path, data, 'geosim diagram', '--out');
}

/** `scenarios/lww-conflict.yaml` -> `lww-conflict`. */
export function diagramName(file: string): string {
  return basename(file, extname(file));
}

/** The architecture diagram, generated from the shipped AWS template. */
export async function architectureSource(templatePath: string = TEMPLATE_PATH): Promise<DiagramSource> {
  let text: string;
  try {
    text = await readFile(templatePath, 'utf8');
  } catch (error) {
    throw new EnvironmentError(`geosim diagram: cannot read the AWS template ${templatePath} (${(error as NodeJS.ErrnoException).code ?? 'error'}); reinstall geosim`, { cause: error });
  }
  try {
    return { name: 'architecture', title: 'geosim active-active architecture', mmd: architectureDiagram(text, 'infra/template.yaml') };
  } catch (error) {
    throw new EnvironmentError(`geosim diagram: cannot draw the architecture from ${templatePath}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

/** Whether a run's application is geosim's own (what infra/template.yaml deploys): not a team's module (`module ...`), not a serve session's client (`served`). */
function runsBuiltInApplication(report: RunReport): boolean {
  return !report.strategy.startsWith('module ') && report.strategy !== 'served';
}
