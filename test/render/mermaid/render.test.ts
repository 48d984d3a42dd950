import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../../src/render/mermaid/browser.js';
import { embeddedSourceHash, renderDiagrams, sourceHash } from '../../../src/render/mermaid/render.js';
import { sequenceDiagram } from '../../../src/render/mermaid/sequence.js';
import { concurrentWrites, hostileNames } from './fixtures.js';
import { parseDiagram } from './headless-mermaid.js';

/**
 * Renders every committed diagram, plus synthetic ones, in ONE browser session and checks each SVG
 * shows the participants, messages and notes its source declares. CI installs chromium, so this
 * runs there; on a machine without a browser it is skipped and its name says so.
 */
const DIAGRAMS = join(import.meta.dirname, '../../../diagrams');
const browser = findBrowser(process.env);
/** Said in every name, whether it runs or not, so a listing of skipped tests shows why. */
const why = ' (skipped when no Chromium is found; CI installs it: apt-get install chromium, or set PUPPETEER_EXECUTABLE_PATH)';

/** Text as it appears as element content in SVG markup (quotes stay as they are there). */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

describe.skipIf(!browser.found)(`rendering${why}`, () => {
  it(`renders every diagram to SVG in one browser, with its participants, messages and notes${why}`, async () => {
    const jobs = readdirSync(DIAGRAMS)
      .filter((f) => f.endsWith('.mmd'))
      .sort()
      .map((f) => ({ name: f.replace(/\.mmd$/, ''), source: readFileSync(join(DIAGRAMS, f), 'utf8'), format: 'svg' as const }));
    jobs.push({ name: 'synthetic-all-kinds', source: sequenceDiagram(concurrentWrites()), format: 'svg' });
    jobs.push({ name: 'synthetic-hostile', source: sequenceDiagram(hostileNames()), format: 'svg' });
    const images = await renderDiagrams(jobs, { env: process.env });
    expect(images.map((i) => i.name)).toEqual(jobs.map((j) => j.name));

    for (const [i, image] of images.entries()) {
      const job = jobs[i]!;
      const svg = Buffer.from(image.data).toString('utf8');
      expect(embeddedSourceHash(svg)).toBe(sourceHash(job.source));
      expect(svg).toContain('<svg');
      const parsed = await parseDiagram(job.source);
      if (parsed.sequence) {
        for (const name of parsed.sequence.actors.values()) expect(svg, `${job.name}: participant ${name}`).toContain(`>${xml(name)}<`);
        for (const m of parsed.sequence.lines) {
          for (const line of m) expect(svg, `${job.name}: text ${line}`).toContain(xml(line));
        }
      } else {
        for (const label of ['Lambda', 'EventProcessorFunction', 'SQS dead-letter queue', 'Step Functions', 'DynamoDB stream', 'us-east-1', 'eu-west-1', 'replication to eu-west-1']) {
          expect(svg, `${job.name}: ${label}`).toContain(label);
        }
      }
    }
    // The hostile labels come out as the characters they are, not as Mermaid syntax.
    const hostile = Buffer.from(images.at(-1)!.data).toString('utf8');
    expect(hostile).toContain(xml('t=0ms e1: ORD;ER#1:'));
    expect(hostile).toContain(xml('<b>"x"</b> %% end'));
    expect(hostile).toContain(xml('note;=a#b:c<d> (key k;#:1)'));
    // every shipped diagram through one browser: over 120 s on a 2-core machine busy with other test files
  }, 300_000);

  it(`renders a PNG${why}`, async () => {
    const [png] = await renderDiagrams([{ name: 'png', source: sequenceDiagram(concurrentWrites()), format: 'png' }], { env: process.env });
    expect(Buffer.from(png!.data).subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 60_000);
});
