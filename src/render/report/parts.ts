import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipBytes } from './gzip.js';
import { EnvironmentError } from '../../errors.js';
import type { RunReport } from '../../trace/report.js';
import { sequenceDiagram } from '../mermaid/sequence.js';
import type { ReportParts } from './html.js';
import { spacetime } from '../spacetime/spacetime.js';

let bundle: string | undefined;

/**
 * mermaid.min.js (the mermaid package geosim depends on) gzipped and in base64, as the report
 * inlines it for the live render. Compressed once per process: 3.5 MB of script, ~1 MB inlined.
 */
export function mermaidBundle(): string {
  if (bundle === undefined) {
    let code: Buffer;
    try {
      code = readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'));
    } catch (error) {
      throw new EnvironmentError(`geosim report: cannot read the Mermaid bundle (mermaid/dist/mermaid.min.js: ${(error as NodeJS.ErrnoException).code ?? String(error)}); reinstall geosim`, { cause: error });
    }
    bundle = gzipBytes(code).toString('base64');
  }
  return bundle;
}


/** The parts of one run's page: its space-time drawing, its Mermaid source, the bundle (or ''). */
export function reportParts(report: RunReport, options: { maxSteps?: number; mermaidBundle: string }): ReportParts {
  return {
    spacetime: spacetime(report, options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
    mermaid: sequenceDiagram(report),
    mermaidBundle: options.mermaidBundle,
  };
}
