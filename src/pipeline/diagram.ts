import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, UserError } from '../errors.js';
import type { RunReport } from '../trace/report.js';
import { architectureDiagram } from '../render/mermaid/architecture.js';
import { markdownOf } from '../render/mermaid/markdown.js';
import { sequenceDiagram } from '../render/mermaid/sequence.js';
import { writeFileAtomic } from './atomic-write.js';

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
 * rendered in one browser session), and always the architecture diagram from infra/template.yaml.
 * Every file is written atomically; `log` gets one line per file. Rendering happens after every
 * .mmd is on disk, so a missing browser (EnvironmentError, exit 3) still leaves the .mmd files.
 */
export async function writeDiagrams(options: DiagramOptions, deps: DiagramDeps, log: (line: string) => void, warn: (text: string) => void): Promise<DiagramResult> {
  if (options.format === 'spacetime') return writeSpacetimeDiagrams(options, deps, log, warn);
  const outDir = isAbsolute(options.out) ? options.out : resolve(options.cwd, options.out);
  const files = await deps.collectScenarioFiles(options.paths, options.cwd);
  const sources: DiagramSource[] = [];
  let exitCode = 0;
  const owners = new Map<string, string>();

  for (const file of files) {
    const name = diagramName(file);
    const previous = owners.get(name);
    if (previous !== undefined) {
      throw new UserError(`geosim diagram: ${previous} and ${file} would both write ${name}.mmd; rename one of them or draw them with separate --out folders`);
    }
    owners.set(name, file);
    const run = await deps.runScenarioFile(file, options.seed);
    if (!run.ok) {
      warn(run.problems);
      exitCode = 2;
      continue;
    }
    sources.push({ name, title: run.report.scenario.name, mmd: sequenceDiagram(run.report) });
  }
  sources.push(await architectureSource());

  const written: string[] = [];
  const show = (path: string): string => {
    const rel = relative(options.cwd, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
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
  return { written, exitCode, renderMs };
}

/**
 * `geosim diagram --format spacetime`: each scenario's space-time SVG, `<out>/<scenario>.spacetime.svg`,
 * drawn from its report in this process (no browser, no .mmd, no architecture diagram).
 */
async function writeSpacetimeDiagrams(options: DiagramOptions, deps: DiagramDeps, log: (line: string) => void, warn: (text: string) => void): Promise<DiagramResult> {
  const { spacetime } = await import('../render/spacetime/spacetime.js');
  const outDir = isAbsolute(options.out) ? options.out : resolve(options.cwd, options.out);
  const files = await deps.collectScenarioFiles(options.paths, options.cwd);
  const owners = new Map<string, string>();
  const written: string[] = [];
  let exitCode = 0;
  for (const file of files) {
    const name = diagramName(file);
    const previous = owners.get(name);
    if (previous !== undefined) {
      throw new UserError(`geosim diagram: ${previous} and ${file} would both write ${name}.spacetime.svg; rename one of them or draw them with separate --out folders`);
    }
    owners.set(name, file);
    const run = await deps.runScenarioFile(file, options.seed);
    if (!run.ok) {
      warn(run.problems);
      exitCode = 2;
      continue;
    }
    const path = join(outDir, `${name}.spacetime.svg`);
    await write(path, spacetime(run.report, options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}).svg);
    const shown = showPath(options.cwd, path);
    written.push(shown);
    log(`wrote ${shown}`);
  }
  return { written, exitCode, renderMs: [] };
}

/** A written path as the log shows it: relative to cwd when it is inside it. */
function showPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Writes atomically; a path that cannot be written is the user's --out (exit 2) or the machine (exit 3). */
async function write(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new UserError(`geosim diagram: cannot write ${path}: a part of the --out path is a file, not a directory`);
    throw new EnvironmentError(`geosim diagram: cannot write ${path} (${code})`, { cause: error });
  }
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
