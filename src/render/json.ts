import type { RunReport } from '../trace/report.js';

/** The JSON schema version of `geosim run --format json`; bump on an incompatible change. */
export const JSON_FORMAT_VERSION = 1;

/**
 * Machine output: one document for all scenarios run, each report as is, trace events with
 * `seq`, `t` and `kind` first. Deterministic bytes for a scenario and seed.
 */
export function renderJson(reports: RunReport[], summary: { passed: number; failed: number }): string {
  const doc = {
    geosim: JSON_FORMAT_VERSION,
    passed: summary.passed,
    failed: summary.failed,
    scenarios: reports.map((r) => ({
      ...r,
      passed: r.assertions.every((a) => a.passed),
      trace: r.trace.map(({ seq, t, kind, ...rest }) => ({ seq, t, kind, ...rest })),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
