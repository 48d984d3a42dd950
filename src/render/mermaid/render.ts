import { createHash } from 'node:crypto';
import type { Browser } from 'puppeteer';
import { EnvironmentError } from '../../cli/errors.js';
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

  // Loaded here only: mermaid-cli and puppeteer cost a second of start-up (notes/rendering.md).
  const [{ renderMermaid }, { default: puppeteer }] = await Promise.all([import('@mermaid-js/mermaid-cli'), import('puppeteer')]);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({ executablePath: lookup.path, headless: true, args: [...BROWSER_ARGS] });
  } catch (error) {
    throw new EnvironmentError(`geosim diagram: the browser at ${lookup.path} did not start (${firstLine(error)}); the .mmd files were written`, { cause: error });
  }
  try {
    const results: RenderedImage[] = new Array(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < jobs.length; i = next++) {
        const job = jobs[i] as RenderJob;
        const started = performance.now();
        let data: Uint8Array;
        try {
          ({ data } = await renderMermaid(browser, job.source, job.format, {
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
          }));
        } catch (error) {
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

function firstLine(error: unknown): string {
  const text = filterBrowserNoise(error instanceof Error ? error.message : String(error)).trim();
  return text.split('\n')[0] ?? 'unknown error';
}
