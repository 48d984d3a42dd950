import { createHash } from 'node:crypto';
import type { Browser } from 'puppeteer';
import { EnvironmentError, InterruptedError } from '../../errors.js';
import { BROWSER_ARGS, filterBrowserNoise, findBrowser, noBrowserError } from './browser.js';
import { mermaidId } from './escape.js';

export type ImageFormat = 'svg' | 'png';

export interface RenderJob {
  /** Diagram name, e.g. `architecture`; also the SVG element id. */
  name: string;
  /** The exact .mmd bytes, as written to disk. */
  source: string;
  format: ImageFormat;
}

export interface RenderedImage {
  name: string;
  format: ImageFormat;
  data: Uint8Array;
  /** Wall-clock ms this one diagram took (pages render in parallel, so these overlap). */
  ms: number;
}

export interface RenderOptions {
  env: NodeJS.ProcessEnv;
  /** Pages rendering at once in the one browser. */
  concurrency?: number;
  /** How long one diagram may take, ms ({@link RENDER_TIMEOUT_MS} by default); `--timeout` sets it. */
  timeoutMs?: number;
  /** Renders one diagram in the browser; mermaid-cli's `renderMermaid` unless a test injects another. */
  renderOne?: RenderOne;
  /** Starts the browser; puppeteer's `launch` unless a test injects another. */
  launch?: (executablePath: string, protocolTimeoutMs: number) => Promise<Browser>;
}

/** Renders one job in the shared browser and returns the image bytes. */
export type RenderOne = (browser: Browser, job: RenderJob) => Promise<Uint8Array>;

/**
 * The default limit for one diagram: 10 minutes. Rendering normally takes seconds, but a large
 * PNG on a machine under load was measured at several minutes (and puppeteer's own 3-minute
 * protocol timeout failed it), so the default is generous and `geosim diagram --timeout` moves it.
 */
export const RENDER_TIMEOUT_MS = 600_000;

/** The one-line message when a diagram takes longer than the limit (exit 3). */
export function renderTimeoutError(name: string, timeoutMs: number, cause?: unknown): EnvironmentError {
  const seconds = Number((timeoutMs / 1000).toFixed(3));
  return new EnvironmentError(
    `geosim diagram: rendering ${name} took longer than ${seconds}s (--timeout ${seconds}); the machine may be busy: try again, or allow more time, e.g. --timeout ${Math.max(1200, Math.ceil(seconds * 2))}. The .mmd files were written.`,
    cause === undefined ? undefined : { cause },
  );
}

/** SHA-256 (hex) of a diagram's .mmd source: what a committed SVG is checked against. */
export function sourceHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex');
}

const HASH_COMMENT = /^<!-- geosim-source-sha256: ([0-9a-f]{64}) -->\n/;

/**
 * The hash of the .mmd an SVG was rendered from, read from the comment {@link renderDiagrams}
 * puts in front of it; undefined for an SVG without one. Chromium's SVG bytes differ between
 * versions, so staleness is judged by this hash rather than by re-rendering.
 */
export function embeddedSourceHash(svg: string): string | undefined {
  return HASH_COMMENT.exec(svg)?.[1];
}

/**
 * Renders every job in ONE browser session (launched once, several pages in parallel, closed at
 * the end), with mermaid-cli's `renderMermaid`. Each SVG starts with an XML comment holding the
 * SHA-256 of its .mmd source. Throws EnvironmentError (exit 3) when no browser is found or it
 * fails to start; never downloads a browser.
 */
export async function renderDiagrams(jobs: RenderJob[], options: RenderOptions): Promise<RenderedImage[]> {
  if (jobs.length === 0) return [];
  const lookup = findBrowser(options.env);
  if (!lookup.found) throw noBrowserError(lookup, options.env);

  const timeoutMs = options.timeoutMs ?? RENDER_TIMEOUT_MS;
  // puppeteer closes the browser on SIGTERM and SIGHUP (and exits 130 on SIGINT) while it runs; the
  // rendering under way then fails ("Connection closed"), which is the signal's doing, not the
  // machine's: noted here, for the whole rendering, so that it ends with the signal's exit code
  let signalled: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGHUP') signalled ??= signal;
  };
  const stopped = (signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') => new InterruptedError(`geosim diagram: ${signal} stopped the rendering; the .mmd files were written`, signal);
  for (const name of RENDER_SIGNALS) process.on(name, onSignal);
  try {
    const images = await renderAll(jobs, options, lookup.path, timeoutMs, () => signalled);
    if (signalled !== undefined) throw stopped(signalled);
    return images;
  } catch (error) {
    if (signalled === undefined || error instanceof InterruptedError) throw error;
    throw stopped(signalled);
  } finally {
    for (const name of RENDER_SIGNALS) process.off(name, onSignal);
  }
}

const RENDER_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function renderAll(jobs: RenderJob[], options: RenderOptions, path: string, timeoutMs: number, signalled: () => string | undefined): Promise<RenderedImage[]> {
  // Loaded here only: mermaid-cli and puppeteer cost a second of start-up (notes/rendering.md).
  let renderOne: RenderOne;
  try {
    renderOne = options.renderOne ?? (await mermaidCliRenderer());
  } catch (error) {
    // puppeteer reads its configuration (cosmiconfig, from here up to the home directory) as it
    // loads: a home directory the user may not read (a CI container run as another user), or a
    // broken .puppeteerrc, is the machine's, not a bug of geosim
    throw new EnvironmentError(`geosim diagram: cannot render: the renderer (mermaid-cli and puppeteer) did not load (${firstLine(error)}); the .mmd files were written`, { cause: error });
  }
  const launch = options.launch ?? launchPuppeteer;
  let browser: Browser;
  try {
    // No single browser call may give up before geosim's own limit does (puppeteer's default is 3 minutes).
    browser = await launch(path, timeoutMs + 1000);
  } catch (error) {
    throw new EnvironmentError(`geosim diagram: the browser at ${path} did not start (${firstLine(error)}); the .mmd files were written`, { cause: error });
  }
  try {
    // a signal that came before puppeteer listened for it: the rendering stops before it starts
    if (signalled() !== undefined) throw new Error('stopped by a signal');
    const results: RenderedImage[] = new Array(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < jobs.length; i = next++) {
        const job = jobs[i] as RenderJob;
        const started = performance.now();
        let data: Uint8Array;
        try {
          data = await withTimeout(renderOne(browser, job), timeoutMs, () => renderTimeoutError(job.name, timeoutMs));
        } catch (error) {
          if (error instanceof EnvironmentError) throw error;
          if (isTimeout(error)) throw renderTimeoutError(job.name, timeoutMs, error);
          throw new EnvironmentError(`geosim diagram: rendering ${job.name} failed: ${firstLine(error)}`, { cause: error });
        }
        if (job.format === 'svg') {
          const header = `<!-- geosim-source-sha256: ${sourceHash(job.source)} -->\n`;
          data = new Uint8Array(Buffer.concat([Buffer.from(header, 'utf8'), data]));
        }
        results[i] = { name: job.name, format: job.format, data, ms: performance.now() - started };
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, jobs.length) }, worker));
    return results;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function launchPuppeteer(executablePath: string, protocolTimeout: number): Promise<Browser> {
  const { default: puppeteer } = await import('puppeteer');
  return puppeteer.launch({ executablePath, headless: true, args: [...BROWSER_ARGS], protocolTimeout });
}

/** mermaid-cli's `renderMermaid` with geosim's settings. */
async function mermaidCliRenderer(): Promise<RenderOne> {
  const { renderMermaid } = await import('@mermaid-js/mermaid-cli');
  return async (browser, job) =>
    (
      await renderMermaid(browser, job.source, job.format, {
        svgId: mermaidId(job.name),
        backgroundColor: 'white',
        // deviceScaleFactor 2 keeps PNG text sharp; SVG ignores the viewport.
        viewport: { width: 1200, height: 800, deviceScaleFactor: 2 },
        mermaidConfig: {
          theme: 'default',
          deterministicIds: true,
          deterministicIDSeed: job.name,
          // A PNG is drawn at the diagram's own width; fitted to the viewport, a wide
          // sequence diagram shrinks until its labels are unreadable. SVGs stay fluid.
          ...(job.format === 'png' ? { sequence: { useMaxWidth: false }, flowchart: { useMaxWidth: false } } : {}),
        },
      })
    ).data;
}

/** Settles like `work`, or rejects with `onTimeout()` once `ms` have passed. */
function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Puppeteer's own timeouts (a `TimeoutError`, or a protocol call that "timed out"). */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || /timed out/i.test(error.message));
}

function firstLine(error: unknown): string {
  const text = filterBrowserNoise(error instanceof Error ? error.message : String(error)).trim();
  return text.split('\n')[0] ?? 'unknown error';
}
